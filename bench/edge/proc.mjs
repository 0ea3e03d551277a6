// Processes for the benchmark: every child runs in its own process group and
// is registered, so cleanup() (also from 'exit', SIGINT, SIGTERM, SIGHUP and
// uncaught errors) kills every group it started and removes the temporary
// directories. Also: process trees, their memory (VmRSS, Pss) and CPU time
// from /proc, and re-pinning every thread of a tree to one CPU.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';

const children = new Set();
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

export function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const c of children) killGroup(c, 'SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

export function installCleanup() {
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(sig, () => {
      console.error(`\n${sig}: stopping every server and cleaning up`);
      cleanup();
      process.exit(130);
    });
  process.on('uncaughtException', (e) => {
    console.error(e);
    cleanup();
    process.exit(1);
  });
  process.on('unhandledRejection', (e) => {
    console.error(e);
    cleanup();
    process.exit(1);
  });
}

export const trackDir = (dir) => (tempDirs.add(dir), dir);

/** Spawns `cmd args` in its own process group, output appended to logFile (or piped when logFile is null). */
export function startChild(cmd, args, { env = process.env, logFile = null, cwd } = {}) {
  let fd;
  let stdio = ['ignore', 'pipe', 'pipe'];
  if (logFile) {
    fd = openSync(logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(cmd, args, { env, cwd, stdio, detached: true });
  if (fd !== undefined) closeSync(fd);
  children.add(child);
  child.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  child.once('error', () => children.delete(child));
  child.alive = () => child.exitCode === null && child.signalCode === null;
  return child;
}

export async function stopChild(child, graceMs = 10_000) {
  if (!child.alive()) return;
  killGroup(child, 'SIGTERM');
  const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(t);
  // Whatever the group left behind (a worker that outlived its parent) goes too.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* the group is empty */
  }
}

/** Runs a command to completion; resolves { code, stdout, stderr }. Killed (group) after timeoutMs. */
export function runChild(cmd, args, { timeoutMs, env } = {}) {
  const child = startChild(cmd, args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const t = timeoutMs ? setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs) : null;
  return child.exited.then(({ code, signal }) => {
    if (t) clearTimeout(t);
    return { code, signal, stdout, stderr };
  });
}

function readProc(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** pid and all its descendants (from /proc/<pid>/stat parent ids). */
export function processTree(root) {
  const parent = new Map();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const stat = readProc(`/proc/${e}/stat`);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(e), Number(fields[1]));
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, ppid] of parent) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  return tree.filter((p) => parent.has(p));
}

/** Sum over the tree of VmRSS and Pss, in MiB, and the number of processes. */
export function treeMemory(root) {
  let rssKB = 0;
  let pssKB = 0;
  const pids = processTree(root);
  for (const pid of pids) {
    const status = readProc(`/proc/${pid}/status`);
    rssKB += Number(/^VmRSS:\s+(\d+) kB/m.exec(status ?? '')?.[1] ?? 0);
    const rollup = readProc(`/proc/${pid}/smaps_rollup`);
    pssKB += Number(/^Pss:\s+(\d+) kB/m.exec(rollup ?? '')?.[1] ?? 0);
  }
  return { rssMB: rssKB / 1024, pssMB: pssKB / 1024, processes: pids.length };
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system, every thread) used so far by the tree. */
export function treeCpuSeconds(root) {
  let ticks = 0;
  for (const pid of processTree(root)) {
    const stat = readProc(`/proc/${pid}/stat`);
    if (!stat) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]); // utime, stime
  }
  return ticks / TICKS;
}

/**
 * Busy seconds (everything but idle and iowait, steal included) of each CPU so
 * far, from /proc/stat; `.steal[cpu]`: the part the hypervisor took.
 */
export function cpuBusySeconds() {
  const busy = [];
  busy.steal = [];
  for (const line of (readProc('/proc/stat') ?? '').split('\n')) {
    const m = /^cpu(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const v = m[2].trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    busy[Number(m[1])] = (v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] ?? 0)) / TICKS;
    busy.steal[Number(m[1])] = (v[7] ?? 0) / TICKS;
  }
  return busy;
}

/**
 * Pins every thread of every process of the tree to `cpu` (taskset -a -p):
 * some servers set their own thread affinity at start (Knot pins its UDP
 * worker n to CPU n), which would put them on the load generator's core.
 * Returns the CPU lists the threads allow afterwards (should be just `cpu`).
 */
export function pinTree(root, cpu) {
  const allowed = new Set();
  for (const pid of processTree(root)) {
    spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      const s = readProc(`/proc/${pid}/task/${t}/status`);
      const m = /^Cpus_allowed_list:\s+(\S+)/m.exec(s ?? '');
      if (m) allowed.add(m[1]);
    }
  }
  return [...allowed];
}

/** A loopback port free for both TCP and UDP right now. */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const { port: p } = s.address();
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
  throw new Error('no free loopback port');
}
