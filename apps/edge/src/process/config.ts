// The edge's configuration, read once from the environment (CONTRACT.md) and
// checked up front: a bad value stops the start with the variable's name.
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';

export type Environment = Record<string, string | undefined>;

export class EdgeConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'EdgeConfigError';
  }
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** A zone served from a master file, without a control plane (benchmarks, differential tests). */
export interface StaticZone {
  /** Absolute zone name, e.g. `example.com.` */
  origin: string;
  file: string;
}

export interface ChaosConfig {
  /** Answer CH TXT `id.server` / `hostname.bind` with this; undefined hides them (REFUSED). */
  identity?: string;
  /** Answer CH TXT `version.bind` / `version.server` with this; undefined hides it. */
  version?: string;
}

export interface EdgeConfig {
  edgeId: string;
  dnsListen: ListenAddress;
  /** undefined: no operations endpoint. */
  httpListen?: ListenAddress;
  dataDir: string;
  heraldUrl: string;
  token?: string;
  redisUrl?: string;
  /** Query-answering processes; 1 answers in the main process. */
  workers: number;
  pollIntervalMs: number;
  reportIntervalMs: number;
  /** RFC 5001 NSID payload, when configured. */
  nsid?: Uint8Array;
  chaos: ChaosConfig;
  /** TCP (RFC 7766): idle timeout and connection limit per process. */
  tcpIdleTimeoutMs: number;
  tcpMaxConnections: number;
  /** Set: serve these files and never talk to herald. */
  staticZones?: StaticZone[];
}

export const DEFAULT_DNS_LISTEN = '127.0.0.1:5300';
export const DEFAULT_HTTP_LISTEN = '127.0.0.1:9153';
export const DEFAULT_EDGE_DATA_DIR = './.herald/edge';
export const DEFAULT_HERALD_URL = 'http://127.0.0.1:8053';
export const EDGE_VERSION = '0.1.0';

function value(env: Environment, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === '' ? undefined : v;
}

export function parseListen(text: string, variable: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new EdgeConfigError(variable, `'${text}' is not host:port (e.g. 127.0.0.1:5300)`);
  return { host: (m[1] ?? m[2])!, port };
}

function positiveInt(env: Environment, name: string, fallback: number, max: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max)
    throw new EdgeConfigError(name, `'${v}' is not a whole number from 1 to ${max}`);
  return Number(v);
}

function nsid(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  // `hex:0a0b…` for binary identifiers, otherwise the text itself (as Knot's `nsid` does).
  if (text.startsWith('hex:')) {
    const hex = text.slice(4);
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex) || hex.length > 256)
      throw new EdgeConfigError('EDGE_NSID', 'hex: needs an even number of hex digits, at most 128 octets');
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 128) throw new EdgeConfigError('EDGE_NSID', 'at most 128 octets');
  return Uint8Array.from(bytes);
}

function onOff(env: Environment, name: string, fallback: boolean): boolean {
  const v = value(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new EdgeConfigError(name, `'${v}' is not on or off`);
}

export function loadEdgeConfig(env: Environment, cwd: string): EdgeConfig {
  const edgeId = value(env, 'EDGE_ID') ?? hostname();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(edgeId))
    throw new EdgeConfigError('EDGE_ID', `'${edgeId}' must be 1-63 letters, digits, '.', '_' or '-'`);
  const http = value(env, 'EDGE_HTTP_LISTEN') ?? DEFAULT_HTTP_LISTEN;
  const heraldUrl = value(env, 'HERALD_URL') ?? DEFAULT_HERALD_URL;
  try {
    new URL(heraldUrl);
  } catch {
    throw new EdgeConfigError('HERALD_URL', `'${heraldUrl}' is not a URL`);
  }
  const chaosOn = onOff(env, 'EDGE_CHAOS', true);
  const token = value(env, 'HERALD_TOKEN');
  const redisUrl = value(env, 'REDIS_URL');
  const nsidBytes = nsid(value(env, 'EDGE_NSID'));
  return {
    edgeId,
    dnsListen: parseListen(value(env, 'EDGE_DNS_LISTEN') ?? DEFAULT_DNS_LISTEN, 'EDGE_DNS_LISTEN'),
    ...(http === 'off' ? {} : { httpListen: parseListen(http, 'EDGE_HTTP_LISTEN') }),
    dataDir: path.resolve(cwd, value(env, 'EDGE_DATA_DIR') ?? DEFAULT_EDGE_DATA_DIR),
    heraldUrl: heraldUrl.replace(/\/+$/, ''),
    ...(token ? { token } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    workers: positiveInt(env, 'EDGE_WORKERS', availableParallelism(), 64),
    pollIntervalMs: positiveInt(env, 'EDGE_POLL_SECONDS', 5, 3600) * 1000,
    reportIntervalMs: 10_000,
    ...(nsidBytes ? { nsid: nsidBytes } : {}),
    chaos: chaosOn ? { identity: edgeId, version: `herald-edge ${EDGE_VERSION}` } : {},
    tcpIdleTimeoutMs: positiveInt(env, 'EDGE_TCP_IDLE_SECONDS', 10, 3600) * 1000,
    tcpMaxConnections: positiveInt(env, 'EDGE_TCP_MAX_CONNECTIONS', 1024, 1_000_000),
  };
}
