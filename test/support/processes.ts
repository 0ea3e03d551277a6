// Real processes for the cross-process tests: each child runs in its own
// process group (so an edge's cluster workers go with it), its output is kept
// for assertions and failure messages, and every child started is killed by
// stopAll() — call it from afterAll, it is safe after a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliMain = path.join(root, 'apps/cli/dist/main.js');

const running = new Set<Proc>();
const dirs = new Set<string>();

/** Fails with what to install when a tool the test needs is not on PATH. */
export function requireTool(tool: string, install: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  if (found.status !== 0)
    throw new Error(`${tool} is not installed, and this test runs it for real: ${install}`);
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** The environment of a user's shell, without the variables the processes under test read. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (/^(HERALD_|EDGE_)/.test(name) || name === 'DATABASE_URL' || name === 'REDIS_URL') delete env[name];
  return { ...env, ...extra };
}

export class Proc {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitedFlag = false;

  constructor(
    readonly name: string,
    cmd: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e) => {
        this.stderr += `spawn failed: ${e.message}\n`;
        this.exitedFlag = true;
        resolve({ code: null, signal: null });
      });
      this.child.on('exit', (code, signal) => {
        this.exitedFlag = true;
        running.delete(this);
        resolve({ code, signal });
      });
    });
    running.add(this);
  }

  get alive(): boolean {
    return !this.exitedFlag;
  }

  /** What it printed, for failure messages. */
  output(): string {
    return `--- ${this.name} stdout ---\n${this.stdout}--- ${this.name} stderr ---\n${this.stderr}`;
  }

  /** Waits until stdout matches `pattern`; fails early when the process exits first. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.stdout);
      if (m) return m;
      if (!this.alive) throw new Error(`${this.name} exited before printing ${pattern}\n${this.output()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms\n${this.output()}`);
      await sleep(20);
    }
  }

  /** Signals the whole process group, then waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
    if (!this.alive) return;
    signalGroup(this.child, signal);
    const timer = setTimeout(() => signalGroup(this.child, 'SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    // A SIGTERMed leader may leave workers of its group behind for a moment: take them too.
    signalGroup(this.child, 'SIGKILL');
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Kills every process started here (whole groups) and removes the temporary directories. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL', 5000)));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs a command to completion. */
export function exec(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A loopback port free for both TCP and UDP right now (DNS listens on both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const p = (server.address() as { port: number }).port;
        server.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free loopback port for TCP and UDP after 20 tries');
}

/** Polls `fn` until it returns without throwing; rethrows the last error at the deadline. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await sleep(intervalMs);
  }
}
