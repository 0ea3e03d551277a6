// herald all / api as processes: first start, restarts on the same data
// directory, clean shutdown, and the errors a bad environment gets.
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig, startApi, type ApiHandle } from '@herald/control-plane';
import type { EdgeHandle } from '@herald/edge';
import { createTemporaryDatabase } from '../../herald/test/support/temporary-database.js';
import { capture, herald, startServer, tempDir, tokensIn } from './support.js';

const mode = (file: string) => statSync(file).mode & 0o777;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of many shapes
type Json = any;

async function get(url: string, token?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, body: await res.json() };
}

describe('the all-in-one on one data directory, started three times', () => {
  const data = tempDir();
  afterAll(() => data.remove());
  const env = {
    HERALD_DATA_DIR: data.dir,
    HERALD_API_LISTEN: '127.0.0.1:0',
    EDGE_DNS_LISTEN: '127.0.0.1:0',
    EDGE_HTTP_LISTEN: 'off',
    EDGE_WORKERS: '1',
  };
  const adminKeyFile = path.join(data.dir, 'admin-key');
  const masterKeyFile = path.join(data.dir, 'master-key');
  let token = '';
  let masterKey = '';

  test('first start (`herald all`): creates org and admin key, prints the token once, writes admin-key 0600, and its edge answers', async () => {
    let handle: ApiHandle | undefined;
    let edge: EdgeHandle | undefined;
    const running = herald(['all'], env, {
      serve: { handleSignals: false, onStarted: (h) => (handle = h), onEdgeStarted: (e) => (edge = e) },
    });
    await expect.poll(() => handle, { timeout: 60_000 }).toBeDefined();
    expect(handle!.firstStart).toBe(true);
    expect((await get(`${handle!.url}/healthz`)).body).toEqual({ status: 'ok' });

    token = readFileSync(adminKeyFile, 'utf8').trim();
    expect(mode(adminKeyFile)).toBe(0o600);
    masterKey = readFileSync(masterKeyFile, 'utf8');
    expect(mode(masterKeyFile)).toBe(0o600);

    // The token works, and it is the org's only key.
    const keys = await get(`${handle!.url}/v1/apikeys`, token);
    expect(keys.status).toBe(200);
    // The admin key, and the all-in-one edge's key.
    expect(keys.body.keys.map((k: { role: string }) => k.role).sort()).toEqual(['admin', 'edge']);
    const zone = await fetch(`${handle!.url}/v1/zones`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'kept.example' }),
    });
    expect(zone.status).toBe(201);
    // The in-process edge got the zone through the in-process feed, with its own edge key.
    await expect.poll(() => edge?.zones.get('kept.example.')?.serial, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(readFileSync(path.join(data.dir, 'edge-key'), 'utf8')).toMatch(/^hk_/);
    expect(mode(path.join(data.dir, 'edge-key'))).toBe(0o600);

    await handle!.close();
    const result = await running;
    expect(result.code).toBe(0);
    expect(tokensIn(result.stdout)).toEqual([token]);
    expect(result.stdout).toContain('first start: created org "default"');
    expect(result.stdout).toContain(`saved in ${adminKeyFile} (mode 0600)`);
    expect(result.stdout).toMatch(/herald edge \S+: answering DNS on 127\.0\.0\.1:\d+ \(udp, tcp\)/);
    expect(result.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stderr).toBe('');
  }, 90_000);

  test('second start (`herald api`): same org and key, no new key, nothing printed about a token', async () => {
    let handle: ApiHandle | undefined;
    const running = herald(['api'], env, { serve: { handleSignals: false, onStarted: (h) => (handle = h) } });
    await expect.poll(() => handle, { timeout: 60_000 }).toBeDefined();
    expect(handle!.firstStart).toBe(false);
    expect(readFileSync(adminKeyFile, 'utf8').trim()).toBe(token);
    expect(readFileSync(masterKeyFile, 'utf8')).toBe(masterKey);
    expect((await get(`${handle!.url}/v1/apikeys`, token)).body.keys).toHaveLength(2);
    expect(
      (await get(`${handle!.url}/v1/zones`, token)).body.zones.map((z: { name: string }) => z.name),
    ).toEqual(['kept.example.']);
    await handle!.close();
    const result = await running;
    expect(result.code).toBe(0);
    expect(tokensIn(result.stdout)).toEqual([]);
    expect(result.stdout).not.toContain('first start');
    expect(result.stdout).not.toContain('generated a master key');
  }, 90_000);

  test('SIGTERM closes server, feed and database, then exits 0', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const exits: number[] = [];
    const stdout = capture();
    const handle = await startApi(loadConfig(env), {
      stdout,
      stderr: capture(),
      exit: (code) => exits.push(code),
    });
    const added = process.listeners('SIGTERM').filter((l) => !before.has(l));
    expect(added).toHaveLength(1);
    expect(process.listeners('SIGINT').length).toBeGreaterThan(0);
    (added[0] as (signal: NodeJS.Signals) => void)('SIGTERM');
    await handle.closed;
    await expect.poll(() => exits).toEqual([0]);
    expect(stdout.text()).toContain('SIGTERM: shutting down');
    // The handlers are gone and so is the server.
    expect(process.listeners('SIGTERM').filter((l) => !before.has(l))).toEqual([]);
    await expect(fetch(`${handle.url}/healthz`)).rejects.toThrow();
    // ... and the database was closed: the data directory opens again.
    const again = await startServer(data.dir);
    await again.handle.close();
  }, 90_000);

  test('a taken port is a clear HERALD_API_LISTEN error (exit 2), and the database is closed again', async () => {
    const blocker: NetServer = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await herald(
        ['api'],
        { ...env, HERALD_API_LISTEN: `127.0.0.1:${port}` },
        { serve: { handleSignals: false } },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`herald: HERALD_API_LISTEN: 127.0.0.1:${port} is already in use`);
    } finally {
      blocker.close();
    }
    const again = await startServer(data.dir);
    await again.handle.close();
  }, 90_000);
});

describe('configuration errors stop the process with exit 2, naming the variable and never a secret', () => {
  test.each([
    [{ HERALD_API_LISTEN: 'localhost' }, 'HERALD_API_LISTEN must be host:port'],
    [{ HERALD_API_LISTEN: '127.0.0.1:70000' }, 'HERALD_API_LISTEN: port 70000 is out of range'],
    [{ HERALD_DEFAULT_TTL: 'an hour' }, 'HERALD_DEFAULT_TTL must be a number of seconds'],
    [
      { HERALD_NAMESERVERS: 'ns1.example.net' },
      "HERALD_NAMESERVERS: 'ns1.example.net' must be an absolute name",
    ],
    [
      { DATABASE_URL: 'postgres://herald:s3cret-pw@db:5432/herald' },
      'HERALD_MASTER_KEY is required when DATABASE_URL is set',
    ],
    [
      { DATABASE_URL: 'mysql://herald:s3cret-pw@db/herald' },
      'DATABASE_URL must start with postgres:// or postgresql://',
    ],
    [{ REDIS_URL: 'not a url s3cret-pw' }, 'REDIS_URL is not a valid URL'],
    [{ HERALD_MASTER_KEY: 's3cret-pw' }, 'HERALD_MASTER_KEY'],
  ])('%j', async (bad, message) => {
    const r = await herald(['api'], { HERALD_DATA_DIR: '/nonexistent/never-created', ...bad });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(r.stdout).toBe('');
  });
});

describe('herald worker refuses a start it cannot do', () => {
  test('without REDIS_URL: exit 2 naming it', async () => {
    const r = await herald(['worker'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^herald: herald worker needs REDIS_URL/);
  });
  test('without DATABASE_URL: exit 2 naming it, and the Redis URL is never printed', async () => {
    const r = await herald(['worker'], { REDIS_URL: 'redis://:s3cret-pw@127.0.0.1:1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^herald: herald worker needs DATABASE_URL/);
    expect(r.stderr + r.stdout).not.toContain('s3cret-pw');
  });
});

describe('herald edge refuses a start it cannot do', () => {
  test('without HERALD_TOKEN or --zone: exit 2 naming both', async () => {
    const r = await herald(['edge'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HERALD_TOKEN.*--zone/);
  });
  test('a bad --zone spec or variable: exit 2 naming it', async () => {
    const bad = await herald(['edge', '--zone', 'example.com'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--zone example.com: expected <origin>=<zone file>');
    const listen = await herald(['edge', '--zone', 'a.=b'], { EDGE_DNS_LISTEN: '5300' });
    expect(listen.code).toBe(2);
    expect(listen.stderr).toContain('EDGE_DNS_LISTEN');
    const workers = await herald(['edge', '--zone', 'a.=b'], { EDGE_WORKERS: '0' });
    expect(workers.code).toBe(2);
    expect(workers.stderr).toContain('EDGE_WORKERS');
  });
});

if (!process.env.DATABASE_URL)
  console.log(
    'herald process tests on PostgreSQL NOT run: DATABASE_URL is unset (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)',
  );

describe.skipIf(!process.env.DATABASE_URL)('on PostgreSQL (DATABASE_URL)', () => {
  test('two api processes starting together on an empty database create one org and one admin key', async () => {
    const db = await createTemporaryDatabase(process.env.DATABASE_URL!);
    const a = tempDir();
    const b = tempDir();
    const handles: ApiHandle[] = [];
    try {
      const masterKey = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 7)).toString('base64');
      const env = { DATABASE_URL: db.url, HERALD_MASTER_KEY: masterKey };
      const started = await Promise.all([startServer(a.dir, env), startServer(b.dir, env)]);
      handles.push(...started.map((s) => s.handle));
      expect(started.filter((s) => s.handle.firstStart)).toHaveLength(1);
      const first = started.find((s) => s.handle.firstStart)!;
      const token = tokensIn(first.stdout)[0]!;
      expect(first.stdout).toContain('database: PostgreSQL (DATABASE_URL)');
      expect(first.stdout).not.toContain(db.url);
      const keys = await get(`${first.handle.url}/v1/apikeys`, token);
      expect(keys.body.keys).toHaveLength(1);
    } finally {
      for (const h of handles) await h.close();
      await db.drop();
      a.remove();
      b.remove();
    }
  }, 90_000);
});
