#!/usr/bin/env node
// The control-plane API benchmark: Herald (`herald api` on PostgreSQL) against
// PowerDNS Authoritative (Debian's pdns-server + pdns-backend-pgsql, its HTTP
// API) on the same PostgreSQL, doing the same work in the same run:
//
//   1. single-record creates at concurrency 1 and 32 (throughput, p50, p99)
//   2. 1,000-operation batches (one request each)
//   3. a 1,000,000-record zone import (time, peak RSS)
//
// Every database, process and temporary directory the run creates is removed
// at the end, also on failure, on Ctrl-C and when the time limit hits.
// Needs: `pnpm build`, PostgreSQL on loopback (trust auth or PGPASSWORD),
// psql, /usr/bin/time, and for PowerDNS:
//   apt-get install -y --no-install-recommends pdns-server pdns-backend-pgsql
//
// Usage: node bench/api/run.mjs [--records 1000000] [--c1 2000] [--c32 5000]
//          [--batch-size 1000] [--batches 3] [--warmup 100] [--timeout-min 45]
//          [--no-pdns] [--no-pdns-api-import] [--pdns-api-import-timeout-min 20]
//          [--json]
// --timeout-min bounds the whole run. PowerDNS's whole-zone POST is slow on
// large zones (~16 min for 1,000,000 records on 2 cores): it is stopped after
// --pdns-api-import-timeout-min and reported as "> that time".
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  closeSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

const { values: opt } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    c1: { type: 'string', default: '2000' },
    c32: { type: 'string', default: '5000' },
    'batch-size': { type: 'string', default: '1000' },
    batches: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '100' },
    'timeout-min': { type: 'string', default: '45' },
    'no-pdns': { type: 'boolean', default: false },
    'no-pdns-api-import': { type: 'boolean', default: false },
    'pdns-api-import-timeout-min': { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1)
      .filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('//')))
      .map((l) => l.slice(3))
      .join('\n'),
  );
  process.exit(0);
}
const int = (name, min) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer >= ${min}`);
    process.exit(2);
  }
  return n;
};
const minutes = (name) => {
  const n = Number(opt[name]);
  if (!(n > 0)) {
    console.error(`--${name} must be a positive number of minutes`);
    process.exit(2);
  }
  return n * 60_000;
};
const N_RECORDS = int('records', 10);
const N_C1 = int('c1', 1);
const N_C32 = int('c32', 1);
const BATCH_SIZE = int('batch-size', 1);
const BATCHES = int('batches', 1);
const WARMUP = int('warmup', 0);
const TIMEOUT_MS = minutes('timeout-min');
const WITH_PDNS = !opt['no-pdns'];
const WITH_PDNS_API_IMPORT = WITH_PDNS && !opt['no-pdns-api-import'];
const PDNS_API_IMPORT_TIMEOUT_MS = minutes('pdns-api-import-timeout-min');

// PostgreSQL: loopback only; the usual libpq variables are honoured.
const PG = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'postgres',
  password: process.env.PGPASSWORD || '',
};
if (!['127.0.0.1', 'localhost', '::1'].includes(PG.host)) {
  console.error(`PGHOST must be a loopback address, not ${PG.host}`);
  process.exit(2);
}

const CLI = path.join(root, 'apps', 'cli', 'dist', 'main.js');
if (!existsSync(CLI)) {
  console.error('build first: pnpm build');
  process.exit(2);
}
for (const tool of ['psql', '/usr/bin/time', ...(WITH_PDNS ? ['pdns_server', 'pdnsutil'] : [])])
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(
      `${tool} not found` +
        (tool.startsWith('pdns')
          ? ' (apt-get install -y --no-install-recommends pdns-server pdns-backend-pgsql, or pass --no-pdns)'
          : ''),
    );
    process.exit(2);
  }
const PDNS_SCHEMA = '/usr/share/pdns-backend-pgsql/schema/schema.pgsql.sql';
if (WITH_PDNS && !existsSync(PDNS_SCHEMA)) {
  console.error(`${PDNS_SCHEMA} not found: install pdns-backend-pgsql`);
  process.exit(2);
}

const API_ZONE = 'api-bench.example.';
const IMPORT_ZONE = 'bench.example.';
const NAMESERVERS = ['ns1.example.net.', 'ns2.example.net.'];

// ---------------------------------------------------------------- cleanup
// Everything started is registered here; cleanupSync() is safe to call more
// than once and from the 'exit' event (it only uses synchronous calls).
const children = new Set(); // ChildProcess, each the leader of its own process group
const databases = new Set();
const tempDirs = new Set();
let cleanedUp = false;

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function psql(db, sql, { file, capture = false } = {}) {
  const args = [
    '-h',
    PG.host,
    '-p',
    String(PG.port),
    '-U',
    PG.user,
    '-d',
    db,
    '-v',
    'ON_ERROR_STOP=1',
    '-qAt',
  ];
  if (file) args.push('-f', file);
  else args.push('-c', sql);
  const r = spawnSync('psql', args, {
    encoding: 'utf8',
    env: { ...process.env, ...(PG.password ? { PGPASSWORD: PG.password } : {}) },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`psql failed (${db}): ${r.stderr || r.error}`);
  return capture ? r.stdout.trim() : undefined;
}

function cleanupSync() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const c of children) killGroup(c, 'SIGKILL');
  for (const db of databases) {
    try {
      psql('postgres', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    } catch (e) {
      console.error(`could not drop database ${db}: ${e.message}`);
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanupSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(sig, () => {
    console.error(`\n${sig}: stopping and cleaning up`);
    cleanupSync();
    process.exit(130);
  });
const watchdog = setTimeout(() => {
  console.error(`\ntime limit of ${opt['timeout-min']} min reached: stopping and cleaning up`);
  cleanupSync();
  process.exit(1);
}, TIMEOUT_MS);
const deadline = Date.now() + TIMEOUT_MS;

// ---------------------------------------------------------------- helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function createDatabase(prefix) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  databases.add(name);
  psql('postgres', `CREATE DATABASE "${name}"`);
  return name;
}

function dropDatabase(name) {
  psql('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  databases.delete(name);
}

/** Spawns a tracked child in its own process group, output to a log file. */
function startChild(cmd, args, { env, logFile, cwd = root }) {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  children.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  killGroup(child, 'SIGTERM');
  const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(t);
}

/** VmHWM and VmRSS of a live process, in MiB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { hwmMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
}

function tail(file, bytes = 3000) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

async function waitReady(child, logFile, probe, what) {
  const until = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${what} exited during start-up:\n${tail(logFile)}`);
    try {
      if (await probe()) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error(`${what} not ready after 90 s:\n${tail(logFile)}`);
    await sleep(200);
  }
}

/** One JSON request through global fetch; throws unless the status is expected. */
async function request(method, url, headers, body, expect, timeoutMs = 120_000) {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!expect.includes(res.status))
    throw new Error(`${method} ${new URL(url).pathname} -> ${res.status}: ${text.slice(0, 1500)}`);
  return text;
}

/**
 * A long upload through node:http: fetch's default 300 s headers timeout would
 * cut a long import short, and node:http streams a file body without ceremony.
 */
function upload(url, headers, body, expect, method = 'POST', timeoutMs = deadline - Date.now()) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers });
    const timer = setTimeout(
      () => {
        const e = new Error(
          `${method} ${new URL(url).pathname}: no answer within ${(timeoutMs / 1000).toFixed(0)} s`,
        );
        e.code = 'BENCH_TIMEOUT';
        req.destroy(e);
      },
      Math.max(1, timeoutMs),
    );
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        expect.includes(res.statusCode)
          ? resolve(text)
          : reject(
              new Error(`${method} ${new URL(url).pathname} -> ${res.statusCode}: ${text.slice(0, 3000)}`),
            ),
      );
      res.on('error', reject);
    });
    if (body === undefined || typeof body === 'string') req.end(body);
    else {
      body.on('error', (e) => req.destroy(e));
      body.pipe(req);
    }
  });
}

/** Runs n calls of fn(i) with `concurrency` workers; per-call latency in ms. */
async function load(n, concurrency, fn) {
  const latencies = new Float64Array(n);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const s = performance.now();
        await fn(i);
        latencies[i] = performance.now() - s;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort();
  const pct = (p) => latencies[Math.max(0, Math.ceil(p * n) - 1)];
  return { n, concurrency, seconds, qps: n / seconds, p50: pct(0.5), p99: pct(0.99) };
}

const ipv4 = (block, i) => `10.${block}.${(i >> 8) & 255}.${i & 255}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** /usr/bin/time around a tracked child: wall seconds and peak RSS (MiB). */
async function timed(cmd, args, { env, logFile }) {
  const child = startChild('/usr/bin/time', ['-f', 'TIME %e %M', cmd, ...args], { env, logFile });
  const { code } = await child.exited;
  const m = [...tail(logFile, 20_000).matchAll(/TIME ([0-9.]+) ([0-9]+)/g)].pop();
  if (code !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${tail(logFile)}`);
  return { seconds: Number(m[1]), rssMB: Number(m[2]) / 1024 };
}

function checkpoint() {
  // Same starting point for each timed import: dirty pages flushed.
  psql('postgres', 'CHECKPOINT');
}

// ---------------------------------------------------------------- zone file
function zoneFile() {
  const outDir = path.join(root, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `bench-${N_RECORDS}.zone`);
  if (!existsSync(file)) {
    log(`generating ${file}`);
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'bench', 'zonefile', 'generate.mjs'), file, String(N_RECORDS), IMPORT_ZONE],
      { stdio: 'inherit', timeout: 600_000 },
    );
    if (r.status !== 0) throw new Error('zone generation failed');
  }
  return file;
}

// ---------------------------------------------------------------- Herald
async function herald(work, zoneFilePath) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-'));
  tempDirs.add(tmp);
  const db = createDatabase('herald_bench');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('HERALD_') || k.startsWith('EDGE_')) delete env[k];
  delete env.REDIS_URL;
  const auth = PG.password ? `${encodeURIComponent(PG.user)}:${encodeURIComponent(PG.password)}` : PG.user;
  Object.assign(env, {
    DATABASE_URL: `postgres://${auth}@${PG.host.includes(':') ? `[${PG.host}]` : PG.host}:${PG.port}/${db}`,
    HERALD_DATA_DIR: path.join(tmp, 'data'),
    HERALD_MASTER_KEY: randomBytes(32).toString('base64'),
    HERALD_API_LISTEN: `127.0.0.1:${port}`,
    HERALD_RATE_LIMIT: '100000000',
    NODE_ENV: 'production',
  });
  const logFile = path.join(tmp, 'herald.log');
  let key;
  const start = async () => {
    const child = startChild(process.execPath, [CLI, 'api'], { env, logFile });
    await waitReady(child, logFile, async () => (await fetch(`${base}/readyz`)).ok, 'herald api');
    key ??= readFileSync(path.join(env.HERALD_DATA_DIR, 'admin-key'), 'utf8').trim();
    return child;
  };
  const h = () => ({ authorization: `Bearer ${key}` });
  const createZone = (name) =>
    request('POST', `${base}/v1/zones`, h(), { name, nameservers: NAMESERVERS }, [201]);
  const createRecord = (name, value) =>
    request('POST', `${base}/v1/zones/${API_ZONE}/records`, h(), { name, type: 'A', value, ttl: 300 }, [201]);

  const out = { system: 'herald' };
  try {
    log(`herald: starting (database ${db})`);
    let server = await start();
    await createZone(API_ZONE);
    await work.creates(out, createRecord);
    await work.batches(out, (ops) =>
      request(
        'POST',
        `${base}/v1/zones/${API_ZONE}/records/batch`,
        h(),
        {
          operations: ops.map(([name, value]) => ({
            op: 'create',
            record: { name, type: 'A', value, ttl: 300 },
          })),
        },
        [200],
      ),
    );
    out.writePeakMB = memory(server.pid).hwmMB;
    await stopChild(server);

    // A fresh process for the import, so its peak RSS is the import's.
    checkpoint();
    server = await start();
    await createZone(IMPORT_ZONE);
    out.importIdleMB = memory(server.pid).rssMB;
    log(`herald: importing ${path.basename(zoneFilePath)}`);
    const t0 = performance.now();
    const text = await upload(
      `${base}/v1/zones/${IMPORT_ZONE}/import?mode=replace`,
      { ...h(), 'content-type': 'text/dns', 'content-length': statSync(zoneFilePath).size },
      createReadStream(zoneFilePath, { highWaterMark: 1 << 20 }),
      [200],
    );
    out.importSeconds = (performance.now() - t0) / 1000;
    out.importPeakMB = memory(server.pid).hwmMB;
    const result = JSON.parse(text);
    out.importRecords = result.records;
    log(`herald: import ${out.importSeconds.toFixed(1)} s, ${result.records} records`);
    await stopChild(server);
    out.storedRecords = Number(
      psql(
        db,
        `SELECT count(*) FROM records r JOIN zones z ON z.id = r.zone_id WHERE z.name IN ('${IMPORT_ZONE}', '${IMPORT_ZONE.slice(0, -1)}')`,
        { capture: true },
      ),
    );
  } catch (e) {
    e.message = `herald: ${e.message}\n--- herald log tail ---\n${tail(logFile)}`;
    throw e;
  } finally {
    for (const c of [...children]) await stopChild(c);
    dropDatabase(db);
    rmSync(tmp, { recursive: true, force: true });
    tempDirs.delete(tmp);
  }
  return out;
}

// ---------------------------------------------------------------- PowerDNS
async function powerdns(work, zoneFilePath) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pdns-bench-'));
  tempDirs.add(tmp);
  const db = createDatabase('pdns_bench');
  psql(db, null, { file: PDNS_SCHEMA });
  const [dnsPort, webPort] = [await freePort(), await freePort()];
  const apiKey = randomBytes(18).toString('base64url');
  const base = `http://127.0.0.1:${webPort}/api/v1/servers/localhost`;
  writeFileSync(
    path.join(tmp, 'pdns.conf'),
    [
      'launch=gpgsql',
      `gpgsql-host=${PG.host}`,
      `gpgsql-port=${PG.port}`,
      `gpgsql-user=${PG.user}`,
      `gpgsql-password=${PG.password}`,
      `gpgsql-dbname=${db}`,
      'local-address=127.0.0.1',
      `local-port=${dnsPort}`,
      'api=yes',
      `api-key=${apiKey}`,
      'webserver=yes',
      'webserver-address=127.0.0.1',
      `webserver-port=${webPort}`,
      'webserver-allow-from=127.0.0.0/8',
      'webserver-loglevel=none',
      // MB: room for the whole-zone POST (1,000,000 records is ~100 MB of JSON).
      'webserver-max-bodysize=2048',
      `socket-dir=${tmp}`,
      'guardian=no',
      'daemon=no',
      'disable-syslog=yes',
      // No security-status lookups over the Internet.
      'security-poll-suffix=',
      '',
    ].join('\n'),
  );
  const conf = [`--config-dir=${tmp}`];
  const env = { ...process.env };
  const logFile = path.join(tmp, 'pdns.log');
  const h = { 'x-api-key': apiKey };
  const start = async () => {
    const child = startChild('pdns_server', conf, { env, logFile });
    await waitReady(child, logFile, async () => (await fetch(base, { headers: h })).ok, 'pdns_server');
    return child;
  };
  const rrset = (name, value, zone = API_ZONE) => ({
    name: `${name}.${zone}`,
    type: 'A',
    ttl: 300,
    changetype: 'REPLACE',
    records: [{ content: value, disabled: false }],
  });
  const patch = (rrsets) => request('PATCH', `${base}/zones/${API_ZONE}`, h, { rrsets }, [204]);

  const out = { system: 'powerdns' };
  try {
    log(`powerdns: starting (database ${db})`);
    let server = await start();
    out.version = JSON.parse(await request('GET', base, h, undefined, [200])).version;
    await request(
      'POST',
      `${base}/zones`,
      h,
      { name: API_ZONE, kind: 'Native', nameservers: NAMESERVERS },
      [201],
    );
    await work.creates(out, (name, value) => patch([rrset(name, value)]));
    await work.batches(out, (ops) => patch(ops.map(([name, value]) => rrset(name, value))));
    out.writePeakMB = memory(server.pid).hwmMB;
    await stopChild(server);

    // Import 1: pdnsutil load-zone, PowerDNS's own zone-file import (a CLI on the same database).
    checkpoint();
    log(`powerdns: pdnsutil load-zone ${path.basename(zoneFilePath)}`);
    const lz = await timed('pdnsutil', [...conf, 'load-zone', IMPORT_ZONE, zoneFilePath], {
      env,
      logFile: path.join(tmp, 'load-zone.log'),
    });
    out.loadZoneSeconds = lz.seconds;
    out.loadZonePeakMB = lz.rssMB;
    out.loadZoneRecords = Number(
      psql(
        db,
        `SELECT count(*) FROM records r JOIN domains d ON d.id = r.domain_id WHERE d.name = '${IMPORT_ZONE.slice(0, -1)}'`,
        { capture: true },
      ),
    );
    log(`powerdns: load-zone ${lz.seconds.toFixed(1)} s, ${out.loadZoneRecords} records`);

    // Import 2: the HTTP API — POST /zones with every RRset. The RRsets are
    // read back through the API (GET, untimed) from what load-zone stored, so
    // they are in the API's own format; the zone is deleted, and a fresh
    // pdns_server creates it again from them in one POST.
    if (WITH_PDNS_API_IMPORT) {
      server = await start();
      const body = rrsetsBody(await upload(`${base}/zones/${IMPORT_ZONE}`, h, undefined, [200], 'GET'));
      await request('DELETE', `${base}/zones/${IMPORT_ZONE}`, h, undefined, [204], 600_000);
      await stopChild(server);
      checkpoint();
      server = await start();
      out.apiImportIdleMB = memory(server.pid).rssMB;
      log(
        `powerdns: POST /zones with ${body.records} records in ${body.rrsets} RRsets (${(body.json.length / 1e6).toFixed(0)} MB JSON)`,
      );
      out.apiImportRecords = body.records;
      const t0 = performance.now();
      try {
        await upload(
          `${base}/zones`,
          { ...h, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body.json) },
          body.json,
          [201],
          'POST',
          Math.min(PDNS_API_IMPORT_TIMEOUT_MS, deadline - Date.now() - 60_000),
        );
        out.apiImportSeconds = (performance.now() - t0) / 1000;
        log(`powerdns: API import ${out.apiImportSeconds.toFixed(1)} s`);
      } catch (e) {
        // Too slow is a result, not a failure: report it as "did not finish".
        if (e.code !== 'BENCH_TIMEOUT') throw e;
        out.apiImportUnfinishedSeconds = (performance.now() - t0) / 1000;
        log(`powerdns: API import unfinished after ${out.apiImportUnfinishedSeconds.toFixed(0)} s: stopped`);
      }
      out.apiImportPeakMB = memory(server.pid).hwmMB;
      await stopChild(server);
    }
  } catch (e) {
    e.message = `powerdns: ${e.message}\n--- pdns log tail ---\n${tail(logFile)}`;
    throw e;
  } finally {
    for (const c of [...children]) await stopChild(c);
    dropDatabase(db);
    rmSync(tmp, { recursive: true, force: true });
    tempDirs.delete(tmp);
  }
  return out;
}

/** A GET /zones/{zone} answer turned into the body of POST /zones (RRsets without comments). */
function rrsetsBody(text) {
  const zone = JSON.parse(text);
  let records = 0;
  const rrsets = zone.rrsets.map(({ name, type, ttl, records: rs }) => {
    records += rs.length;
    return { name, type, ttl, records: rs.map(({ content, disabled }) => ({ content, disabled })) };
  });
  const json = JSON.stringify({ name: IMPORT_ZONE, kind: 'Native', rrsets });
  return { json, records, rrsets: rrsets.length };
}

// ---------------------------------------------------------------- the work
// The same work for both systems: the callbacks differ only in the protocol.
const work = {
  async creates(out, create) {
    // Warm-up (not measured): connections, JIT, caches.
    await load(WARMUP, 1, (i) => create(`warm-${i}`, ipv4(0, i)));
    log(`${out.system}: ${N_C1} creates at concurrency 1`);
    out.c1 = await load(N_C1, 1, (i) => create(`c1-${i}`, ipv4(1, i)));
    log(`${out.system}: ${N_C32} creates at concurrency 32`);
    out.c32 = await load(N_C32, 32, (i) => create(`c32-${i}`, ipv4(2, i)));
  },
  async batches(out, batch) {
    out.batchSeconds = [];
    for (let b = 0; b < BATCHES; b++) {
      const ops = Array.from({ length: BATCH_SIZE }, (_, i) => [`b${b}-${i}`, ipv4(10 + b, i)]);
      const t0 = performance.now();
      await batch(ops);
      out.batchSeconds.push((performance.now() - t0) / 1000);
    }
    log(`${out.system}: batches of ${BATCH_SIZE}: ${out.batchSeconds.map((s) => s.toFixed(2)).join(', ')} s`);
  },
};

// ---------------------------------------------------------------- report
function report(hd, pd) {
  const rows = [];
  // better: 'higher' (throughput) or 'lower' (time, latency, memory). The
  // advantage column is always "how many times better Herald is" (> 1: ahead).
  const row = (op, metric, a, b, better, digits = 1) =>
    rows.push({
      op,
      metric,
      herald: a,
      powerdns: b,
      advantage: a === undefined || b === undefined ? undefined : better === 'higher' ? a / b : b / a,
      digits,
    });
  for (const [k, c] of [
    ['c1', 1],
    ['c32', 32],
  ]) {
    const op = `create 1 record, c=${c} (${hd[k].n} req)`;
    row(op, 'req/s', hd[k].qps, pd?.[k]?.qps, 'higher');
    row('', 'p50 ms', hd[k].p50, pd?.[k]?.p50, 'lower', 2);
    row('', 'p99 ms', hd[k].p99, pd?.[k]?.p99, 'lower', 2);
  }
  const hb = median(hd.batchSeconds);
  const pb = pd ? median(pd.batchSeconds) : undefined;
  row(`batch of ${BATCH_SIZE} creates (median of ${BATCHES})`, 'seconds', hb, pb, 'lower', 3);
  row('', 'records/s', BATCH_SIZE / hb, pb && BATCH_SIZE / pb, 'higher', 0);
  row('', 'writer peak RSS MB', hd.writePeakMB, pd?.writePeakMB, 'lower', 0);
  const op = `import ${N_RECORDS.toLocaleString('en')} records`;
  row(`${op} vs pdnsutil load-zone`, 'seconds', hd.importSeconds, pd?.loadZoneSeconds, 'lower', 1);
  row('', 'records/s', N_RECORDS / hd.importSeconds, pd && N_RECORDS / pd.loadZoneSeconds, 'higher', 0);
  row('', 'peak RSS MB', hd.importPeakMB, pd?.loadZonePeakMB, 'lower', 0);
  if (pd?.apiImportSeconds !== undefined) {
    row(`${op} vs PowerDNS API POST zone`, 'seconds', hd.importSeconds, pd.apiImportSeconds, 'lower', 1);
    row('', 'peak RSS MB', hd.importPeakMB, pd.apiImportPeakMB, 'lower', 0);
  } else if (pd?.apiImportUnfinishedSeconds !== undefined) {
    // Unfinished: PowerDNS's time is at least the time it was given.
    const t = pd.apiImportUnfinishedSeconds;
    rows.push({
      op: `${op} vs PowerDNS API POST zone`,
      metric: 'seconds',
      herald: hd.importSeconds,
      powerdns: t,
      advantage: t / hd.importSeconds,
      digits: 1,
      atLeast: true,
    });
    row('', 'peak RSS MB (so far)', hd.importPeakMB, pd.apiImportPeakMB, 'lower', 0);
  }

  const fmt = (v, d) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));
  const w = [52, 20, 11, 11, 18];
  const line = (cells) =>
    cells.map((c, i) => (i < 2 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('');
  const out = [
    line(['operation', 'metric', 'herald', 'PowerDNS', 'herald advantage']),
    line([
      '-'.repeat(w[0] - 2),
      '-'.repeat(w[1] - 2),
      '-'.repeat(w[2] - 2),
      '-'.repeat(w[3] - 2),
      '-'.repeat(w[4] - 2),
    ]),
  ];
  for (const r of rows)
    out.push(
      line([
        r.op,
        r.metric,
        fmt(r.herald, r.digits),
        (r.atLeast ? '>' : '') + fmt(r.powerdns, r.digits),
        r.advantage === undefined ? '-' : `${r.atLeast ? '>' : ''}${r.advantage.toFixed(2)}x`,
      ]),
    );
  return out.join('\n');
}

// ---------------------------------------------------------------- main
let exitCode = 0;
try {
  const file = zoneFile();
  log(`zone: ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB)`);
  const hd = await herald(work, file);
  let pd;
  if (WITH_PDNS)
    try {
      pd = await powerdns(work, file);
    } catch (e) {
      // Keep Herald's numbers: print them, say what failed, exit non-zero.
      console.error(`\nPowerDNS side failed: ${e.stack ?? e}`);
      exitCode = 1;
    }
  const cpus = os.cpus();
  console.log('');
  console.log(
    `bench/api — ${new Date().toISOString().slice(0, 10)}, ${cpus.length} cores (${cpus[0]?.model.trim()}), ` +
      `Node ${process.version}, PostgreSQL ${psql('postgres', 'SHOW server_version', { capture: true })}` +
      (pd ? `, PowerDNS ${pd.version}` : ''),
  );
  console.log(
    `herald import: ${hd.importRecords} records in the file, ${hd.storedRecords} rows stored; ` +
      `idle RSS before import ${hd.importIdleMB.toFixed(0)} MB`,
  );
  if (pd) {
    console.log(`PowerDNS load-zone: ${pd.loadZoneRecords} rows stored`);
    if (pd.apiImportUnfinishedSeconds !== undefined)
      console.log(
        `PowerDNS API import: POST /zones with ${pd.apiImportRecords} records did not finish within ` +
          `${pd.apiImportUnfinishedSeconds.toFixed(0)} s and was stopped (--pdns-api-import-timeout-min)`,
      );
    if (pd.apiImportSeconds !== undefined)
      console.log(
        `PowerDNS API import: ${pd.apiImportRecords} records; pdns_server idle RSS before it ${pd.apiImportIdleMB.toFixed(0)} MB`,
      );
  }
  console.log('');
  console.log(report(hd, pd));
  if (opt.json) console.log(JSON.stringify({ herald: hd, powerdns: pd }));
} catch (e) {
  console.error(`\nbenchmark failed: ${e.stack ?? e}`);
  exitCode = 1;
} finally {
  for (const c of [...children]) await stopChild(c, 5_000);
  cleanupSync();
  clearTimeout(watchdog);
}
process.exitCode = exitCode;
