// The built `herald api` and `herald edge` as separate processes, configured
// only through the environment (CONTRACT.md), and a small REST client.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cleanEnv, cliMain, exec, Proc } from './processes.js';

export interface HeraldOptions {
  dataDir: string;
  /** A PostgreSQL database; unset: embedded PGlite in dataDir (kept across restarts too). */
  databaseUrl?: string;
  redisUrl: string;
  /** 0 on the first start; the same port again on a restart, so edges find it. */
  port: number;
  masterKey: string;
}

export const newMasterKey = () => randomBytes(32).toString('base64');

export interface Herald {
  proc: Proc;
  url: string;
  port: number;
}

export async function startHerald(o: HeraldOptions): Promise<Herald> {
  const proc = new Proc(
    'herald api',
    process.execPath,
    [cliMain, 'api'],
    cleanEnv({
      HERALD_DATA_DIR: o.dataDir,
      HERALD_API_LISTEN: `127.0.0.1:${o.port}`,
      HERALD_MASTER_KEY: o.masterKey,
      REDIS_URL: o.redisUrl,
      // The edges poll every second and report after every sync: more than the default 100/min per key.
      HERALD_RATE_LIMIT: '1000000',
      ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
    }),
  );
  const m = await proc.waitFor(/listening on (http:\/\/127\.0\.0\.1:(\d+)) /, 60_000);
  return { proc, url: m[1]!, port: Number(m[2]) };
}

export async function adminToken(dataDir: string): Promise<string> {
  return (await readFile(path.join(dataDir, 'admin-key'), 'utf8')).trim();
}

/** An edge's API key, minted with the built CLI as an operator would. */
export async function mintEdgeKey(heraldUrl: string, dataDir: string): Promise<string> {
  const minted = await exec(
    process.execPath,
    [cliMain, 'apikey', 'create', '--role', 'edge', '--json'],
    cleanEnv({ HERALD_URL: heraldUrl, HERALD_TOKEN: await adminToken(dataDir) }),
  );
  if (minted.code !== 0) throw new Error(`herald apikey create failed: ${minted.stderr}`);
  return (JSON.parse(minted.stdout) as { token: string }).token;
}

export interface EdgeOptions {
  id: string;
  /** 0 on the first start; the port it printed on a restart, so clients can ask again. */
  dnsPort: number;
  httpPort: number;
  dataDir: string;
  heraldUrl: string;
  token: string;
  redisUrl: string;
  workers: number;
  pollSeconds: number;
}

export interface Edge {
  proc: Proc;
  dnsPort: number;
  opsUrl: string;
  /** How many zones it loaded from its local copy at start, before talking to anyone. */
  zonesAtStart: number;
}

export async function startEdge(o: EdgeOptions): Promise<Edge> {
  const proc = new Proc(
    `herald edge ${o.id}`,
    process.execPath,
    [cliMain, 'edge'],
    cleanEnv({
      EDGE_ID: o.id,
      EDGE_DNS_LISTEN: `127.0.0.1:${o.dnsPort}`,
      EDGE_HTTP_LISTEN: `127.0.0.1:${o.httpPort}`,
      EDGE_DATA_DIR: o.dataDir,
      EDGE_WORKERS: String(o.workers),
      EDGE_POLL_SECONDS: String(o.pollSeconds),
      HERALD_URL: o.heraldUrl,
      HERALD_TOKEN: o.token,
      REDIS_URL: o.redisUrl,
    }),
  );
  const m = await proc.waitFor(/answering DNS on 127\.0\.0\.1:(\d+) \([^)]*\); (\d+) zone\(s\)/, 30_000);
  return {
    proc,
    dnsPort: Number(m[1]),
    opsUrl: `http://127.0.0.1:${o.httpPort}`,
    zonesAtStart: Number(m[2]),
  };
}

export class Api {
  constructor(
    public url: string,
    private readonly token: string,
  ) {}

  async call<T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** The call, which must answer `status`; the body otherwise goes into the error. */
  async expect<T = Record<string, unknown>>(
    status: number,
    method: string,
    route: string,
    body?: unknown,
  ): Promise<T> {
    const r = await this.call<T>(method, route, body);
    if (r.status !== status)
      throw new Error(`${method} ${route}: HTTP ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
