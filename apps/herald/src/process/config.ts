// The process configuration, read once from the environment (CONTRACT.md,
// "Environment"). Every bad value is a ConfigError naming the variable and
// what is expected; values that may hold secrets (database and Redis URLs
// with passwords, the master key) are never repeated in a message.
import path from 'node:path';
import { DnsError, Name, firstNonHostnameLabel, parseTtl } from '@herald/dns';
import { MASTER_KEY_VARIABLE, parseMasterKey } from '../adapters/keys/aes-gcm-secret-box.js';
import type { ZoneDefaults } from '../zones/zones.service.js';
import type { JwtConfig } from '../auth/jwt.js';

export const DEFAULT_API_LISTEN = '127.0.0.1:8053';
export const DEFAULT_DATA_DIR = './.herald';
export const DEFAULT_ZONE_TTL = 3600;

/** SOA timers of new zones (RFC 1912 §2.2 ranges); not configurable yet. */
const SOA_TIMERS = { refresh: 7200, retry: 900, expire: 1_209_600, minimum: 300 } as const;

/** Requests per principal per minute when HERALD_RATE_LIMIT is unset. */
const DEFAULT_RATE_LIMIT = 100;

export class ConfigError extends Error {
  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** Where the master key comes from: the environment, or a file in the data directory (all-in-one). */
export type MasterKeySource = { kind: 'env'; key: Buffer } | { kind: 'data-dir'; file: string };

export interface HeraldConfig {
  apiListen: ListenAddress;
  /** Set: PostgreSQL (production). Unset: embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Set: Redis pub/sub and the BullMQ job queue. Unset: the in-process change feed and queue (one process only). */
  redisUrl?: string;
  /** HERALD_QUEUE_PREFIX: the job queue's Redis key prefix (default `herald`). */
  queuePrefix?: string;
  /** Absolute path. */
  dataDir: string;
  masterKey: MasterKeySource;
  zoneDefaults: ZoneDefaults;
  /** JWT login; absent: API keys only. */
  jwt?: JwtConfig;
  /** Requests per principal per minute. */
  rateLimitPerMinute: number;
}

export type Environment = Record<string, string | undefined>;

/**
 * Reads and checks the configuration; throws the first ConfigError found.
 * Relative paths are resolved against `cwd`. Does no I/O.
 */
export function loadConfig(env: Environment = process.env, cwd: string = process.cwd()): HeraldConfig {
  const databaseUrl = urlVariable(
    env,
    'DATABASE_URL',
    ['postgres:', 'postgresql:'],
    'postgres://user:password@host:5432/herald',
  );
  const redisUrl = urlVariable(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://host:6379');
  const dataDir = path.resolve(cwd, value(env, 'HERALD_DATA_DIR') ?? DEFAULT_DATA_DIR);
  const queuePrefix = prefix(value(env, 'HERALD_QUEUE_PREFIX'));
  return {
    apiListen: parseListen(value(env, 'HERALD_API_LISTEN') ?? DEFAULT_API_LISTEN, 'HERALD_API_LISTEN'),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    ...(queuePrefix ? { queuePrefix } : {}),
    dataDir,
    masterKey: masterKeySource(env, databaseUrl !== undefined, dataDir),
    zoneDefaults: {
      nameservers: nameservers(value(env, 'HERALD_NAMESERVERS')),
      ttl: ttl(value(env, 'HERALD_DEFAULT_TTL')),
      ...SOA_TIMERS,
    },
    ...jwtConfig(env),
    rateLimitPerMinute: rateLimit(value(env, 'HERALD_RATE_LIMIT')),
  };
}

/** HERALD_JWT_SECRET (HS256) or HERALD_JWKS_URL (RS256/ES256), never both; issuer and audience optional. */
function jwtConfig(env: Environment): { jwt?: JwtConfig } {
  const secret = value(env, 'HERALD_JWT_SECRET');
  const jwksUrl = urlVariable(
    env,
    'HERALD_JWKS_URL',
    ['https:', 'http:'],
    'https://idp.example.com/.well-known/jwks.json',
  );
  if (secret && jwksUrl)
    throw new ConfigError('HERALD_JWT_SECRET', 'set HERALD_JWT_SECRET or HERALD_JWKS_URL, not both');
  // A short HS256 secret can be brute-forced from any token it signed.
  if (secret && Buffer.byteLength(secret) < 32)
    throw new ConfigError('HERALD_JWT_SECRET', 'HERALD_JWT_SECRET must be at least 32 bytes long');
  if (!secret && !jwksUrl) return {};
  const issuer = value(env, 'HERALD_JWT_ISSUER');
  const audience = value(env, 'HERALD_JWT_AUDIENCE');
  return {
    jwt: {
      ...(secret ? { secret } : {}),
      ...(jwksUrl ? { jwksUrl } : {}),
      ...(issuer ? { issuer } : {}),
      ...(audience ? { audience } : {}),
    },
  };
}

function prefix(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(text))
    throw new ConfigError(
      'HERALD_QUEUE_PREFIX',
      `HERALD_QUEUE_PREFIX must be 1-64 letters, digits, '.', '_' or '-' (a Redis key prefix), not '${text}'`,
    );
  return text;
}

function rateLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RATE_LIMIT;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1)
    throw new ConfigError(
      'HERALD_RATE_LIMIT',
      `HERALD_RATE_LIMIT must be a positive number of requests per minute, not '${text}'`,
    );
  return Number(text);
}

/** The value of a variable, with surrounding blanks removed; blank counts as unset. */
function value(env: Environment, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** `host:port` or `[v6]:port`; port 0 picks a free port (tests). */
export function parseListen(text: string, variable: string): ListenAddress {
  const expect = `${variable} must be host:port, e.g. 127.0.0.1:8053 or [::1]:8053`;
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):([0-9]{1,5})$/.exec(text);
  if (!m) throw new ConfigError(variable, `${expect}, not '${text}'`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(variable, `${variable}: port ${port} is out of range (0-65535)`);
  return { host: (m[1] ?? m[2])!, port };
}

function urlVariable(
  env: Environment,
  name: string,
  protocols: string[],
  example: string,
): string | undefined {
  const text = value(env, name);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The value may hold a password: describe the problem, never the value.
    throw new ConfigError(name, `${name} is not a valid URL (expected the form ${example})`);
  }
  if (!protocols.includes(url.protocol))
    throw new ConfigError(
      name,
      `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (expected the form ${example})`,
    );
  if (!url.hostname && !url.searchParams.has('host'))
    throw new ConfigError(name, `${name} names no host (expected the form ${example})`);
  return text;
}

function masterKeySource(env: Environment, production: boolean, dataDir: string): MasterKeySource {
  const text = value(env, MASTER_KEY_VARIABLE);
  if (text !== undefined) {
    try {
      return { kind: 'env', key: parseMasterKey(text, MASTER_KEY_VARIABLE) };
    } catch (e) {
      // parseMasterKey's messages name the variable and the problem, never the value.
      throw new ConfigError(MASTER_KEY_VARIABLE, (e as Error).message);
    }
  }
  if (production)
    throw new ConfigError(
      MASTER_KEY_VARIABLE,
      `${MASTER_KEY_VARIABLE} is required when DATABASE_URL is set: it encrypts the private keys stored in the database. ` +
        'Generate one with `openssl rand -base64 32`, keep it in your secret store, and give every api and worker process the same value.',
    );
  return { kind: 'data-dir', file: path.join(dataDir, 'master-key') };
}

function nameservers(text: string | undefined): string[] {
  if (text === undefined) return [];
  const variable = 'HERALD_NAMESERVERS';
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '')
      throw new ConfigError(
        variable,
        `${variable} has an empty entry; give a comma-separated list of absolute names, e.g. ns1.example.net.,ns2.example.net.`,
      );
    if (!item.endsWith('.'))
      throw new ConfigError(
        variable,
        `${variable}: '${item}' must be an absolute name (end it with a dot: '${item}.')`,
      );
    let name: Name;
    try {
      name = Name.parse(item, { field: variable });
    } catch (e) {
      if (e instanceof DnsError) throw new ConfigError(variable, e.message);
      throw e;
    }
    if (name.isRoot) throw new ConfigError(variable, `${variable}: the root name is not a name server`);
    const bad = firstNonHostnameLabel(name);
    if (bad !== undefined)
      throw new ConfigError(
        variable,
        `${variable}: '${item}' is not a host name (label '${bad}'; letters, digits and inner hyphens only, RFC 1123 §2.1)`,
      );
    const key = name.toLowerCase().toString();
    if (seen.has(key)) throw new ConfigError(variable, `${variable}: '${item}' is listed twice`);
    seen.add(key);
    out.push(key);
  }
  return out;
}

function ttl(text: string | undefined): number {
  if (text === undefined) return DEFAULT_ZONE_TTL;
  const variable = 'HERALD_DEFAULT_TTL';
  if (!/^[0-9]+$/.test(text))
    throw new ConfigError(
      variable,
      `${variable} must be a number of seconds (0 to 2147483647), not '${text}'`,
    );
  try {
    return parseTtl(text, variable);
  } catch (e) {
    if (e instanceof DnsError) throw new ConfigError(variable, e.message);
    throw e;
  }
}
