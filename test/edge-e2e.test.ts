// End to end with real processes and a real DNS client: the built `herald api`
// (PostgreSQL when DATABASE_URL is set — a temporary database on that server —
// else embedded PGlite), a private redis-server, and the built `herald edge`,
// asked with kdig. A zone and records made through the API are answered;
// updates, deletes, NXDOMAIN and NODATA follow; herald shows the edge live.
// Then herald and Redis stop and the edge keeps answering, also after being
// killed and restarted while they are down (from its local copy); herald comes
// back first (the edge catches up by polling), then Redis (it re-subscribes).
// Last, an edge with two workers that only learns changes from the feed.
//
// Needs kdig (knot-dnsutils) and redis-server (redis-server): the test fails,
// never skips, when either is missing.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { buildLocked } from '../tools/vitest/build-lock.js';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  createTemporaryDatabase,
  type TemporaryDatabase,
} from '../apps/herald/test/support/temporary-database.js';
import {
  adminToken,
  mintEdgeKey,
  Api,
  getJson,
  newMasterKey,
  startEdge,
  startHerald,
  type Edge,
  type Herald,
} from './support/herald.js';
import { kdig, values } from './support/kdig.js';
import {
  cleanEnv,
  eventually,
  freePort,
  requireTool,
  sleep,
  stopAll,
  tempDir,
  type Proc,
} from './support/processes.js';
import { startRedis, subscribers, waitForRedis } from './support/redis.js';

const ZONE = 'e2e.example.';
const CHANNEL = 'herald:zone-changes';
const name = (label: string) => `${label}.${ZONE}`;

interface RecordView {
  id: string;
  name: string;
  type: string;
  value: string;
  ttl: number;
}

let db: TemporaryDatabase | undefined;
let redis: Proc;
let redisPort: number;
let herald: Herald;
let api: Api;
let heraldDir: string;
let masterKey: string;
let edgeToken: string;
let edge: Edge;
let edgeDir: string;
let edgeHttpPort: number;
/** Records created through the API, by role in the test. */
const created: Record<string, RecordView> = {};

const redisUrl = () => `redis://127.0.0.1:${redisPort}`;

function edgeOptions(overrides: Partial<Parameters<typeof startEdge>[0]> = {}) {
  return {
    id: 'e2e-edge-1',
    dnsPort: 0,
    httpPort: edgeHttpPort,
    dataDir: edgeDir,
    heraldUrl: herald.url,
    token: edgeToken,
    redisUrl: redisUrl(),
    workers: 1,
    pollSeconds: 1,
    ...overrides,
  };
}

function relaunchHerald(): Promise<Herald> {
  return startHerald({
    dataDir: heraldDir,
    ...(db ? { databaseUrl: db.url } : {}),
    redisUrl: redisUrl(),
    port: herald?.port ?? 0,
    masterKey,
  });
}

async function zoneSerial(): Promise<number> {
  return (await api.expect<{ serial: number }>(200, 'GET', `/v1/zones/${ZONE}`)).serial;
}

/** The edge answers `label` A with exactly `addresses`, authoritatively. */
async function answersA(port: number, label: string, addresses: string[], tcp = false): Promise<void> {
  const a = await kdig(port, name(label), 'A', { tcp });
  expect(a.status).toBe('NOERROR');
  expect(a.aa).toBe(true);
  expect(values(a, 'A')).toEqual(addresses);
}

async function isNxdomain(port: number, label: string, type = 'A'): Promise<void> {
  const a = await kdig(port, name(label), type);
  expect(a.status).toBe('NXDOMAIN');
  expect(a.aa).toBe(true);
  expect(a.answer).toEqual([]);
  expect(a.authority.map((r) => [r.name, r.type])).toEqual([[ZONE, 'SOA']]);
}

async function isNodata(port: number, label: string, type: string): Promise<void> {
  const a = await kdig(port, name(label), type);
  expect(a.status).toBe('NOERROR');
  expect(a.aa).toBe(true);
  expect(a.answer).toEqual([]);
  expect(a.authority.map((r) => [r.name, r.type])).toEqual([[ZONE, 'SOA']]);
}

/** What the edge serves, checked after every outage step: the state the API left before it. */
async function servesTheLastState(port: number): Promise<void> {
  await answersA(port, 'www', ['192.0.2.20']);
  await answersA(port, 'www', ['192.0.2.20'], true);
  const mx = await kdig(port, ZONE, 'MX');
  expect(values(mx, 'MX')).toEqual([`10 mail.${ZONE}`]);
  await isNxdomain(port, 'old');
  await isNodata(port, 'www', 'TXT');
}

// Output of every process, printed once when a test fails: the assertion alone rarely says why.
const watched: Proc[] = [];
let dumped = false;
function dumpOnFailure(procs: Proc[]) {
  watched.push(...procs);
}
beforeEach(({ onTestFailed }) =>
  onTestFailed(() => {
    if (dumped) return;
    dumped = true;
    for (const p of watched) console.error(p.output());
  }),
);

beforeAll(async () => {
  requireTool('kdig', 'apt-get install knot-dnsutils');
  requireTool('redis-server', 'apt-get install redis-server');
  const build = await buildLocked(cleanEnv({}));
  if (build.code !== 0) throw new Error(`pnpm run build failed:\n${build.stdout}${build.stderr}`);

  if (process.env.DATABASE_URL) db = await createTemporaryDatabase(process.env.DATABASE_URL);
  heraldDir = tempDir('herald-e2e-api-');
  edgeDir = tempDir('herald-e2e-edge-');
  masterKey = newMasterKey();
  redisPort = await freePort();
  redis = startRedis(redisPort, tempDir('herald-e2e-redis-'));
  await waitForRedis(redis);
  herald = await relaunchHerald();
  api = new Api(herald.url, await adminToken(heraldDir));

  // The edge's key, minted with the built CLI as an operator would.
  edgeToken = await mintEdgeKey(herald.url, heraldDir);

  edgeHttpPort = await freePort();
  edge = await startEdge(edgeOptions());
  dumpOnFailure([redis, herald.proc, edge.proc]);
}, 120_000);

afterAll(async () => {
  await stopAll();
  await db?.drop();
});

describe(`herald api (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}), Redis and herald edge as processes, asked with kdig`, () => {
  test('a zone and records created through the API are answered within seconds', async () => {
    await api.expect(201, 'POST', '/v1/zones', {
      name: ZONE,
      nameservers: ['ns1.example.net.', 'ns2.example.net.'],
      ttl: 300,
    });
    created.www = await api.expect<RecordView>(201, 'POST', `/v1/zones/${ZONE}/records`, {
      name: 'www',
      type: 'A',
      value: '192.0.2.10',
      ttl: 120,
    });
    await api.expect(201, 'POST', `/v1/zones/${ZONE}/records`, {
      name: '@',
      type: 'MX',
      value: `10 mail.${ZONE}`,
      ttl: 300,
    });
    await api.expect(201, 'POST', `/v1/zones/${ZONE}/records`, {
      name: 'mail',
      type: 'A',
      value: '192.0.2.25',
      ttl: 300,
    });
    created.old = await api.expect<RecordView>(201, 'POST', `/v1/zones/${ZONE}/records`, {
      name: 'old',
      type: 'A',
      value: '192.0.2.99',
      ttl: 300,
    });

    await eventually(() => answersA(edge.dnsPort, 'old', ['192.0.2.99']), 5000);
    const a = await kdig(edge.dnsPort, name('www'), 'A');
    expect(a).toMatchObject({ status: 'NOERROR', aa: true });
    expect(a.answer).toEqual([{ name: name('www'), type: 'A', ttl: 120, data: '192.0.2.10' }]);
    await answersA(edge.dnsPort, 'www', ['192.0.2.10'], true);
    const soa = await kdig(edge.dnsPort, ZONE, 'SOA');
    expect(soa.answer).toHaveLength(1);
    expect(Number(soa.answer[0]!.data.split(' ')[2])).toBe(await zoneSerial());
    const ns = await kdig(edge.dnsPort, ZONE, 'NS');
    expect(values(ns, 'NS')).toEqual(['ns1.example.net.', 'ns2.example.net.']);
  });

  test('an update is answered with the new value', async () => {
    await api.expect(200, 'PUT', `/v1/zones/${ZONE}/records/${created.www!.id}`, {
      name: 'www',
      type: 'A',
      value: '192.0.2.20',
      ttl: 120,
    });
    await eventually(() => answersA(edge.dnsPort, 'www', ['192.0.2.20']), 5000);
  });

  test('a deleted name is NXDOMAIN, a missing type NODATA', async () => {
    await api.expect(204, 'DELETE', `/v1/zones/${ZONE}/records/${created.old!.id}`);
    await eventually(() => isNxdomain(edge.dnsPort, 'old'), 5000);
    await isNxdomain(edge.dnsPort, 'never-existed', 'AAAA');
    await isNodata(edge.dnsPort, 'www', 'TXT');
    await isNodata(edge.dnsPort, 'mail', 'AAAA');
  });

  test('herald shows the edge: healthy in /v1/edges, and the zone live at its serial', async () => {
    const serial = await zoneSerial();
    const propagation = await eventually(async () => {
      const p = await api.expect<{
        serial: number;
        live: boolean;
        edges: { id: string; status: string; serial: number | null; upToDate: boolean }[];
      }>(200, 'GET', `/v1/zones/${ZONE}/propagation`);
      expect(p.live).toBe(true);
      return p;
    }, 5000);
    expect(propagation.serial).toBe(serial);
    expect(propagation.edges).toEqual([
      expect.objectContaining({ id: 'e2e-edge-1', status: 'healthy', serial, upToDate: true }),
    ]);
    const edges = await api.expect<{ edges: { id: string; status: string; zones: number }[] }>(
      200,
      'GET',
      '/v1/edges',
    );
    expect(edges.edges).toEqual([
      expect.objectContaining({ id: 'e2e-edge-1', status: 'healthy', version: expect.any(String), zones: 1 }),
    ]);
    // The edge's own view agrees.
    const health = await getJson(`${edge.opsUrl}/healthz`);
    expect(health.body).toMatchObject({
      status: 'ok',
      edgeId: 'e2e-edge-1',
      zones: [expect.objectContaining({ zone: ZONE, serial })],
      controlPlane: { reachable: true },
    });
  });

  test('with herald and Redis stopped, the edge keeps answering', async () => {
    await redis.stop('SIGKILL');
    await herald.proc.stop('SIGTERM');
    const until = Date.now() + 3000;
    let asked = 0;
    while (Date.now() < until) {
      await answersA(edge.dnsPort, 'www', ['192.0.2.20']);
      asked++;
      await sleep(100);
    }
    expect(asked).toBeGreaterThan(10);
    await servesTheLastState(edge.dnsPort);
    // A poll (every second) has failed by now.
    const health = await eventually(async () => {
      const h = await getJson(`${edge.opsUrl}/healthz`);
      expect(h.body.controlPlane).toMatchObject({ reachable: false });
      return h;
    }, 3000);
    expect(health.body.status).toBe('ok');
    expect(await getJson(`${edge.opsUrl}/readyz`)).toEqual({ status: 200, body: { ready: true } });
  });

  test('an edge killed and restarted while they are down answers its local copy at once', async () => {
    const port = edge.dnsPort;
    await edge.proc.stop('SIGKILL');
    await expect(kdig(port, name('www'), 'A')).rejects.toThrow(/no answer/);
    const started = Date.now();
    edge = await startEdge(edgeOptions({ dnsPort: port }));
    dumpOnFailure([edge.proc]);
    expect(edge.dnsPort).toBe(port);
    expect(edge.zonesAtStart).toBe(1);
    // No retry: the first query after the start line is answered from the local copy.
    await servesTheLastState(port);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await getJson(`${edge.opsUrl}/readyz`)).toEqual({ status: 200, body: { ready: true } });
    const health = await getJson(`${edge.opsUrl}/healthz`);
    expect(health.body).toMatchObject({
      status: 'ok',
      zones: [expect.objectContaining({ zone: ZONE })],
      controlPlane: { reachable: false },
    });
  });

  test('herald back (Redis still down): the edge catches up by polling', async () => {
    herald = await relaunchHerald();
    dumpOnFailure([herald.proc]);
    api.url = herald.url;
    await api.expect(201, 'POST', `/v1/zones/${ZONE}/records`, {
      name: 'polled',
      type: 'A',
      value: '192.0.2.30',
      ttl: 300,
    });
    await eventually(() => answersA(edge.dnsPort, 'polled', ['192.0.2.30']), 8000);
    await eventually(async () => {
      const h = await getJson(`${edge.opsUrl}/healthz`);
      expect(h.body.controlPlane).toMatchObject({ reachable: true });
    }, 3000);
  });

  test('Redis back: the edge subscribes again, and changes keep arriving', async () => {
    redis = startRedis(redisPort, tempDir('herald-e2e-redis-'));
    dumpOnFailure([redis]);
    await waitForRedis(redis);
    // ioredis retries at most every 5 s.
    await eventually(async () => expect(await subscribers(redisPort, CHANNEL)).toBe(1), 10_000, 200);
    await api.expect(200, 'PUT', `/v1/zones/${ZONE}/records/${created.www!.id}`, {
      name: 'www',
      type: 'A',
      value: '192.0.2.21',
      ttl: 120,
    });
    await eventually(() => answersA(edge.dnsPort, 'www', ['192.0.2.21']), 5000);
    await eventually(async () => {
      const p = await api.expect<{ live: boolean }>(200, 'GET', `/v1/zones/${ZONE}/propagation`);
      expect(p.live).toBe(true);
    }, 5000);
  });

  test('an edge with EDGE_WORKERS=2 and no polling (feed only) answers a change', async () => {
    const before = await subscribers(redisPort, CHANNEL);
    const second = await startEdge(
      edgeOptions({
        id: 'e2e-edge-2',
        dataDir: tempDir('herald-e2e-edge2-'),
        httpPort: await freePort(),
        workers: 2,
        // After the first sync at start, only the change feed can bring a change within the test.
        pollSeconds: 3600,
      }),
    );
    dumpOnFailure([second.proc]);
    expect(second.proc.stdout).toMatch(/\(udp, tcp, 2 workers\)/);
    await eventually(() => answersA(second.dnsPort, 'www', ['192.0.2.21']), 10_000);
    await eventually(async () => expect(await subscribers(redisPort, CHANNEL)).toBe(before + 1), 10_000, 100);

    await api.expect(200, 'PUT', `/v1/zones/${ZONE}/records/${created.www!.id}`, {
      name: 'www',
      type: 'A',
      value: '192.0.2.22',
      ttl: 120,
    });
    await eventually(() => answersA(second.dnsPort, 'www', ['192.0.2.22']), 5000);
    // Every worker has the change: each query comes from a fresh socket, the kernel spreads them.
    for (let i = 0; i < 12; i++) await answersA(second.dnsPort, 'www', ['192.0.2.22'], i % 3 === 0);
    await eventually(() => answersA(edge.dnsPort, 'www', ['192.0.2.22']), 5000);
    await eventually(async () => {
      const p = await api.expect<{ live: boolean; edges: { id: string; upToDate: boolean }[] }>(
        200,
        'GET',
        `/v1/zones/${ZONE}/propagation`,
      );
      expect(p.live).toBe(true);
      expect(p.edges.map((e) => [e.id, e.upToDate])).toEqual([
        ['e2e-edge-1', true],
        ['e2e-edge-2', true],
      ]);
    }, 5000);
  });

  test('a zone deleted in herald stops being served, and leaves the local copy', async () => {
    await api.expect(204, 'DELETE', `/v1/zones/${ZONE}`);
    await eventually(
      async () => expect((await kdig(edge.dnsPort, name('www'), 'A')).status).toBe('REFUSED'),
      10_000,
    );
    await eventually(async () => {
      const files = readdirSync(path.join(edgeDir, 'zones')).filter((f) => f.startsWith(ZONE));
      expect(files).toEqual([]);
    }, 5000);
  });
});
