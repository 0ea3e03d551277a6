// DNSSEC end to end with real processes: the built `herald api` signs a zone
// turned on through PUT /v1/zones/{zone}/dnssec, the built `herald edge`
// receives the signed records through the export and change feed, and
// validators nobody here wrote judge what the edge answers, with the DS the
// API gives for the registrar as their only trust anchor:
//
// - delv: answers, NXDOMAIN, NODATA, a wildcard, a CNAME, an empty
//   non-terminal, the DS of a signed and the NSEC3 proof of an unsigned
//   delegation are "fully validated";
// - unbound, validating, in front of the edge: AD set; the same answer with
//   one address changed on the way (a UDP proxy) is SERVFAIL;
// - DNSViz probe + grok: no error;
// - a record added through the API is answered signed and validates.
//
// PostgreSQL when DATABASE_URL is set (a temporary database), else PGlite.
// Needs kdig, delv, unbound, dnsviz and redis-server: fails, never skips,
// when one is missing.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildLocked } from '../tools/vitest/build-lock.js';
import {
  createTemporaryDatabase,
  type TemporaryDatabase,
} from '../apps/herald/test/support/temporary-database.js';
import { delvQuery, dnsvizCheck, startUnbound, type Unbound } from './support/dnssec-validators.js';
import {
  adminToken,
  Api,
  mintEdgeKey,
  newMasterKey,
  startEdge,
  startHerald,
  type Edge,
  type Herald,
} from './support/herald.js';
import { kdig } from './support/kdig.js';
import {
  cleanEnv,
  eventually,
  freePort,
  requireTool,
  stopAll,
  tempDir,
  type Proc,
} from './support/processes.js';
import { startRedis, waitForRedis } from './support/redis.js';

const ZONE = 'signed.example.';
const name = (label: string) => `${label}.${ZONE}`;

let db: TemporaryDatabase | undefined;
let redis: Proc;
let herald: Herald;
let api: Api;
let edge: Edge;
let ds: string[];
const unbounds: Unbound[] = [];
let proxy: Socket | undefined;

const watched: Proc[] = [];
let dumped = false;
beforeEach(({ onTestFailed }) =>
  onTestFailed(() => {
    if (dumped) return;
    dumped = true;
    for (const p of watched) console.error(p.output());
  }),
);

async function record(body: Record<string, unknown>): Promise<void> {
  await api.expect(201, 'POST', `/v1/zones/${ZONE}/records`, { ttl: 300, ...body });
}

const delv = (qname: string, type: string) =>
  delvQuery({ port: edge.dnsPort, name: qname, type, trustAnchorDs: ds, zone: ZONE });

/**
 * A UDP forwarder to the edge that rewrites 192.0.2.10 to 192.0.2.11 in every
 * reply (the A RDATA of www), leaving its RRSIG as it was: a forged answer.
 */
async function tamperingProxy(upstreamPort: number): Promise<number> {
  const port = await freePort();
  const sock = createSocket('udp4');
  const clients = new Map<number, { address: string; port: number }>();
  const upstream = createSocket('udp4');
  const from = Buffer.from([192, 0, 2, 10]);
  const to = Buffer.from([192, 0, 2, 11]);
  sock.on('message', (msg, rinfo) => {
    clients.set(msg.readUInt16BE(0), { address: rinfo.address, port: rinfo.port });
    upstream.send(msg, upstreamPort, '127.0.0.1');
  });
  upstream.on('message', (msg) => {
    const client = clients.get(msg.readUInt16BE(0));
    if (!client) return;
    for (let at = msg.indexOf(from); at >= 0; at = msg.indexOf(from, at + 1)) to.copy(msg, at);
    sock.send(msg, client.port, client.address);
  });
  await new Promise<void>((resolve) => upstream.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => sock.bind(port, '127.0.0.1', resolve));
  proxy = sock;
  sock.on('close', () => upstream.close());
  return port;
}

beforeAll(async () => {
  for (const [tool, pkg] of [
    ['kdig', 'knot-dnsutils'],
    ['delv', 'bind9-dnsutils'],
    ['unbound', 'unbound'],
    ['dnsviz', 'dnsviz'],
    ['redis-server', 'redis-server'],
  ])
    requireTool(tool!, `apt-get install ${pkg}`);
  const build = await buildLocked(cleanEnv({}));
  if (build.code !== 0) throw new Error(`pnpm run build failed:\n${build.stdout}${build.stderr}`);
  if (process.env.DATABASE_URL) db = await createTemporaryDatabase(process.env.DATABASE_URL);
  const heraldDir = tempDir('herald-dnssec-e2e-api-');
  const redisPort = await freePort();
  redis = startRedis(redisPort, tempDir('herald-dnssec-e2e-redis-'));
  await waitForRedis(redis);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  herald = await startHerald({
    dataDir: heraldDir,
    ...(db ? { databaseUrl: db.url } : {}),
    redisUrl,
    port: 0,
    masterKey: newMasterKey(),
  });
  api = new Api(herald.url, await adminToken(heraldDir));
  edge = await startEdge({
    id: 'dnssec-e2e-edge',
    dnsPort: 0,
    httpPort: await freePort(),
    dataDir: tempDir('herald-dnssec-e2e-edge-'),
    heraldUrl: herald.url,
    token: await mintEdgeKey(herald.url, heraldDir),
    redisUrl,
    workers: 1,
    pollSeconds: 1,
  });
  watched.push(redis, herald.proc, edge.proc);

  // In-zone name servers at 127.0.0.1, so DNSViz finds the edge under every NS name.
  await api.expect(201, 'POST', '/v1/zones', {
    name: ZONE,
    nameservers: [name('ns1'), name('ns2')],
    ttl: 300,
  });
  await record({ name: 'ns1', type: 'A', value: '127.0.0.1' });
  await record({ name: 'ns2', type: 'A', value: '127.0.0.1' });
  await record({ name: 'www', type: 'A', value: '192.0.2.10' });
  await record({ name: 'alias', type: 'CNAME', value: name('www') });
  await record({ name: '*.wild', type: 'TXT', value: '"any"' });
  await record({ name: 'host.a.b.ent', type: 'A', value: '192.0.2.12' });
  await record({ name: 'insecure', type: 'NS', value: 'ns.example.net.' });
  await record({ name: 'secure', type: 'NS', value: 'ns.example.net.' });
  await record({
    name: 'secure',
    type: 'DS',
    value: '12345 13 2 3490A6806D47F17A34C29E2CE80E8A999FFBE4BE5F8E5D6C8E5C7E2D0A1B2C3D',
  });
  await api.expect(200, 'PUT', `/v1/zones/${ZONE}/dnssec`, { enabled: true });
  const view = await api.expect<{ ds: string[]; state: string }>(200, 'GET', `/v1/zones/${ZONE}/dnssec`);
  expect(view.state).toBe('signed');
  ds = view.ds;
  expect(ds.length).toBeGreaterThan(0);
  // The edge has the signed zone once it answers the DNSKEY RRset with its signature.
  await eventually(async () => {
    const a = await kdig(edge.dnsPort, ZONE, 'DNSKEY', { dnssec: true });
    expect(a.answer.map((r) => r.type)).toContain('RRSIG');
  }, 20_000);
}, 180_000);

afterAll(async () => {
  proxy?.close();
  for (const u of unbounds) await u.stop();
  await stopAll();
  await db?.drop();
});

describe(`herald api (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}) signs, herald edge answers, validators agree`, () => {
  test('delv fully validates answers and proofs from the edge', async () => {
    const cases: [string, string, 'positive' | 'negative'][] = [
      [name('www'), 'A', 'positive'],
      [ZONE, 'SOA', 'positive'],
      [ZONE, 'DNSKEY', 'positive'],
      [name('alias'), 'A', 'positive'],
      [name('anything.wild'), 'TXT', 'positive'],
      [name('secure'), 'DS', 'positive'],
      [name('insecure'), 'DS', 'negative'], // NSEC3 proof that the delegation is unsigned
      [name('nope'), 'A', 'negative'], // NXDOMAIN
      [name('www'), 'TXT', 'negative'], // NODATA
      [name('b.ent'), 'A', 'negative'], // empty non-terminal
      [name('anything.wild'), 'A', 'negative'], // wildcard NODATA
    ];
    for (const [qname, type, status] of cases) {
      const r = await delv(qname, type);
      expect(r.status, `${qname} ${type}\n${r.output}`).toBe(status);
    }
  });

  test('unbound validates through the edge (AD) and refuses a forged answer (SERVFAIL)', async () => {
    const honest = await startUnbound({
      upstream: { host: '127.0.0.1', port: edge.dnsPort },
      zone: ZONE,
      trustAnchorDs: ds,
    });
    unbounds.push(honest);
    const www = await honest.query(name('www'), 'A');
    expect(www.rcode).toBe('NOERROR');
    expect(www.ad).toBe(true);
    expect(www.answer).toContain('192.0.2.10');
    const nx = await honest.query(name('nope'), 'A');
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.ad).toBe(true);

    const forged = await startUnbound({
      upstream: { host: '127.0.0.1', port: await tamperingProxy(edge.dnsPort) },
      zone: ZONE,
      trustAnchorDs: ds,
    });
    unbounds.push(forged);
    const bad = await forged.query(name('www'), 'A');
    expect(bad.rcode).toBe('SERVFAIL');
    expect(bad.answer).not.toContain('192.0.2.11');
  });

  test('DNSViz finds no error in the zone the edge serves', async () => {
    const r = await dnsvizCheck({ port: edge.dnsPort, zone: ZONE, trustAnchorDs: ds });
    expect(r.errors, r.output).toEqual([]);
    expect(r.ok, r.output).toBe(true);
  }, 180_000);

  test('a record added through the API is answered signed and validates', async () => {
    await record({ name: 'fresh', type: 'A', value: '192.0.2.77' });
    const r = await eventually(async () => {
      const v = await delv(name('fresh'), 'A');
      expect(v.status, v.output).toBe('positive');
      return v;
    }, 20_000);
    expect(r.output).toMatch(/192\.0\.2\.77/);
    // Its neighbour's proof changed too: a name next to it is still a validated NXDOMAIN.
    expect((await delv(name('freshz'), 'A')).status).toBe('negative');
  });
});
