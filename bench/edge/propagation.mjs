#!/usr/bin/env node
// Propagation benchmark: how long after a change is committed through the API
// an edge answers it. Goal: every edge within 100 ms at p99, whatever the zone
// size — incremental, never a full reload for a one-record change.
//
// Usage (after `pnpm build`; needs redis-server, and PostgreSQL unless --embedded):
//   node bench/edge/propagation.mjs                         # zones of 1,000 and 100,000 records
//   node bench/edge/propagation.mjs --sizes 1000,1000000 --changes 300
//   node bench/edge/propagation.mjs --embedded               # PGlite instead of PostgreSQL
//   node bench/edge/propagation.mjs --workers 2              # edge with EDGE_WORKERS=2 (cluster)
// Options:
//   --sizes N,N,...     zone sizes in records (default 1000,100000)
//   --changes K         measured single-record changes per size (default 100), after 5 warm-up ones
//   --workers N         EDGE_WORKERS of the edge (default 1: the process that syncs answers too)
//   --poll-seconds S    EDGE_POLL_SECONDS of the edge (default 5, the edge's default)
//   --interval-ms M     how often the probe asks the edge (default 1)
//   --embedded          herald on embedded PGlite (default: a temporary database on DATABASE_URL's
//                       server, else postgres://postgres@127.0.0.1:5432/test)
//   --json              also print the raw numbers as one JSON line at the end
//   --dnssec            sign the zone (PUT /dnssec: algorithm 13, NSEC3) before the edge
//                       starts; the probe asks with DO and counts a change only when the
//                       answer carries its RRSIG (NXDOMAIN: NSEC3 and RRSIG); after each
//                       change (clock stopped) delv, with the API's DS as trust anchor,
//                       must fully validate the edge's answer (needs bind9-dnsutils)
//
// For each size, a fresh stack on free loopback ports: a private redis-server
// (no persistence), the built `herald api` (temporary database, random master
// key, rate limit off) and one built `herald edge` (REDIS_URL, an edge key
// minted through the API, its own data directory). The zone — SOA, 2 NS and N
// records (60 % A, 20 % AAAA, 10 % TXT, 10 % CNAME, each at its own name) — is
// created with POST /v1/zones and loaded with POST /v1/zones/{zone}/import
// (text/dns); the script waits until the edge answers the imported serial.
// Then K single-record changes through the API, one at a time, cycling:
//   add     POST   /records      a new name's A  -> the probe expects that A
//   update  PUT    /records/{id} an imported A   -> the probe expects the new address
//   delete  DELETE /records/{id} an imported A   -> the probe expects NXDOMAIN
// (ids are looked up before the clock starts). The clock starts when the API
// response has arrived (the change is committed) and stops at the first UDP
// answer from the edge that shows the change (node:dgram, a query every
// --interval-ms on one socket, replies matched by id), provided every later
// answer shows it too: with several workers a stale worker restarts the
// count, so the time is when the whole edge has it. A change not answered
// within 10 s counts as 10 s and fails the goal.
//
// Incremental check: herald's /metrics counts requests by route; the edge
// must fetch /changes and never /export while the K changes run.
//
// Every process runs in its own process group and is killed at the end, also
// on failure and Ctrl-C; the temporary database and directories are removed.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cliMain = path.join(root, 'apps/cli/dist/main.js');
const GOAL_MS = 100;
const GIVE_UP_MS = 10_000;
const WARMUP = 5;

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const o = {
    sizes: [1000, 100000],
    changes: 100,
    workers: 1,
    pollSeconds: 5,
    intervalMs: 1,
    embedded: false,
    json: false,
    dnssec: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (v, min) => {
      if (!/^\d+$/.test(v) || Number(v) < min)
        throw new Error(`${a}: '${v}' is not a whole number >= ${min}`);
      return Number(v);
    };
    if (a === '--sizes')
      o.sizes = next()
        .split(',')
        .map((s) => int(s.trim(), 1));
    else if (a === '--changes') o.changes = int(next(), 1);
    else if (a === '--workers') o.workers = int(next(), 1);
    else if (a === '--poll-seconds') o.pollSeconds = int(next(), 1);
    else if (a === '--interval-ms') o.intervalMs = int(next(), 1);
    else if (a === '--embedded') o.embedded = true;
    else if (a === '--json') o.json = true;
    else if (a === '--dnssec') o.dnssec = true;
    else if (a === '--help' || a === '-h') {
      console.log('see the header of bench/edge/propagation.mjs');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see the header of bench/edge/propagation.mjs)`);
  }
  return o;
}

// ---------------------------------------------------------------- processes and clean-up

const children = new Set();
const tempDirs = new Set();
const cleanups = [];

function killGroup(child, signal = 'SIGKILL') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* gone already */
  }
}

async function cleanupAll() {
  for (const c of children) killGroup(c);
  children.clear();
  for (const fn of cleanups.splice(0)) await fn().catch(() => {});
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(sig, () => {
    console.error(`\n${sig}: stopping every process and cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  });
process.on('exit', () => {
  for (const c of children) killGroup(c);
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix) {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

/** Spawns in its own process group; keeps the output for waitFor and error messages. */
function start(name, cmd, args, env) {
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const p = { name, child, out: '', err: '' };
  child.stdout.on('data', (d) => (p.out += d));
  child.stderr.on('data', (d) => (p.err += d));
  child.on('exit', () => children.delete(child));
  children.add(child);
  p.waitFor = async (re, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(p.out);
      if (m) return m;
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${name} exited before printing ${re}:\n${p.out}${p.err}`);
      if (Date.now() > deadline)
        throw new Error(`${name}: no ${re} within ${timeoutMs} ms:\n${p.out}${p.err}`);
      await sleep(20);
    }
  };
  p.stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    killGroup(child, 'SIGTERM');
    const t = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
    killGroup(child, 'SIGKILL');
  };
  return p;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function baseEnv(extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/^(HERALD_|EDGE_)/.test(k) || k === 'DATABASE_URL' || k === 'REDIS_URL') delete env[k];
  return { ...env, ...extra };
}

async function freePort() {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise((resolve) => {
      const u = dgram.createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port for TCP and UDP');
}

function which(tool) {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(path.join(d, tool)));
}

// ---------------------------------------------------------------- PostgreSQL (through herald's own pg)

async function temporaryDatabase() {
  const pg = createRequire(path.join(root, 'apps/herald/package.json'))('pg');
  const server = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const name = `herald_bench_${randomBytes(6).toString('hex')}`;
  const run = async (sql) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  try {
    await run(`CREATE DATABASE ${name}`);
  } catch (e) {
    throw new Error(
      `cannot create a database on ${new URL(server).host} (${e.message}); set DATABASE_URL or use --embedded`,
    );
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

// ---------------------------------------------------------------- REST

function client(base, token) {
  return async (method, route, { json, text, expect } = {}) => {
    const headers = { authorization: `Bearer ${token}` };
    let body;
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (text !== undefined) {
      headers['content-type'] = 'text/dns';
      body = text;
    }
    const res = await fetch(`${base}${route}`, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(600_000),
    });
    const out = await res.text();
    if (expect !== undefined && res.status !== expect)
      throw new Error(`${method} ${route}: HTTP ${res.status} (expected ${expect}): ${out.slice(0, 500)}`);
    const type = res.headers.get('content-type') ?? '';
    return type.includes('json') && out ? JSON.parse(out) : out;
  };
}

/** herald_http_requests_total summed per route. */
async function requestCounts(call) {
  const text = await call('GET', '/metrics', { expect: 200 });
  const counts = {};
  for (const m of text.matchAll(/^herald_http_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const route = /route="([^"]*)"/.exec(m[1])?.[1] ?? '?';
    counts[route] = (counts[route] ?? 0) + Number(m[2]);
  }
  return counts;
}

// ---------------------------------------------------------------- DNS over UDP

const T_A = 1;
const T_SOA = 6;

const T_RRSIG = 46;
const T_NSEC3 = 50;

function encodeQuery(name, type, id, dnssec = false) {
  const parts = [Buffer.from([id >> 8, id & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0, dnssec ? 1 : 0])];
  for (const l of name.replace(/\.$/, '').split('.'))
    parts.push(Buffer.from([l.length]), Buffer.from(l, 'ascii'));
  parts.push(Buffer.from([0, type >> 8, type & 255, 0, 1]));
  // OPT (RFC 6891): 4096-octet payload, DO set (RFC 3225).
  if (dnssec) parts.push(Buffer.from([0, 0, 41, 0x10, 0x00, 0, 0, 0x80, 0x00, 0, 0]));
  return Buffer.concat(parts);
}

function skipName(buf, off) {
  for (;;) {
    const len = buf[off];
    if (len === undefined) throw new Error('truncated name');
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += len + 1;
  }
}

/** { id, rcode, answers: [{ type, rdata }], authority: [types] } of a reply. */
function decodeReply(buf) {
  const id = buf.readUInt16BE(0);
  const rcode = buf.readUInt16BE(2) & 15;
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let off = 12;
  for (let i = 0; i < qd; i++) off = skipName(buf, off) + 4;
  const answers = [];
  for (let i = 0; i < an; i++) {
    off = skipName(buf, off);
    const type = buf.readUInt16BE(off);
    const rdlen = buf.readUInt16BE(off + 8);
    answers.push({ type, rdata: buf.subarray(off + 10, off + 10 + rdlen) });
    off += 10 + rdlen;
  }
  const authority = [];
  const ns = buf.readUInt16BE(8);
  for (let i = 0; i < ns && off < buf.length; i++) {
    off = skipName(buf, off);
    authority.push(buf.readUInt16BE(off));
    off += 10 + buf.readUInt16BE(off + 8);
  }
  return { id, rcode, answers, authority };
}

const aOf = (reply) =>
  reply.answers
    .filter((a) => a.type === T_A && a.rdata.length === 4)
    .map((a) => [...a.rdata].join('.'))
    .sort()
    .join(',');

class Probe {
  constructor(port, dnssec = false) {
    this.port = port;
    this.dnssec = dnssec;
    this.sock = dgram.createSocket('udp4');
    this.pending = new Map();
    this.nextId = Math.floor(Math.random() * 65536);
    this.sock.on('message', (msg) => {
      const t = performance.now();
      if (msg.length < 12) return;
      const id = msg.readUInt16BE(0);
      const handler = this.pending.get(id);
      if (!handler) return;
      this.pending.delete(id);
      handler(decodeReply(msg), t);
    });
    this.sock.on('error', () => {});
  }

  async ready() {
    await new Promise((r) => this.sock.bind(0, '127.0.0.1', r));
  }

  send(name, type, onReply) {
    const id = (this.nextId = (this.nextId + 1) & 0xffff);
    this.pending.set(id, onReply);
    this.sock.send(encodeQuery(name, type, id, this.dnssec), this.port, '127.0.0.1');
    return id;
  }

  /** One query, answered within 1 s or undefined. */
  ask(name, type) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, 1000);
      const id = this.send(name, type, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  /**
   * Asks every intervalMs from `since` until `ok(reply)` has held for the last
   * `streak` replies spanning at least 10 ms; returns the arrival time of the
   * first reply of that run (or undefined after GIVE_UP_MS).
   */
  until(name, type, ok, since, intervalMs, streak = 20) {
    return new Promise((resolve) => {
      let runStart;
      let run = 0;
      let done = false;
      const finish = (value) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        clearTimeout(giveUp);
        resolve(value);
      };
      const onReply = (reply, t) => {
        if (done) return;
        if (ok(reply)) {
          if (run === 0) runStart = t;
          run++;
          if (run >= streak && t - runStart >= 10) finish(runStart - since);
        } else run = 0;
      };
      const timer = setInterval(() => this.send(name, type, onReply), intervalMs);
      this.send(name, type, onReply);
      const giveUp = setTimeout(() => finish(undefined), GIVE_UP_MS);
    });
  }

  close() {
    this.sock.close();
  }
}

/** Without DO these hold trivially; with it, the answer carries an RRSIG / the denial its NSEC3 and RRSIG. */
const signed = (r) => r.answers.some((a) => a.type === T_RRSIG);
const denied = (r) => r.authority.includes(T_NSEC3) && r.authority.includes(T_RRSIG);

/** delv asking the edge alone, the zone's DS its only trust anchor: "fully validated" (positive or negative). */
function delvValidates(dir, port, zone, ds, qname, positive) {
  const anchors = path.join(dir, 'anchors.conf');
  const lines = ds.map((l) => {
    const [owner, , , , tag, alg, digestType, ...digest] = l.split(/\s+/);
    return `  "${owner}" static-ds ${tag} ${alg} ${digestType} "${digest.join('')}";`;
  });
  writeFileSync(anchors, `trust-anchors {\n${lines.join('\n')}\n};\n`);
  const args = [`@127.0.0.1`, '-p', String(port), '-a', anchors, `+root=${zone}`, '+nosplit', qname, 'A'];
  return new Promise((resolve) =>
    execFile('delv', args, { timeout: 10_000 }, (_e, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      resolve(
        positive ? /^; fully validated$/m.test(out) : /^; negative response, fully validated$/m.test(out),
      );
    }),
  );
}

async function soaSerialAt(probe, zone) {
  const r = await probe.ask(zone, T_SOA);
  const soa = r?.answers.find((a) => a.type === T_SOA);
  if (!soa) return undefined;
  const off = skipName(soa.rdata, skipName(soa.rdata, 0));
  return soa.rdata.readUInt32BE(off);
}

// ---------------------------------------------------------------- the zone

const ipv4 = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** SOA, 2 NS and n records, each at its own name h<i>: 60 % A, 20 % AAAA, 10 % TXT, 10 % CNAME. */
function zoneFile(origin, n) {
  const lines = [
    `$ORIGIN ${origin}`,
    '$TTL 300',
    '@ SOA ns1.example.net. hostmaster.example.net. 1 7200 900 1209600 300',
    '@ NS ns1.example.net.',
    '@ NS ns2.example.net.',
  ];
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    if (k < 6) lines.push(`h${i} A ${ipv4(i)}`);
    else if (k < 8)
      lines.push(`h${i} AAAA 2001:db8::${(i & 0xffff).toString(16)}:${(i >>> 16).toString(16)}`);
    else if (k === 8) lines.push(`h${i} TXT "record ${i}"`);
    else lines.push(`h${i} CNAME cdn${i % 7}.example.net.`);
  }
  return lines.join('\n') + '\n';
}

/** Imported names holding an A record, in a fixed pseudo-random order. */
function aNames(n) {
  const names = [];
  for (let i = 0; i < n; i++) if (i % 10 < 6) names.push(i);
  let s = 0x9e3779b9;
  for (let i = names.length - 1; i > 0; i--) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = s % (i + 1);
    [names[i], names[j]] = [names[j], names[i]];
  }
  return names;
}

// ---------------------------------------------------------------- one size

async function runSize(size, o) {
  const zone = `prop-${size}.bench.example.`;
  const dir = tempDir('herald-bench-prop-');
  let db;
  if (!o.embedded) {
    db = await temporaryDatabase();
    cleanups.push(() => db.drop());
  }
  const redisPort = await freePort();
  const redis = start(
    'redis-server',
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    process.env,
  );
  await redis.waitFor(/Ready to accept connections/, 10_000);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;

  const masterKey = randomBytes(32).toString('base64');
  const herald = start(
    'herald api',
    process.execPath,
    [cliMain, 'api'],
    baseEnv({
      HERALD_DATA_DIR: path.join(dir, 'herald'),
      HERALD_API_LISTEN: '127.0.0.1:0',
      HERALD_MASTER_KEY: masterKey,
      HERALD_RATE_LIMIT: '100000000',
      REDIS_URL: redisUrl,
      ...(db ? { DATABASE_URL: db.url } : {}),
    }),
  );
  const url = (await herald.waitFor(/listening on (http:\/\/\S+) /, 120_000))[1];
  // With Redis the queue is BullMQ: the first sign of a large zone runs in a `herald worker`.
  const worker = o.dnssec
    ? start(
        'herald worker',
        process.execPath,
        [cliMain, 'worker'],
        baseEnv({ HERALD_MASTER_KEY: masterKey, REDIS_URL: redisUrl, DATABASE_URL: db.url }),
      )
    : undefined;
  const admin = (await readFile(path.join(dir, 'herald', 'admin-key'), 'utf8')).trim();
  const call = client(url, admin);
  const { token: edgeToken } = await call('POST', '/v1/apikeys', { json: { role: 'edge' }, expect: 201 });

  await call('POST', '/v1/zones', { json: { name: zone }, expect: 201 });
  const text = zoneFile(zone, size);
  let t = performance.now();
  const imported = await call('POST', `/v1/zones/${zone}/import`, { text, expect: 200 });
  const importMs = performance.now() - t;
  let servedSerial = imported.serial;
  let ds = [];
  let signMs;
  if (o.dnssec) {
    t = performance.now();
    // 200, or 202 when the first sign is a job.
    await call('PUT', `/v1/zones/${zone}/dnssec`, { json: { enabled: true } });
    // A large zone's first sign is a job: wait for it.
    for (;;) {
      const view = await call('GET', `/v1/zones/${zone}/dnssec`, { expect: 200 });
      if (view.job?.state === 'failed') throw new Error(`the sign job failed: ${JSON.stringify(view.job)}`);
      if (view.state === 'signed' && (!view.job || view.job.state === 'completed')) {
        ds = view.ds;
        break;
      }
      if (performance.now() - t > 600_000) throw new Error('the zone was not signed within 10 min');
      await sleep(200);
    }
    signMs = performance.now() - t;
    servedSerial = (await call('GET', `/v1/zones/${zone}`, { expect: 200 })).serial;
    console.log(`size ${size}: signed in ${(signMs / 1000).toFixed(1)} s (serial ${servedSerial})`);
  }

  const httpPort = await freePort();
  const edge = start(
    'herald edge',
    process.execPath,
    [cliMain, 'edge'],
    baseEnv({
      EDGE_ID: `bench-prop-${size}`,
      EDGE_DNS_LISTEN: '127.0.0.1:0',
      EDGE_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
      EDGE_DATA_DIR: path.join(dir, 'edge'),
      EDGE_WORKERS: String(o.workers),
      EDGE_POLL_SECONDS: String(o.pollSeconds),
      HERALD_URL: url,
      HERALD_TOKEN: edgeToken,
      REDIS_URL: redisUrl,
    }),
  );
  t = performance.now();
  const dnsPort = Number((await edge.waitFor(/answering DNS on 127\.0\.0\.1:(\d+)/, 60_000))[1]);
  const probe = new Probe(dnsPort, o.dnssec);
  await probe.ready();
  for (;;) {
    if ((await soaSerialAt(probe, zone)) === servedSerial) break;
    if (performance.now() - t > 600_000) throw new Error(`the edge did not serve ${zone} within 10 min`);
    if (edge.child.exitCode !== null) throw new Error(`the edge exited:\n${edge.out}${edge.err}`);
    await sleep(20);
  }
  const loadMs = performance.now() - t;
  console.log(
    `size ${size}: imported in ${(importMs / 1000).toFixed(1)} s (serial ${imported.serial}); ` +
      `the edge served it ${(loadMs / 1000).toFixed(1)} s after its start`,
  );

  // Ids of the imported A records updated and deleted, looked up before the clock runs.
  const total = WARMUP + o.changes;
  const pool = aNames(size);
  const needed = Math.ceil(total / 3) * 2;
  if (pool.length < needed) throw new Error(`size ${size} has ${pool.length} A records; ${needed} needed`);
  const ids = new Map();
  for (const i of pool.slice(0, needed)) {
    const { records } = await call('GET', `/v1/zones/${zone}/records?name=h${i}&type=A`, { expect: 200 });
    ids.set(i, records[0].id);
  }

  const before = await requestCounts(call);
  const results = [];
  let next = 0;
  for (let c = 0; c < total; c++) {
    const kind = ['add', 'update', 'delete'][c % 3];
    let route;
    let method;
    let json;
    let qname;
    let ok;
    let expectStatus;
    if (kind === 'add') {
      const addr = `198.51.${(c >> 8) & 255}.${c & 255}`;
      qname = `new${c}.${zone}`;
      method = 'POST';
      route = `/v1/zones/${zone}/records`;
      json = { name: `new${c}`, type: 'A', value: addr, ttl: 300 };
      expectStatus = 201;
      ok = (r) => r.rcode === 0 && aOf(r) === addr && signed(r);
    } else {
      const i = pool[next++];
      qname = `h${i}.${zone}`;
      route = `/v1/zones/${zone}/records/${ids.get(i)}`;
      if (kind === 'update') {
        const addr = `203.0.${(c >> 8) & 255}.${c & 255}`;
        method = 'PUT';
        json = { name: `h${i}`, type: 'A', value: addr, ttl: 300 };
        expectStatus = 200;
        ok = (r) => r.rcode === 0 && aOf(r) === addr && signed(r);
      } else {
        method = 'DELETE';
        expectStatus = 204;
        ok = (r) => r.rcode === 3 && denied(r);
      }
    }
    const sent = performance.now();
    await call(method, route, { ...(json ? { json } : {}), expect: expectStatus });
    const committed = performance.now();
    const ms = await probe.until(qname, T_A, ok, committed, o.intervalMs);
    const validated = o.dnssec
      ? await delvValidates(dir, dnsPort, zone, ds, qname, kind !== 'delete')
      : undefined;
    if (c >= WARMUP)
      results.push({
        kind,
        apiMs: committed - sent,
        ms: ms ?? GIVE_UP_MS,
        answered: ms !== undefined,
        ...(o.dnssec ? { validated } : {}),
      });
  }
  const after = await requestCounts(call);
  const delta = (route) => (after[route] ?? 0) - (before[route] ?? 0);
  const exports = delta('/v1/zones/:zone/export');
  const changes = delta('/v1/zones/:zone/changes');

  probe.close();
  await edge.stop();
  await worker?.stop();
  await herald.stop();
  await redis.stop();
  const warnings = edge.err.trim();
  return { size, importMs, signMs, loadMs, results, exports, changes, warnings };
}

// ---------------------------------------------------------------- report

function pct(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(run) {
  const ms = run.results.map((r) => r.ms).sort((a, b) => a - b);
  const api = run.results.map((r) => r.apiMs).sort((a, b) => a - b);
  return {
    size: run.size,
    changes: ms.length,
    unanswered: run.results.filter((r) => !r.answered).length,
    p50: pct(ms, 50),
    p95: pct(ms, 95),
    p99: pct(ms, 99),
    max: ms[ms.length - 1],
    apiP50: pct(api, 50),
    exports: run.exports,
    changeFetches: run.changes,
    signSeconds: run.signMs === undefined ? undefined : run.signMs / 1000,
    validated: run.results.filter((r) => r.validated).length,
    goal:
      pct(ms, 99) < GOAL_MS &&
      run.exports === 0 &&
      run.results.every((r) => r.answered && r.validated !== false),
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.dnssec && o.embedded)
    throw new Error('--dnssec needs PostgreSQL (its sign job runs in a herald worker)');
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run pnpm build first`);
  if (!which('redis-server')) throw new Error('redis-server is not installed (apt-get install redis-server)');
  console.log(
    `propagation: sizes ${o.sizes.join(', ')}; ${o.changes} changes each (+${WARMUP} warm-up); ` +
      `edge workers ${o.workers}, poll ${o.pollSeconds} s; probe every ${o.intervalMs} ms; ` +
      `${o.embedded ? 'PGlite' : 'PostgreSQL'}${o.dnssec ? '; DNSSEC (13, NSEC3), probe with DO' : ''}; ` +
      `${os.cpus().length} CPUs, Node ${process.version}`,
  );
  const runs = [];
  for (const size of o.sizes) runs.push(await runSize(size, o));
  const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
  console.log('\ncommit (API response) -> first answer from the edge with the change, ms');
  console.log(
    'size        changes   p50     p95     p99     max      api p50  exports  /changes  p99 < 100 ms',
  );
  for (const run of runs) {
    const s = summary(run);
    console.log(
      [
        String(s.size).padEnd(11),
        String(s.changes).padEnd(9),
        f(s.p50).padEnd(7),
        f(s.p95).padEnd(7),
        f(s.p99).padEnd(7),
        f(s.max).padEnd(8),
        f(s.apiP50).padEnd(8),
        String(s.exports).padEnd(8),
        String(s.changeFetches).padEnd(9),
        s.goal
          ? 'yes'
          : `NO${s.unanswered ? ` (${s.unanswered} unanswered)` : ''}${s.exports ? ' (full reloads)' : ''}`,
      ].join(' '),
    );
    if (o.dnssec)
      console.log(
        `  DNSSEC: signed in ${f(s.signSeconds)} s; answers fully validated by delv: ${s.validated} of ${s.changes}`,
      );
    if (run.warnings)
      console.log(`  edge warnings (size ${run.size}):\n    ${run.warnings.split('\n').join('\n    ')}`);
  }
  const byKind = {};
  for (const run of runs) for (const r of run.results) (byKind[`${run.size} ${r.kind}`] ??= []).push(r.ms);
  console.log(
    '\nby kind (p50 / p99 ms): ' +
      Object.entries(byKind)
        .map(([k, v]) => {
          const s = v.sort((a, b) => a - b);
          return `${k} ${f(pct(s, 50))} / ${f(pct(s, 99))}`;
        })
        .join('; '),
  );
  if (o.json)
    console.log(
      JSON.stringify({ options: o, runs: runs.map((r) => ({ ...summary(r), results: r.results })) }),
    );
  await cleanupAll();
  process.exitCode = runs.every((r) => summary(r).goal) ? 0 : 1;
}

main().catch(async (e) => {
  console.error(e instanceof Error ? e.message : e);
  await cleanupAll();
  process.exit(2);
});
