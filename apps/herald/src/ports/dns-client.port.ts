// How the control plane asks other name servers questions (the parent zone's
// servers, a recursive resolver). Adapter: UDP with TCP fallback over
// node:dgram and node:net. The messages are @herald/dns's pure codec.
import type { Message, Name } from '@herald/dns';

/** A name server to ask: an IP address (v4 or v6, no brackets) and a port. */
export interface DnsServer {
  address: string;
  port: number;
}

export interface DnsQueryOptions {
  /** RD: ask a resolver to recurse (true), or an authoritative server for its own data (false). */
  recursionDesired: boolean;
  /** Per attempt; the adapter's default when absent. */
  timeoutMs?: number;
}

export interface DnsClient {
  /**
   * Sends one query and resolves with the matching answer, whatever its
   * RCODE. Rejects with DnsQueryError when no usable answer came.
   */
  query(server: DnsServer, name: Name, type: number, options: DnsQueryOptions): Promise<Message>;
}

/**
 * No usable answer: `timeout` (nothing matching came back, retry included),
 * `unreachable` (the network said no: refused, no route), `malformed` (only
 * undecodable answers came back).
 */
export class DnsQueryError extends Error {
  constructor(
    readonly server: DnsServer,
    readonly reason: 'timeout' | 'unreachable' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'DnsQueryError';
  }
}

/** `192.0.2.1:53`, `[2001:db8::1]:53`: how servers are named in messages and reports. */
export function formatServer(server: DnsServer): string {
  return server.address.includes(':')
    ? `[${server.address}]:${server.port}`
    : `${server.address}:${server.port}`;
}
