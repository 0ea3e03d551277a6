// Starts the real HTTP API on an ephemeral port over embedded PGlite (or a
// fresh database on DATABASE_URL's PostgreSQL when set) with the in-process change feed, and
// gives tests a small fetch helper. Two orgs, each with an admin key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createApi } from '../../src/api.js';
import type { ApiDependencies } from '../../src/app.module.js';
import { createOrgWithAdminKey } from '../../src/auth/bootstrap.js';
import { MemoryChangeFeed } from '../../src/adapters/change-feed/memory-change-feed.js';
import { openDatabase } from '../../src/adapters/persistence/data-source.js';
import { TypeOrmAuthStore } from '../../src/adapters/persistence/typeorm-auth-store.js';
import { TypeOrmEdgeRegistry } from '../../src/adapters/persistence/typeorm-edge-registry.js';
import { TypeOrmZoneStore } from '../../src/adapters/persistence/typeorm-zone-store.js';
import type { ZoneChanged } from '../../src/ports/change-feed.port.js';
import type { EdgeRegistry } from '../../src/ports/edge-registry.port.js';
import { createTemporaryDatabase } from '../support/temporary-database.js';

export interface Harness {
  url: string;
  /** Names of the two orgs (JWT `org` claims name them). */
  orgA: string;
  orgB: string;
  adminA: string;
  adminB: string;
  /** Admin of the operator org (`default`), which may mint edge keys. */
  operator: string;
  published: ZoneChanged[];
  /** The registry the API writes edge reports to (unless overridden). */
  edgeRegistry: EdgeRegistry;
  call(
    method: string,
    route: string,
    token: string | undefined,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
}

export type Backend = 'pglite' | 'postgres';

/** The API suites run on embedded PGlite always, and on PostgreSQL too when DATABASE_URL is set. */
export const BACKENDS: Backend[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function startHarness(
  backend: Backend,
  overrides: Partial<ApiDependencies> = {},
): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-api-'));
  const temp = backend === 'postgres' ? await createTemporaryDatabase(process.env.DATABASE_URL!) : undefined;
  const db = await openDatabase({ dataDir: dir, ...(temp ? { databaseUrl: temp.url } : {}) });
  const zoneStore = new TypeOrmZoneStore(db.dataSource);
  const authStore = new TypeOrmAuthStore(db.dataSource);
  const edgeRegistry = new TypeOrmEdgeRegistry(db.dataSource);
  const changeFeed = new MemoryChangeFeed();
  const published: ZoneChanged[] = [];
  await changeFeed.subscribe((e) => published.push(e));
  const suffix = Math.random().toString(36).slice(2, 8);
  const a = await createOrgWithAdminKey(authStore, `org-a-${suffix}`);
  const b = await createOrgWithAdminKey(authStore, `org-b-${suffix}`);
  const operator = await createOrgWithAdminKey(authStore, 'default');
  const app: INestApplication = await createApi({
    zoneStore,
    authStore,
    edgeRegistry,
    changeFeed,
    zoneDefaults: { nameservers: [], ttl: 3600, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 },
    // Suites make hundreds of calls a minute with one key; the limit has its own test.
    rateLimitPerMinute: 1_000_000,
    ...overrides,
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    orgA: a.org.name,
    orgB: b.org.name,
    adminA: a.token,
    adminB: b.token,
    operator: operator.token,
    published,
    edgeRegistry: overrides.edgeRegistry ?? edgeRegistry,
    async call(method, route, token, body, headers = {}) {
      const res = await fetch(url + route, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async close() {
      await app.close();
      await changeFeed.close();
      await db.close();
      await temp?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
