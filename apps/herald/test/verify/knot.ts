// Runs a real Knot DNS server (knotd, Debian package `knot`) for the tests:
// a throw-away configuration, zone files and run/storage directories in a
// temporary directory, started in the foreground as a child process and
// stopped with SIGTERM. Port 53 on a 127.0.0.x address of its own needs root
// (the tests run as root) and clashes with nothing: all of 127.0.0.0/8 is
// local on Linux, so no alias has to be added.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KnotServer {
  stop(): Promise<void>;
}

export interface KnotOptions {
  /** Knot `listen` values, `address@port`. The first is polled for readiness. */
  listen: string[];
  /** Zone name (absolute) -> master-file text. The first is polled for readiness. */
  zones: Record<string, string>;
}

export async function startKnot(options: KnotOptions): Promise<KnotServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-knot-'));
  const zoneEntries = Object.entries(options.zones).map(([zone, text], i) => {
    const file = path.join(dir, `zone-${i}.zone`);
    writeFileSync(file, text);
    return `  - domain: ${zone}\n    file: ${file}\n    zonefile-sync: -1\n`;
  });
  // Syntax from knot.conf(5) and `kdig -h` of Knot 3.2; `zonefile-sync: -1` keeps knotd from rewriting the zone files.
  const conf = [
    'server:',
    `    rundir: ${dir}`,
    `    listen: [ ${options.listen.join(', ')} ]`,
    'log:',
    '  - target: stderr',
    '    any: warning',
    'database:',
    `    storage: ${dir}`,
    'zone:',
    ...zoneEntries,
  ].join('\n');
  const confFile = path.join(dir, 'knot.conf');
  writeFileSync(confFile, conf + '\n');

  const child = spawn('knotd', ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });

  const [address, port] = options.listen[0]!.split('@') as [string, string];
  const firstZone = Object.keys(options.zones)[0]!;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (!running) {
      cleanUp();
      throw new Error(`knotd exited before answering: ${stderr.trim()}`);
    }
    try {
      const { stdout } = await run('kdig', [
        `@${address}`,
        '-p',
        port ?? '53',
        firstZone,
        'SOA',
        '+short',
        '+timeout=1',
        '+retry=0',
      ]);
      if (stdout.trim() !== '') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      cleanUp();
      throw new Error(
        `knotd did not answer ${firstZone} SOA on ${options.listen[0]} within 10 s: ${stderr.trim()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    async stop() {
      if (running) child.kill('SIGTERM');
      await exited;
      cleanUp();
    },
  };
}
