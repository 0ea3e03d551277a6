#!/usr/bin/env node
// The DNS serving benchmark: Herald's edge against Knot DNS, NSD and BIND on
// the same generated zone, each server pinned to one core and the load
// generator (loadgen.c) to the other.
//
// For each zone size and server: load time (start to the first right answer
// for the last name of the zone file), memory after the load (VmRSS and Pss of
// the whole process tree), saturating UDP throughput, latency at a fixed rate,
// and ratios to Knot. Servers start one at a time; the measured load runs go
// in rounds with the servers taking turns, so other work on a shared machine
// falls on all of them alike. The edge is also restarted on the same EDGE_DATA_DIR
// (load from its compiled local copy), and at the largest size started with
// EDGE_WORKERS=2 to show what a second worker costs in memory.
//
// Needs: `pnpm build` (for the edge), gcc, taskset, and Debian's knot, nsd,
// bind9 packages. Every server and temporary directory is removed at the end,
// also on failure and on Ctrl-C. See bench/README.md ("edge").
//
// Usage: node bench/edge/run.mjs [--sizes 10000,100000,1000000]
//          [--servers edge,knot,nsd,bind] [--duration 10] [--rate 50000]
//          [--rate-duration 10] [--warmup 0.5] [--windows 32,64,128,192,256,384,512]
//          [--scan-seconds 1] [--round-seconds 2] [--queries 1000000]
//          [--load-timeout 600]
//          [--no-workers2] [--timeout-min 90] [--keep] [--json]
// --json: the tables go to stderr and one JSON document to stdout.
// --keep: keep the temporary directory (configurations, server logs).
import { mkdtempSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generate, GENERATOR_VERSION } from './generate.mjs';
import { waitForAnswer, tcpCheck } from './dns.mjs';
import { SERVERS } from './servers.mjs';
import {
  cleanup,
  cpuBusySeconds,
  freePort,
  installCleanup,
  pinTree,
  runChild,
  startChild,
  stopChild,
  trackDir,
  treeCpuSeconds,
  treeMemory,
} from './proc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const CLI = path.join(root, 'apps', 'cli', 'dist', 'main.js');
const SERVER_CPU = 1;
const LOADGEN_CPU = 0;
const ORIGIN = 'bench.example.';

const { values: opt } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    servers: { type: 'string', default: 'edge,knot,nsd,bind' },
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '50000' },
    'rate-duration': { type: 'string', default: '10' },
    warmup: { type: 'string', default: '0.5' },
    windows: { type: 'string', default: '32,64,128,192,256,384,512' },
    'scan-seconds': { type: 'string', default: '1' },
    'round-seconds': { type: 'string', default: '2' },
    queries: { type: 'string', default: '1000000' },
    'load-timeout': { type: 'string', default: '600' },
    'no-workers2': { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '90' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .slice(1);
  console.log(
    lines
      .slice(
        0,
        lines.findIndex((l) => !l.startsWith('//')),
      )
      .map((l) => l.slice(3))
      .join('\n'),
  );
  process.exit(0);
}
const die = (msg) => {
  console.error(msg);
  process.exit(2);
};
const num = (name, min) => {
  const n = Number(opt[name]);
  if (!Number.isFinite(n) || n < min) die(`--${name} must be a number >= ${min}`);
  return n;
};
const list = (name, ok) => {
  const items = opt[name]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length || !items.every(ok)) die(`--${name}: bad list '${opt[name]}'`);
  return items;
};
const SIZES = list('sizes', (s) => /^\d+$/.test(s) && Number(s) >= 10)
  .map(Number)
  .sort((a, b) => a - b);
const WANTED = list('servers', (s) => s in SERVERS);
const ORDER = ['knot', 'nsd', 'bind', 'edge'].filter((s) => WANTED.includes(s)); // run order: Knot first, the reference
const SHOW = ['edge', 'knot', 'nsd', 'bind'].filter((s) => WANTED.includes(s)); // print order
const DURATION = num('duration', 1);
const RATE = num('rate', 1);
const RATE_DURATION = num('rate-duration', 1);
const WARMUP = num('warmup', 0);
const WINDOWS = list('windows', (s) => /^\d+$/.test(s) && Number(s) >= 1).map(Number);
const SCAN_SECONDS = num('scan-seconds', 0.5);
const ROUND_SECONDS = num('round-seconds', 0.5);
const QUERIES = num('queries', 1000);
const LOAD_TIMEOUT_MS = num('load-timeout', 1) * 1000;
const WORKERS2 = !opt['no-workers2'] && WANTED.includes('edge');
/** `cmd args` pinned to `cpu`. */
const pinned = (cpu, cmd, args) => ['taskset', ['-c', String(cpu), cmd, ...args]];

const out = opt.json ? console.error : console.log;
const log = (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- preflight
for (const tool of ['gcc', 'taskset'])
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) die(`${tool} not found`);
if (os.availableParallelism() < 2) die('needs at least 2 CPUs (server on CPU 1, load generator on CPU 0)');
installCleanup();
const watchdog = setTimeout(
  () => {
    console.error(`\ntime limit of ${opt['timeout-min']} min reached: stopping and cleaning up`);
    cleanup();
    process.exit(1);
  },
  num('timeout-min', 1) * 60_000,
);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'herald-bench-edge-'));
if (!opt.keep) trackDir(tmp);
else log(`keeping ${tmp}`);

const LOADGEN = path.join(tmp, 'loadgen');
{
  const r = spawnSync('gcc', ['-O2', '-Wall', '-o', LOADGEN, path.join(here, 'loadgen.c')], {
    encoding: 'utf8',
  });
  if (r.status !== 0) die(`compiling loadgen.c failed:\n${r.stderr}`);
}

const cacheDir = path.join(root, 'bench', 'out', 'edge');
mkdirSync(cacheDir, { recursive: true });
async function zoneFor(names) {
  const prefix = path.join(cacheDir, `v${GENERATOR_VERSION}-${names}-${QUERIES}`);
  if (!existsSync(`${prefix}.json`)) {
    log(`generating a zone with ${names} names and ${QUERIES} queries`);
    await generate(prefix, names, QUERIES, ORIGIN);
  }
  const meta = JSON.parse(readFileSync(`${prefix}.json`, 'utf8'));
  return {
    ...meta,
    zone: `${prefix}.zone`,
    queryFile: `${prefix}.queries`,
    bytes: statSync(`${prefix}.zone`).size,
  };
}

function tail(file, bytes = 1500) {
  try {
    return readFileSync(file, 'utf8').slice(-bytes).trim();
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- one server
/**
 * Starts a server under taskset and times it to the first right answer for the
 * zone's probe name. Resolves { child, seconds }; throws with the log's tail.
 */
async function startTimed(name, spec, logFile, meta, port) {
  const t0 = performance.now();
  const child = startChild(...pinned(SERVER_CPU, spec.cmd, spec.args), {
    env: spec.env ?? process.env,
    logFile,
    cwd: root,
  });
  try {
    const t = await waitForAnswer({
      host: '127.0.0.1',
      port,
      name: meta.probe.name,
      address: meta.probe.a,
      deadline: t0 + LOAD_TIMEOUT_MS,
      isAlive: child.alive,
    });
    return { child, seconds: (t - t0) / 1000 };
  } catch (e) {
    await sleep(200);
    const how = child.alive() ? '' : ` (exit ${child.exitCode ?? child.signalCode})`;
    await stopChild(child);
    const logText = tail(logFile);
    throw new Error(
      `${e.message}${how}${logText ? `\n    log: ${logText.split('\n').join('\n         ')}` : ''}`,
    );
  }
}

/** Tree memory once it stops moving (±1 % or 1 MiB over a second), at most 30 s. */
async function settledMemory(pid) {
  const t0 = performance.now();
  let prev = treeMemory(pid);
  for (;;) {
    await sleep(1000);
    const m = treeMemory(pid);
    const stable = Math.abs(m.rssMB - prev.rssMB) <= Math.max(1, prev.rssMB * 0.01);
    if (stable || performance.now() - t0 > 30_000)
      return { ...m, settleSeconds: (performance.now() - t0) / 1000 };
    prev = m;
  }
}

/** One loadgen run against a server: loadgen's counts plus the CPU time of both cores. */
async function loadgen(srv, meta, mode, args, seconds) {
  const cpu0 = treeCpuSeconds(srv.child.pid);
  const busy0 = cpuBusySeconds();
  const t0 = performance.now();
  const r = await runChild(
    ...pinned(LOADGEN_CPU, LOADGEN, [
      '-s',
      '127.0.0.1',
      '-p',
      String(srv.port),
      '-f',
      meta.queryFile,
      '-m',
      mode,
      ...args,
    ]),
    { timeoutMs: (seconds + 60) * 1000 },
  );
  const cpu = treeCpuSeconds(srv.child.pid) - cpu0;
  const wall = (performance.now() - t0) / 1000;
  const busy1 = cpuBusySeconds();
  let res;
  try {
    res = JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { failed: `loadgen failed (${r.code ?? r.signal}): ${r.stderr.slice(-500)}` };
  }
  res.warmupSeconds = Number(args[args.indexOf('-W') + 1]);
  res.serverCpuSeconds = cpu;
  res.wallSeconds = wall;
  // Other work on each core during the run (the machine may be shared): busy time minus ours.
  res.otherServerCpuSeconds = Math.max(0, busy1[SERVER_CPU] - busy0[SERVER_CPU] - cpu);
  res.otherLoadgenCpuSeconds = Math.max(0, busy1[LOADGEN_CPU] - busy0[LOADGEN_CPU] - res.loadgen_cpu_seconds);
  res.stealServerCpuSeconds = busy1.steal[SERVER_CPU] - busy0.steal[SERVER_CPU];
  res.stealLoadgenCpuSeconds = busy1.steal[LOADGEN_CPU] - busy0.steal[LOADGEN_CPU];
  return judge(derive(res), srv.child);
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? (v[Math.floor((v.length - 1) / 2)] + v[Math.ceil((v.length - 1) / 2)]) / 2 : undefined;
};

/** Rates and shares from the raw counts (also after combine()). */
function derive(res) {
  const c = res.serverCpuSeconds;
  // The server works during warm-up and measurement; it idles while loadgen reads the query file.
  res.serverCpuShare = c / (res.warmupSeconds + res.seconds);
  res.answersPerCpuSecond = c > 0 ? (res.answers + res.warmup.answers) / c : 0;
  res.otherOnServerCpu = res.otherServerCpuSeconds / res.wallSeconds;
  res.otherOnLoadgenCpu = res.otherLoadgenCpuSeconds / res.wallSeconds;
  res.stealOnServerCpu = res.stealServerCpuSeconds / res.wallSeconds;
  res.stealOnLoadgenCpu = res.stealLoadgenCpuSeconds / res.wallSeconds;
  res.qps = res.answers_in_window / res.seconds;
  res.qpsMedianSecond = median(res.per_second) ?? res.qps;
  return res;
}

/** Sets res.failed when the answers are missing or wrong, res.warning when many are lost. */
function judge(res, child) {
  const wrong = res.unexpected + res.bad_question + res.not_qr;
  const got = res.answers + res.bad_question + res.not_qr;
  if (!child.alive()) res.failed = 'the server exited during the run';
  else if (res.sent === 0) res.failed = 'no query could be sent';
  else if (res.answers < 0.5 * res.sent)
    res.failed = `most answers missing: ${res.answers} answers to ${res.sent} queries`;
  else if (wrong > 0.01 * got)
    res.failed =
      `${wrong} wrong answers of ${got} (SERVFAIL ${res.rcodes.SERVFAIL}, REFUSED ${res.rcodes.REFUSED}, ` +
      `other rcode/answer than expected ${res.unexpected}, wrong question ${res.bad_question}, no QR ${res.not_qr})`;
  else delete res.failed;
  if (res.lost > 0.01 * res.sent) res.warning = `${((100 * res.lost) / res.sent).toFixed(1)} % lost`;
  else delete res.warning;
  return res;
}

/** Several saturation rounds of one server as one run. */
function combine(runs, child) {
  const sum = (get) => runs.reduce((a, r) => a + get(r), 0);
  const out = structuredClone(runs[0]);
  for (const k of Object.keys(out)) if (typeof out[k] === 'number') out[k] = sum((r) => r[k]);
  for (const k of Object.keys(out.rcodes)) out.rcodes[k] = sum((r) => r.rcodes[k]);
  for (const k of Object.keys(out.warmup)) out.warmup[k] = sum((r) => r.warmup[k]);
  out.per_second = runs.flatMap((r) => r.per_second);
  out.avg_answer_bytes = sum((r) => r.avg_answer_bytes * r.answers) / Math.max(1, out.answers);
  out.loadgen_idle_fraction = sum((r) => r.loadgen_idle_fraction * r.seconds) / out.seconds;
  out.queries_in_file = runs[0].queries_in_file;
  out.rounds = runs.map((r) => Math.round(r.qps));
  if (out.mode === 'rate') {
    out.rate = runs[0].rate;
    out.offered_qps = out.sent / out.seconds;
    out.histogram = mergeHistograms(runs.map((r) => r.histogram));
    out.latency_ms = {
      ...latencyFromHistogram(out.histogram),
      max: Math.max(...runs.map((r) => r.latency_ms.max)),
    };
    out.rounds = runs.map((r) => r.latency_ms.p99);
  }
  return judge(derive(out), child);
}

/** Middle of loadgen.c's latency histogram bucket i, in ns. */
function bucketNs(i) {
  if (i < 64) return i;
  const shift = Math.floor((i - 64) / 32) + 1;
  return (32 + ((i - 64) % 32) + 0.5) * 2 ** shift;
}

function mergeHistograms(hists) {
  const m = new Map();
  for (const h of hists) for (const [i, n] of h) m.set(i, (m.get(i) ?? 0) + n);
  return [...m].sort((a, b) => a[0] - b[0]);
}

/** Percentiles (ms) from a merged histogram: within a bucket's width (about 3 %). */
function latencyFromHistogram(hist) {
  const total = hist.reduce((a, [, n]) => a + n, 0);
  const at = (p) => {
    const want = Math.max(1, Math.ceil(p * total));
    let seen = 0;
    for (const [i, n] of hist) if ((seen += n) >= want) return bucketNs(i) / 1e6;
    return undefined;
  };
  const mean = hist.reduce((a, [i, n]) => a + bucketNs(i) * n, 0) / Math.max(1, total) / 1e6;
  return { samples: total, mean, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999) };
}

/**
 * Starts one server and measures what needs it alone: load time, memory, a
 * TCP answer and the best window. Resolves the running server, or its failure.
 */
async function startServer(name, meta) {
  const def = SERVERS[name];
  const res = { server: name, label: def.label };
  const srv = { name, def, res, meta, satRuns: [] };
  srv.dir = mkdtempSync(path.join(tmp, `${name}-${meta.names}-`));
  const missing = def.tools.find((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing) return { ...srv, failed: (res.failed = `failed to start: ${missing} is not installed`) };
  if (name === 'edge' && !existsSync(CLI))
    return {
      ...srv,
      failed: (res.failed = `failed to start: ${path.relative(root, CLI)} does not exist (run pnpm build)`),
    };
  srv.dataDir = path.join(srv.dir, 'data');
  mkdirSync(srv.dataDir);
  srv.spec = (port, workers = 1) =>
    def.start({
      dir: srv.dir,
      port,
      zone: meta.zone,
      origin: ORIGIN,
      cli: CLI,
      dataDir: srv.dataDir,
      workers,
    });
  try {
    srv.port = await freePort();
    log(`${def.label}: starting on 127.0.0.1:${srv.port}`);
    const s = await startTimed(name, srv.spec(srv.port), path.join(srv.dir, 'server.log'), meta, srv.port);
    srv.child = s.child;
    res.loadSeconds = s.seconds;
    res.pinnedTo = pinTree(srv.child.pid, SERVER_CPU);
    res.memory = await settledMemory(srv.child.pid);
    log(
      `${def.label}: answered after ${s.seconds.toFixed(2)} s; tree RSS ${res.memory.rssMB.toFixed(0)} MB ` +
        `(${res.memory.processes} processes, threads on CPU ${res.pinnedTo.join('/')})`,
    );
    const tcp = await tcpCheck({
      host: '127.0.0.1',
      port: srv.port,
      name: meta.probe.name,
      address: meta.probe.a,
    });
    res.tcp = tcp === null ? 'ok' : tcp;
    // Window scan, largest first: the largest window with (almost) no loss. More queries in flight
    // let a server batch more, until its socket buffer overflows; that limit does not depend on how
    // busy the machine is, unlike the qps of a short run.
    res.scans = [];
    for (const w of [...WINDOWS].sort((a, b) => b - a)) {
      const r = await loadgen(
        srv,
        meta,
        'sat',
        ['-w', String(w), '-t', '100', '-W', '0.3', '-d', String(SCAN_SECONDS)],
        SCAN_SECONDS + 0.3,
      );
      res.scans.push({
        window: w,
        qps: r.failed ? 0 : Math.round(r.qps),
        sent: r.sent,
        lost: r.lost,
        ...(r.failed ? { failed: r.failed } : {}),
      });
      if (r.failed && r.sent === undefined) {
        res.saturation = r; // loadgen itself failed
        break;
      }
      if (!r.failed && r.lost <= 0.002 * r.sent) break;
    }
    const clean = res.scans.filter((x) => !x.failed && x.lost <= 0.002 * x.sent);
    res.window = (clean.length ? clean[0] : res.scans.reduce((a, b) => (b.qps > a.qps ? b : a))).window;
    log(
      `${def.label}: window ${res.window} (scan: ${res.scans.map((x) => `${x.window}: ${x.qps} qps, ${x.lost} lost`).join('; ')})`,
    );
  } catch (e) {
    res.failed = `failed to start: ${e.message}`;
    log(`${def.label}: ${res.failed}`);
    if (srv.child) await stopChild(srv.child);
    return { ...srv, failed: res.failed };
  }
  return srv;
}

/**
 * The measured runs, saturation then fixed rate: each server gets --duration
 * (--rate-duration) seconds in rounds of about --round-seconds, the servers
 * taking turns, so that other work on a shared machine falls on all alike.
 */
async function rounds(running, meta, mode) {
  const total = mode === 'sat' ? DURATION : RATE_DURATION;
  const key = mode === 'sat' ? 'saturation' : 'fixedRate';
  const n = Math.max(1, Math.round(total / ROUND_SECONDS));
  const each = total / n;
  const runs = new Map(running.map((srv) => [srv, []]));
  const args = (srv) =>
    mode === 'sat'
      ? ['-w', String(srv.res.window), '-t', '100', '-W', String(WARMUP), '-d', String(each)]
      : ['-r', String(RATE), '-t', '1000', '-W', String(WARMUP), '-d', String(each)];
  for (let i = 0; i < n; i++) {
    const turn = running.slice(i % running.length).concat(running.slice(0, i % running.length));
    for (const srv of turn) {
      if (srv.res[key]?.failed || !srv.child.alive()) continue;
      const r = await loadgen(srv, meta, mode, args(srv), each + WARMUP);
      if (r.sent === undefined)
        srv.res[key] = r; // loadgen itself failed
      else runs.get(srv).push(r);
    }
    const show = (r) =>
      mode === 'sat' ? `${Math.round(r.qps)} qps` : `p99 ${r.latency_ms.p99.toFixed(3)} ms`;
    log(
      `${mode === 'sat' ? 'saturation' : `${RATE} qps`} round ${i + 1}/${n}: ` +
        turn.map((s) => `${s.name} ${runs.get(s).length > i ? show(runs.get(s)[i]) : '-'}`).join(', '),
    );
  }
  for (const srv of running) {
    if (srv.res[key]?.failed) continue;
    const list = runs.get(srv);
    srv.res[key] = list.length ? combine(list, srv.child) : { failed: 'the server was not running' };
    const r = srv.res[key];
    if (mode === 'sat') {
      r.window = srv.res.window;
      log(
        `${srv.def.label}: ${r.failed ? `FAILED: ${r.failed}` : `${r.qps.toFixed(0)} qps`} ` +
          `(rounds ${r.rounds?.join(', ') ?? '-'}; window ${r.window}; ${(100 * (r.serverCpuShare ?? 0)).toFixed(0)} % of its core, ` +
          `others ${(100 * (r.otherOnServerCpu ?? 0)).toFixed(0)} %)`,
      );
    } else {
      const l = r.latency_ms;
      log(
        `${srv.def.label}: at ${RATE} qps ${r.failed ? `FAILED: ${r.failed}` : `p50 ${l.p50.toFixed(3)} ms p99 ${l.p99.toFixed(3)} ms p99.9 ${l.p999.toFixed(3)} ms`}` +
          (r.warning ? ` (${r.warning})` : ''),
      );
    }
  }
}

/** Memory after the tests, stop; for the edge: restart, and EDGE_WORKERS=2 at the largest size. */
async function finishServer(srv, meta, isLargest) {
  const { res, def } = srv;
  try {
    if (srv.child.alive()) res.memoryAfterRun = treeMemory(srv.child.pid);
    await stopChild(srv.child);
    if (srv.name !== 'edge') return;
    // Restart on the same data dir: the edge loads its compiled local copy.
    const again = async (workers, logName) => {
      const port = await freePort();
      const r = await startTimed(srv.name, srv.spec(port, workers), path.join(srv.dir, logName), meta, port);
      pinTree(r.child.pid, SERVER_CPU);
      const memory = await settledMemory(r.child.pid);
      await stopChild(r.child);
      return { seconds: r.seconds, memory };
    };
    try {
      const r = await again(1, 'restart.log');
      res.restartSeconds = r.seconds;
      res.restartMemory = r.memory;
      log(
        `${def.label}: restart answered after ${r.seconds.toFixed(2)} s; tree RSS ${r.memory.rssMB.toFixed(0)} MB`,
      );
    } catch (e) {
      res.restartFailed = `restart failed: ${e.message}`;
      log(`${def.label}: ${res.restartFailed}`);
    }
    if (isLargest && WORKERS2) {
      try {
        const r = await again(2, 'workers2.log');
        res.workers2 = { loadSeconds: r.seconds, memory: r.memory };
        log(
          `${def.label}: EDGE_WORKERS=2 answered after ${r.seconds.toFixed(2)} s; tree RSS ${r.memory.rssMB.toFixed(0)} MB`,
        );
      } catch (e) {
        res.workers2 = { failed: `EDGE_WORKERS=2 failed: ${e.message}` };
      }
    }
  } finally {
    if (srv.child) await stopChild(srv.child);
  }
}

async function benchSize(meta, isLargest) {
  const servers = [];
  for (const name of ORDER) servers.push(await startServer(name, meta));
  const running = servers.filter((s) => !s.failed && !s.res.saturation?.failed);
  if (running.length) await rounds(running, meta, 'sat');
  const steady = running.filter((s) => !s.res.saturation.failed && s.child.alive());
  if (steady.length) await rounds(steady, meta, 'rate');
  for (const srv of servers.filter((s) => !s.failed)) await finishServer(srv, meta, isLargest);
  return servers.map((s) => s.res).sort((a, b) => SHOW.indexOf(a.server) - SHOW.indexOf(b.server));
}

// ---------------------------------------------------------------- report
const f = (v, d = 2) => (v === undefined || v === null || Number.isNaN(v) ? '-' : v.toFixed(d));
const ratio = (a, b) => (a > 0 && b > 0 ? a / b : undefined);
const thousands = (n) => n.toLocaleString('en-US');

function printSize(meta, rows) {
  const knot = rows.find((r) => r.server === 'knot');
  const kq = knot && !knot.failed && !knot.saturation?.failed ? knot.saturation.qps : undefined;
  const kr = knot && !knot.failed ? knot.memory.rssMB : undefined;
  const kl = knot && !knot.failed ? knot.loadSeconds : undefined;
  out('');
  out(
    `${thousands(meta.names)} names (${thousands(meta.records)} records, ${(meta.bytes / 1e6).toFixed(1)} MB zone file), ` +
      `queries: ${thousands(meta.queries)} (${meta.expect.a} answers, ${meta.expect.d} NODATA, ${meta.expect.x} NXDOMAIN)`,
  );
  const head = [
    ['server', 12, 'l'],
    ['load s', 7],
    ['restart s', 10],
    ['RSS MB', 8],
    ['PSS MB', 8],
    ['RSS run', 8],
    ['qps', 8],
    ['qps med', 8],
    ['qps/CPU', 8],
    ['other%', 6],
    [`p50 ms`, 8],
    [`p99 ms`, 8],
    ['p99.9 ms', 9],
    ['qps×Knot', 9],
    ['RSS×Knot', 9],
    ['load×Knot', 10],
  ];
  const fmt = (cells) =>
    cells.map((c, i) => (head[i][2] === 'l' ? c.padEnd(head[i][1]) : c.padStart(head[i][1]))).join(' ');
  out(fmt(head.map((h) => h[0])));
  const notes = [];
  for (const r of rows) {
    if (r.failed) {
      out(fmt([r.label, 'FAILED TO START', ...Array(head.length - 2).fill('')]).replace(/ +$/, ''));
      notes.push(`${r.label}: ${r.failed}`);
      continue;
    }
    const s = r.saturation ?? {};
    const l = r.fixedRate?.latency_ms;
    const rateFailed = r.fixedRate?.failed;
    out(
      fmt([
        r.label,
        f(r.loadSeconds),
        r.server === 'edge' ? (r.restartFailed ? 'FAILED' : f(r.restartSeconds)) : '',
        f(r.memory.rssMB, 0),
        f(r.memory.pssMB, 0),
        f(r.memoryAfterRun?.rssMB, 0),
        s.failed ? 'FAILED' : f(s.qps, 0),
        s.failed ? '' : f(s.qpsMedianSecond, 0),
        s.failed ? '' : f(s.answersPerCpuSecond, 0),
        s.failed ? '' : f(100 * s.otherOnServerCpu, 0),
        rateFailed ? 'FAILED' : f(l?.p50, 3),
        rateFailed ? '' : f(l?.p99, 3),
        rateFailed ? '' : f(l?.p999, 3),
        s.failed ? '-' : f(ratio(s.qps, kq)),
        f(ratio(r.memory.rssMB, kr)),
        f(ratio(r.loadSeconds, kl)) +
          (r.server === 'edge' && r.restartSeconds ? `/${f(ratio(r.restartSeconds, kl))}` : ''),
      ]),
    );
    if (s.failed) notes.push(`${r.label}: saturation run FAILED: ${s.failed}`);
    if (rateFailed)
      notes.push(
        `${r.label}: fixed-rate run FAILED: ${rateFailed}` +
          (/most answers missing/.test(rateFailed)
            ? ` (it did not keep up with ${thousands(RATE)} qps)`
            : ''),
      );
    if (r.restartFailed) notes.push(`${r.label}: ${r.restartFailed}`);
    if (r.tcp !== 'ok') notes.push(`${r.label}: TCP check: ${r.tcp}`);
    for (const [what, x] of [
      ['saturation', s],
      ['fixed rate', r.fixedRate],
    ])
      if (x?.warning && !x.failed) notes.push(`${r.label}: ${what}: ${x.warning}`);
    if (s.case_changed) notes.push(`${r.label}: ${s.case_changed} answers changed the case of the question`);
    if (s.truncated) notes.push(`${r.label}: ${s.truncated} answers truncated (TC)`);
    if (r.pinnedTo && r.pinnedTo.join() !== String(SERVER_CPU))
      notes.push(`${r.label}: threads allowed on CPUs ${r.pinnedTo.join(', ')} (wanted ${SERVER_CPU})`);
    if (s.otherOnServerCpu <= 0.1 && s.otherOnLoadgenCpu <= 0.1 && s.serverCpuShare < 0.85)
      notes.push(
        `${r.label}: the server used only ${(100 * s.serverCpuShare).toFixed(0)} % of its core while saturated: ` +
          'the load generator may be the limit',
      );
  }
  const busy = rows.filter(
    (r) => r.saturation?.otherOnServerCpu > 0.1 || r.saturation?.otherOnLoadgenCpu > 0.1,
  );
  if (busy.length) {
    const pct = (xs) => {
      const v = xs.map((x) => Math.round(100 * x));
      return Math.min(...v) === Math.max(...v) ? `${v[0]} %` : `${Math.min(...v)}–${Math.max(...v)} %`;
    };
    const sat = busy.map((r) => r.saturation);
    notes.push(
      `other processes and the hypervisor took ${pct(sat.map((x) => x.otherOnServerCpu))} of the server core ` +
        `(steal time ${pct(sat.map((x) => x.stealOnServerCpu))}) and ${pct(sat.map((x) => x.otherOnLoadgenCpu))} of the ` +
        `load generator's (steal ${pct(sat.map((x) => x.stealOnLoadgenCpu))}) during saturation: absolute qps are low by ` +
        'about that much; the servers took turns, so the ratios still compare',
    );
  }
  for (const n of notes) out(`  note: ${n}`);
}

function goals(results) {
  const at = (n) => results.find((x) => x.meta.names === n);
  const row = (sz, server) => sz?.rows.find((r) => r.server === server);
  const ok = (b) => (b === undefined ? 'not measured' : b ? 'met' : 'NOT met');
  const lines = [];
  const qpsGoal = (n, want) => {
    const sz = at(n);
    const e = row(sz, 'edge');
    const k = row(sz, 'knot');
    if (!sz) return `edge qps ≥ ${want}× Knot at ${thousands(n)} names: not measured (size not in --sizes)`;
    const eq = e && !e.failed && !e.saturation?.failed ? e.saturation.qps : undefined;
    const kq = k && !k.failed && !k.saturation?.failed ? k.saturation.qps : undefined;
    if (eq === undefined || kq === undefined)
      return `edge qps ≥ ${want}× Knot at ${thousands(n)} names: ${e?.failed || e?.saturation?.failed ? 'edge FAILED' : 'not measured'}`;
    const r = eq / kq;
    const es = e.saturation;
    const ks = k.saturation;
    return (
      `edge qps ≥ ${want}× Knot at ${thousands(n)} names: ${f(r)}× (${f(eq, 0)} vs ${f(kq, 0)} qps; ` +
      `by median second ${f(ratio(es.qpsMedianSecond, ks.qpsMedianSecond))}×, ` +
      `by qps/CPU ${f(ratio(es.answersPerCpuSecond, ks.answersPerCpuSecond))}×) — ${ok(r >= want)}`
    );
  };
  lines.push(qpsGoal(10000, 0.55));
  lines.push(qpsGoal(1000000, 0.5));
  {
    const sz = at(1000000);
    const e = row(sz, 'edge');
    const k = row(sz, 'knot');
    if (!sz) lines.push('edge RSS ≤ Knot at 1,000,000 names: not measured (size not in --sizes)');
    else if (!e || e.failed || !k || k.failed)
      lines.push(`edge RSS ≤ Knot at 1,000,000 names: ${e?.failed ? 'edge FAILED' : 'not measured'}`);
    else {
      const er = e.memory.rssMB;
      const kr = k.memory.rssMB;
      const after =
        (e.memoryAfterRun
          ? `; after the load tests ${f(e.memoryAfterRun.rssMB, 0)} vs ${f(k.memoryAfterRun?.rssMB, 0)} MB`
          : '') +
        (e.restartMemory
          ? `; edge after a restart from its local copy ${f(e.restartMemory.rssMB, 0)} MB`
          : '');
      lines.push(
        `edge RSS ≤ Knot at 1,000,000 names: ${f(er / kr)}× (${f(er, 0)} vs ${f(kr, 0)} MB after load${after}) — ${ok(er <= kr)}`,
      );
    }
  }
  for (const sz of results) {
    const e = row(sz, 'edge');
    const k = row(sz, 'knot');
    const label = `edge restart (local copy) < Knot load at ${thousands(sz.meta.names)} names`;
    if (!e || !k || k.failed) lines.push(`${label}: not measured`);
    else if (e.failed || e.restartFailed) lines.push(`${label}: edge FAILED`);
    else
      lines.push(
        `${label}: ${f(e.restartSeconds)} s vs ${f(k.loadSeconds)} s (edge first start ${f(e.loadSeconds)} s) — ${ok(e.restartSeconds < k.loadSeconds)}`,
      );
  }
  const largest = results[results.length - 1];
  const e = row(largest, 'edge');
  if (WORKERS2 && e) {
    const w2 = e.workers2;
    if (e.failed) lines.push(`EDGE_WORKERS=2 vs 1 at ${thousands(largest.meta.names)} names: edge FAILED`);
    else if (!w2 || w2.failed) lines.push(`EDGE_WORKERS=2 vs 1: ${w2?.failed ?? 'not measured'}`);
    else {
      const one = e.restartMemory ?? e.memory;
      lines.push(
        `EDGE_WORKERS=2 vs 1 at ${thousands(largest.meta.names)} names (started from the local copy): tree RSS ` +
          `${f(w2.memory.rssMB, 0)} vs ${f(one.rssMB, 0)} MB (+${f(w2.memory.rssMB - one.rssMB, 0)} MB), ` +
          `PSS ${f(w2.memory.pssMB, 0)} vs ${f(one.pssMB, 0)} MB; ${w2.memory.processes} vs ${one.processes} processes`,
      );
    }
  }
  out('');
  out('goals (from the issue):');
  for (const l of lines) out(`  ${l}`);
}

// ---------------------------------------------------------------- main
const results = [];
log(
  `servers on CPU ${SERVER_CPU}, load generator on CPU ${LOADGEN_CPU}; sizes ${SIZES.join(', ')}; ` +
    `servers ${ORDER.join(', ')}`,
);
for (const names of SIZES) {
  const meta = await zoneFor(names);
  results.push({ meta, rows: await benchSize(meta, names === SIZES[SIZES.length - 1]) });
}

out('');
out(
  `DNS serving, one core per server (taskset -c ${SERVER_CPU}), load generator on CPU ${LOADGEN_CPU}: ` +
    `qps = saturating UDP throughput (${DURATION} s per server in rounds of ~${ROUND_SECONDS} s, servers taking turns; ` +
    `window: the largest of ${WINDOWS.join('/')} without loss), ` +
    `qps med = its median 1-s interval, qps/CPU = answers per CPU-second of the server, ` +
    `other% = other processes' use of the server's core meanwhile; ` +
    `latency at ${thousands(RATE)} qps for ${RATE_DURATION} s (also in turns); RSS/PSS = whole process tree after load; ` +
    `RSS run = after the load tests; ` +
    `load×Knot for the edge: first start/restart`,
);
for (const r of results) printSize(r.meta, r.rows);
goals(results);
if (opt.json) {
  const strip = ({ zone, queryFile, ...m }) => ({
    ...m,
    zoneFile: path.relative(root, zone),
    queryFile: path.relative(root, queryFile),
  });
  console.log(
    JSON.stringify({
      machine: { cpus: os.availableParallelism(), model: os.cpus()[0]?.model, node: process.version },
      settings: {
        duration: DURATION,
        rate: RATE,
        rateDuration: RATE_DURATION,
        warmup: WARMUP,
        windows: WINDOWS,
        serverCpu: SERVER_CPU,
        loadgenCpu: LOADGEN_CPU,
      },
      sizes: results.map((r) => ({ zone: strip(r.meta), servers: r.rows })),
    }),
  );
}
clearTimeout(watchdog);
cleanup();
