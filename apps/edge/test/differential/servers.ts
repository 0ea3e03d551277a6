// The servers the differential test compares: Knot DNS (the reference), NSD
// (a second real server, to check the harness itself) and Herald's edge (the
// subject), each serving the same master files on 127.0.0.1 at a free port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Name, RRType, makeQuery } from '@herald/dns';
import { exchange, type Endpoint } from './client.js';

export interface ServedZone {
  /** Absolute zone name, e.g. `example.com.` */
  origin: string;
  /** Absolute path of the master file. */
  file: string;
}

export interface RunningServer extends Endpoint {
  /** `knot`, `nsd` or `edge`: the name the diffs use. */
  name: string;
  stop(): Promise<void>;
}

/** A port free for both UDP and TCP on 127.0.0.1 (the servers bind both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both UDP and TCP on 127.0.0.1');
}

/** Fails loudly, naming the Debian package, when a server binary is missing. */
function requireBinary(binary: string, versionFlag: string, pkg: string): void {
  const probe = spawnSync(binary, [versionFlag], { encoding: 'utf8' });
  if (probe.error)
    throw new Error(
      `${binary} is not installed (${(probe.error as NodeJS.ErrnoException).code}); the differential test needs it: apt-get install ${pkg}`,
    );
}

/** Polls until `server` answers the first zone's SOA, or the child exits, or 10 s pass. */
async function waitUntilAnswering(
  name: string,
  to: Endpoint,
  zone: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + 10_000;
  const probe = makeQuery(Name.parse(zone), RRType.SOA, { id: 4242, recursionDesired: false });
  for (;;) {
    if (exited !== undefined)
      throw new Error(`${name} exited (status ${exited}) before answering: ${output().trim()}`);
    try {
      const r = await exchange(to, probe, 'tcp');
      if (r.message && r.message.answers.length > 0) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `${name} did not answer ${zone} SOA on ${to.host}:${to.port} within 10 s: ${output().trim()}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
}

async function startChild(
  name: string,
  command: string,
  args: string[],
  dir: string,
  to: Endpoint,
  zones: readonly ServedZone[],
): Promise<RunningServer> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const stop = stopper(child, dir);
  try {
    await waitUntilAnswering(name, to, zones[0]!.origin, child, () => output);
  } catch (e) {
    await stop();
    throw e;
  }
  return { name, ...to, stop };
}

/**
 * knotd in the foreground with a throw-away configuration (knot.conf(5) of
 * Knot 3.2): one UDP and one TCP worker, zone files read whole and never
 * written back, no journal, semantic checks off (the fixtures hold a CNAME
 * loop on purpose).
 */
export async function startKnot(zones: readonly ServedZone[]): Promise<RunningServer> {
  requireBinary('knotd', '-V', 'knot');
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-diff-knot-'));
  const port = await freePort();
  const conf = [
    'server:',
    `    rundir: ${dir}`,
    `    listen: 127.0.0.1@${port}`,
    '    udp-workers: 1',
    '    tcp-workers: 1',
    '    background-workers: 1',
    'log:',
    '  - target: stderr',
    '    any: warning',
    'database:',
    `    storage: ${dir}`,
    'template:',
    '  - id: default',
    '    semantic-checks: off',
    '    zonefile-sync: -1',
    '    zonefile-load: whole',
    '    journal-content: none',
    'zone:',
    ...zones.flatMap((z) => [`  - domain: ${z.origin}`, `    file: ${z.file}`]),
  ].join('\n');
  const confFile = path.join(dir, 'knot.conf');
  writeFileSync(confFile, conf + '\n');
  return startChild('knot', 'knotd', ['-c', confFile], dir, { host: '127.0.0.1', port }, zones);
}

/**
 * nsd in the foreground (nsd.conf(5) of NSD 4.6), one server process, no
 * database, privileges kept, nothing written outside the temporary directory.
 * Used only to check the harness (DIFF_SUBJECT=nsd).
 */
export async function startNsd(zones: readonly ServedZone[]): Promise<RunningServer> {
  requireBinary('nsd', '-v', 'nsd');
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-diff-nsd-'));
  const port = await freePort();
  const conf = [
    'server:',
    `    ip-address: 127.0.0.1@${port}`,
    '    server-count: 1',
    '    username: ""',
    '    chroot: ""',
    `    zonesdir: "${dir}"`,
    '    database: ""',
    `    zonelistfile: "${dir}/zone.list"`,
    `    xfrdfile: "${dir}/xfrd.state"`,
    `    xfrdir: "${dir}"`,
    `    pidfile: "${dir}/nsd.pid"`,
    '    verbosity: 1',
    '    hide-version: yes',
    '    hide-identity: yes',
    // Knot's shape of answer: no NS RRset in the authority section of positive answers.
    '    minimal-responses: yes',
    // Debian builds NSD with response rate limiting on (200/s per /24): the corpus would trip it.
    '    rrl-ratelimit: 0',
    '    rrl-whitelist-ratelimit: 0',
    'remote-control:',
    '    control-enable: no',
    ...zones.flatMap((z) => ['zone:', `    name: ${z.origin}`, `    zonefile: "${z.file}"`]),
  ].join('\n');
  const confFile = path.join(dir, 'nsd.conf');
  writeFileSync(confFile, conf + '\n');
  return startChild('nsd', 'nsd', ['-d', '-c', confFile], dir, { host: '127.0.0.1', port }, zones);
}

/**
 * Herald's edge, in this process, from source, in static mode (the zone files
 * themselves, no control plane), answering in the main process.
 */
export async function startEdgeServer(zones: readonly ServedZone[]): Promise<RunningServer> {
  const { startEdge, loadEdgeConfig } = await import('../../src/index.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-diff-edge-'));
  const config = {
    ...loadEdgeConfig(
      { EDGE_DNS_LISTEN: '127.0.0.1:0', EDGE_HTTP_LISTEN: 'off', EDGE_WORKERS: '1', EDGE_DATA_DIR: dir },
      dir,
    ),
    staticZones: zones.map((z) => ({ origin: z.origin, file: z.file })),
  };
  let log = '';
  const sink = { write: (text: string) => (log += text) };
  let edge;
  try {
    // Port 0 picks a free UDP port; TCP then needs the same number, which another
    // test's socket may hold: try again with a new port.
    for (let attempt = 1; ; attempt++) {
      try {
        edge = await startEdge(config, { handleSignals: false, stdout: sink, stderr: sink });
        break;
      } catch (e) {
        if (attempt >= 5 || !/EADDRINUSE/.test((e as Error).message)) throw e;
      }
    }
    await edge.synced;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the edge did not start: ${(e as Error).message}\n${log}`, { cause: e });
  }
  const handle = edge;
  return {
    name: 'edge',
    host: handle.dns.host,
    port: handle.dns.port,
    async stop() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
