// The path a user takes, with nothing from source: `pnpm run build`, then
// `node apps/cli/dist/main.js all` (what `pnpm start` runs) and the built CLI
// against it. Catches what in-process tests cannot: the compiled output
// (decorator metadata for Nest's injection, ESM resolution between the
// packages' dist/), the bin's shebang, and exit 0 on SIGTERM.
import { buildLocked } from '../../../tools/vitest/build-lock.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { tempDir, tokensIn } from './support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const main = path.join(root, 'apps/cli/dist/main.js');

/** The environment of a user's shell, without the CI's database and Redis. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, REDIS_URL: _r, HERALD_TOKEN: _t, HERALD_URL: _u, ...env } = process.env;
  return { ...env, ...extra };
}

function exec(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
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

const data = tempDir('herald-e2e-');
let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill('SIGKILL');
  data.remove();
});

test('pnpm run build, then the built `herald all` serves and the built CLI manages zones', async () => {
  const build = await buildLocked(userEnv({}));
  expect(build.code, build.stdout + build.stderr).toBe(0);
  expect(readFileSync(main, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);

  // EDGE_WORKERS unset: the built edge answers from one worker per core (node:cluster).
  const env = userEnv({
    HERALD_DATA_DIR: data.dir,
    HERALD_API_LISTEN: '127.0.0.1:0',
    EDGE_DNS_LISTEN: '127.0.0.1:0',
    EDGE_HTTP_LISTEN: '127.0.0.1:0',
  });
  const child = spawn(process.execPath, [main, 'all'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  await expect
    .poll(() => /listening on (http:\/\/\S+) /.exec(stdout)?.[1], { timeout: 60_000, interval: 100 })
    .toBeDefined();
  const url = /listening on (http:\/\/\S+) /.exec(stdout)![1]!;
  expect(tokensIn(stdout)).toEqual([readFileSync(path.join(data.dir, 'admin-key'), 'utf8').trim()]);
  await expect
    .poll(() => /answering DNS on 127\.0\.0\.1:(\d+)/.exec(stdout)?.[1], { timeout: 30_000, interval: 100 })
    .toBeDefined();
  const dnsPort = /answering DNS on 127\.0\.0\.1:(\d+)/.exec(stdout)![1]!;
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });

  // The built CLI, with the token from the data directory's admin-key.
  const cliEnv = userEnv({ HERALD_DATA_DIR: data.dir, HERALD_URL: url });
  const created = await exec(process.execPath, [main, 'zones', 'create', 'example.com'], cliEnv);
  expect(created, created.stderr).toMatchObject({ code: 0 });
  expect(created.stdout).toMatch(/^created zone example\.com\. \(serial \d+\)\n$/);
  const added = await exec(
    process.execPath,
    [main, 'records', 'add', 'example.com', 'www', 'A', '192.0.2.1'],
    cliEnv,
  );
  expect(added.code, added.stderr).toBe(0);
  // dig gets the record from the edge (UDP and TCP), without a restart: the change reached it incrementally.
  await expect
    .poll(
      async () =>
        (await exec('dig', ['@127.0.0.1', '-p', dnsPort, '+short', '+norec', 'www.example.com', 'A'], cliEnv))
          .stdout,
      {
        timeout: 10_000,
        interval: 100,
      },
    )
    .toBe('192.0.2.1\n');
  const tcp = await exec(
    'dig',
    ['@127.0.0.1', '-p', dnsPort, '+tcp', '+norec', 'nope.example.com', 'A'],
    cliEnv,
  );
  expect(tcp.stdout).toContain('status: NXDOMAIN');
  expect(tcp.stdout).toMatch(/flags: qr aa;/);
  // `pnpm herald …` (the root script) runs the same bin.
  const exported = await exec('pnpm', ['--silent', 'herald', 'export', 'example.com'], cliEnv);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toMatch(/^\$ORIGIN example\.com\.\n/);
  expect(exported.stdout).toContain('www\t3600\tIN\tA\t192.0.2.1\n');

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  server = undefined;
  expect(stdout).toMatch(/SIGTERM: shutting down\nherald api: stopped\n$/);
  expect(stderr).toBe('');
}, 180_000);
