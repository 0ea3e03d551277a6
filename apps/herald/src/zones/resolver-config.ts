// The resolver /verify asks to find a zone's parent and the parent's servers:
// HERALD_RESOLVER, else the first nameserver of /etc/resolv.conf, else
// 127.0.0.1:53.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { DnsServer } from '../ports/dns-client.port.js';

export const DEFAULT_RESOLVER: DnsServer = { address: '127.0.0.1', port: 53 };

function port(text: string, source: string, input: string): number {
  const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535))
    throw new Error(`${source}: '${input}' has port '${text}'; a port is 1 to 65535`);
  return n;
}

/** `192.0.2.1`, `192.0.2.1:5353`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:5353`; port 53 by default. */
export function parseResolver(input: string, source = 'HERALD_RESOLVER'): DnsServer {
  const text = input.trim();
  const bad = () =>
    new Error(
      `${source}: '${input}' is not an IP address, address:port or [IPv6 address]:port (host names are not accepted: the resolver is what would look them up)`,
    );
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    const address = bracketed[1]!;
    if (!net.isIPv6(address)) throw bad();
    return { address, port: bracketed[2] === undefined ? 53 : port(bracketed[2], source, input) };
  }
  if (net.isIPv6(text)) return { address: text, port: 53 };
  const colon = text.lastIndexOf(':');
  const address = colon < 0 ? text : text.slice(0, colon);
  if (!net.isIPv4(address)) throw bad();
  return { address, port: colon < 0 ? 53 : port(text.slice(colon + 1), source, input) };
}

/** The first usable `nameserver` line of a resolv.conf text (port 53: resolv.conf has no ports). */
export function firstNameserver(resolvConf: string): DnsServer | undefined {
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && net.isIP(m[1]!)) return { address: m[1]!, port: 53 };
  }
  return undefined;
}

/** Throws when HERALD_RESOLVER is set but not an address, so a typo stops the process at start-up. */
export function resolverFromEnvironment(
  env: Record<string, string | undefined> = process.env,
  readResolvConf: () => string = () => readFileSync('/etc/resolv.conf', 'utf8'),
): DnsServer {
  const configured = env.HERALD_RESOLVER?.trim();
  if (configured) return parseResolver(configured);
  let text = '';
  try {
    text = readResolvConf();
  } catch {
    // no resolv.conf (containers, some CI images): fall through to the default
  }
  return firstNameserver(text) ?? DEFAULT_RESOLVER;
}
