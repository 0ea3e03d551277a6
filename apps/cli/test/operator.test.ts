// The operators' commands against a real control plane (embedded PGlite),
// run in-process. The token comes from the data directory's admin-key file,
// as in the all-in-one, unless a test sets HERALD_TOKEN.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { herald, startServer, tempDir, tokensIn, type CliRun, type Server } from './support.js';

const ZONE_FILE = `$TTL 300
@ SOA ns1 hostmaster 1 3600 600 604800 60
@ NS ns1
ns1 A 192.0.2.1
www A 192.0.2.80
    AAAA 2001:db8::80
mail MX 10 www
_sip._tcp SRV 0 5 5060 www
`;

let server: Server;
let env: Record<string, string>;
let adminToken: string;
const data = tempDir();

beforeAll(async () => {
  server = await startServer(data.dir);
  adminToken = tokensIn(server.stdout)[0]!;
  env = { HERALD_URL: server.handle.url, HERALD_DATA_DIR: data.dir };
}, 60_000);
afterAll(async () => {
  await server?.handle.close();
  data.remove();
});

function file(name: string, text: string): string {
  const p = path.join(data.dir, name);
  writeFileSync(p, text);
  return p;
}

/** No command ever prints the token it was given. */
function neverShowsToken(r: CliRun, token = adminToken): CliRun {
  expect(r.stdout).not.toContain(token);
  expect(r.stderr).not.toContain(token);
  return r;
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const cli = async (...argv: string[]) => neverShowsToken(await herald(argv, env));
const json = (r: CliRun) => JSON.parse(r.stdout);

describe('the token', () => {
  test('without HERALD_TOKEN the CLI reads $HERALD_DATA_DIR/admin-key (the all-in-one works out of the box)', async () => {
    const r = await cli('zones', 'list');
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  test('HERALD_TOKEN wins over the file; a refused one is exit 1, naming the variable but never the value', async () => {
    const bogus = 'hk_00000000_' + 'A'.repeat(43);
    const r = neverShowsToken(await herald(['zones', 'list'], { ...env, HERALD_TOKEN: bogus }), bogus);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('herald: Unauthorized (401)');
    expect(r.stderr).toContain('the token in HERALD_TOKEN was refused');
    const ok = await herald(['zones', 'list'], { ...env, HERALD_TOKEN: adminToken });
    expect(neverShowsToken(ok).code).toBe(0);
  });

  test('no HERALD_TOKEN and no admin-key file is a usage error that says what to do', async () => {
    const empty = tempDir();
    try {
      const r = await herald(['zones', 'list'], {
        HERALD_URL: server.handle.url,
        HERALD_DATA_DIR: empty.dir,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `HERALD_TOKEN is not set and ${path.join(empty.dir, 'admin-key')} does not exist`,
      );
    } finally {
      empty.remove();
    }
  });

  test('a control plane that is not there: exit 1 and a hint', async () => {
    const port = await closedPort();
    const r = await herald(['zones', 'list'], { ...env, HERALD_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `herald: cannot reach the control plane at http://127.0.0.1:${port} (ECONNREFUSED)\n` +
        '  is it running? Start it with `pnpm start` (or `herald api`), or set HERALD_URL to where it runs\n',
    );
  });
});

describe('zones', () => {
  test('create, list (table and JSON), show, delete', async () => {
    const created = await cli(
      'zones',
      'create',
      'cli.example',
      '--ns',
      'ns1.cli.example.',
      'ns2.cli.example.',
      '--ttl',
      '600',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created zone cli\.example\. \(serial \d+\)\n$/);
    await cli('zones', 'create', 'other-zone.example');

    const list = await cli('zones', 'list');
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME {17}SERIAL {6}UPDATED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['cli.example.', 'other-zone.example.']);
    // Columns line up: SERIAL starts at the same offset on every line.
    const at = lines[0]!.indexOf('SERIAL');
    for (const l of lines.slice(1)) expect(l.slice(at)).toMatch(/^\d{10} /);

    const asJson = json(await cli('zones', 'list', '--json'));
    expect(asJson.zones.map((z: { name: string }) => z.name)).toEqual([
      'cli.example.',
      'other-zone.example.',
    ]);

    const shown = json(await cli('zones', 'show', 'cli.example', '--json'));
    expect(shown.nameservers).toEqual(['ns1.cli.example.', 'ns2.cli.example.']);
    expect((await cli('zones', 'show', 'cli.example')).stdout).toMatch(
      /^nameservers {2}ns1\.cli\.example\. ns2\.cli\.example\.$/m,
    );

    const deleted = await cli('zones', 'delete', 'other-zone.example');
    expect(deleted).toMatchObject({ code: 0, stdout: 'deleted zone other-zone.example\n' });
    expect(json(await cli('zones', 'list', '--json')).zones).toHaveLength(1);
  });

  test('API errors are readable, exit 1; with --json the problem is on stdout', async () => {
    const dup = await cli('zones', 'create', 'cli.example');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe('herald: Conflict (409): zone cli.example. is already served by this platform\n');
    const bad = await cli('zones', 'create', 'bad..name', '--json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^herald: Unprocessable Content \(422\): invalid zone name\n {2}name: .*empty label/,
    );
    expect(json(bad)).toMatchObject({ status: 422, title: 'Unprocessable Content' });
    const missing = await cli('zones', 'delete', 'nowhere.example');
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'herald: Not Found (404): zone nowhere.example. does not exist\n',
    });
  });
});

describe('records', () => {
  test('add, list (filters, table, JSON), rm', async () => {
    const added = await cli('records', 'add', 'cli.example', 'www', 'A', '192.0.2.10', '--ttl', '120');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^added www 120 A 192\.0\.2\.10 \(id [0-9a-f-]{36}, zone serial \d+\)\n$/);
    // Several words make one value.
    expect((await cli('records', 'add', 'cli.example', '@', 'MX', '10', 'www')).code).toBe(0);
    expect((await cli('records', 'add', 'cli.example', 'www', 'TXT', '"hello world"')).code).toBe(0);
    const again = await cli('records', 'add', 'cli.example', 'www', 'A', '192.0.2.10', '--ttl', '120');
    expect(again.stdout).toMatch(/^already present: www 120 A 192\.0\.2\.10/);

    const www = json(await cli('records', 'list', 'cli.example', '--name', 'www', '--json')).records;
    expect(www.map((r: { type: string; value: string }) => `${r.type} ${r.value}`).sort()).toEqual([
      'A 192.0.2.10',
      'TXT "hello world"',
    ]);
    const mx = await cli('records', 'list', 'cli.example', '--type', 'MX');
    const [header, row] = mx.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID {36}NAME {2}TTL {3}TYPE {2}VALUE$/);
    // No --ttl: the server's default (HERALD_DEFAULT_TTL, 3600).
    expect(row).toMatch(/^[0-9a-f-]{36} {2}@ {5}3600 {2}MX {4}10 www\.cli\.example\.$/);

    const id = www.find((r: { type: string }) => r.type === 'A').id;
    const removed = await cli('records', 'rm', 'cli.example', id, '--json');
    expect(removed.code).toBe(0);
    expect(json(removed)).toMatchObject({ removed: id, zone: 'cli.example' });
    expect(json(await cli('records', 'list', 'cli.example', '--name', 'www', '--json')).records).toHaveLength(
      1,
    );

    const gone = await cli('records', 'rm', 'cli.example', id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`record ${id} does not exist`);
  });

  test('a bad record names the field', async () => {
    const r = await cli('records', 'add', 'cli.example', 'www', 'A', '192.0.2.999');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^herald: Unprocessable Content \(422\): .*\n {2}value: /);
  });

  test('list follows the cursor through every page', async () => {
    await cli('zones', 'create', 'big.example');
    const lines = ['$TTL 60', '@ SOA ns1 hostmaster 1 3600 600 604800 60', '@ NS ns1', 'ns1 A 192.0.2.1'];
    for (let i = 0; i < 1200; i++) lines.push(`h${i} A 10.0.${i >> 8}.${i & 255}`);
    expect((await cli('import', 'big.example', file('big.zone', lines.join('\n') + '\n'))).code).toBe(0);
    const all = json(await cli('records', 'list', 'big.example', '--json')).records;
    expect(all).toHaveLength(1203);
    expect(new Set(all.map((r: { id: string }) => r.id)).size).toBe(1203);
    const table = await cli('records', 'list', 'big.example', '--type', 'A');
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(1 + 1201);
  }, 60_000);
});

describe('import and export', () => {
  test('a file with errors: each error as file:line:column, exit 1, nothing imported', async () => {
    await cli('zones', 'create', 'files.example');
    const bad = file('bad.zone', '$TTL 300\nwww A 192.0.2.999\nmx MX x y\n');
    const r = await cli('import', 'files.example', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^herald: Unprocessable Content \(422\): the zone file has 2 error\(s\); nothing was imported$/,
    );
    expect(lines[1]).toMatch(new RegExp(`^  ${bad}:2:7: `));
    expect(lines[2]).toMatch(new RegExp(`^  ${bad}:3:7: `));
    const asJson = await cli('import', 'files.example', bad, '--json');
    expect(json(asJson).errors.map((e: { line: number; column: number }) => [e.line, e.column])).toEqual([
      [2, 7],
      [3, 7],
    ]);
  });

  test('import a good file, then export gives the canonical text', async () => {
    const good = file('good.zone', ZONE_FILE);
    const r = await cli('import', 'files.example', good);
    expect(r.code).toBe(0);
    const serial = Number(/zone serial (\d+)/.exec(r.stdout)![1]);
    expect(r.stdout).toBe(
      // Replaced: the default NS records and the old SOA out, the file's records and the new SOA in.
      `imported ${good} into files.example: 7 records in the file, 7 added, 3 removed (zone serial ${serial})\n`,
    );
    const exported = await cli('export', 'files.example');
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toBe(
      [
        '$ORIGIN files.example.',
        `@\t300\tIN\tSOA\tns1 hostmaster ${serial} 3600 600 604800 60`,
        '@\t300\tIN\tNS\tns1',
        '_sip._tcp\t300\tIN\tSRV\t0 5 5060 www',
        'mail\t300\tIN\tMX\t10 www',
        'ns1\t300\tIN\tA\t192.0.2.1',
        'www\t300\tIN\tA\t192.0.2.80',
        'www\t300\tIN\tAAAA\t2001:db8::80',
        '',
      ].join('\n'),
    );
    // The export imports back unchanged.
    const back = await cli('import', 'files.example', file('exported.zone', exported.stdout), '--json');
    expect(json(back)).toMatchObject({ changed: false, serial });
    const asJson = json(await cli('export', 'files.example', '--json'));
    expect(asJson).toEqual({ zone: 'files.example', serial, text: exported.stdout });
  });

  test('--merge from standard input, with a progress bar on a terminal', async () => {
    const r = await herald(['import', 'files.example', '-', '--merge'], env, {
      stdin: Readable.from([Buffer.from('$TTL 60\nextra TXT "merged"\n')]),
      ttyStderr: true,
    });
    expect(r.code).toBe(0);
    // The SOA moves to the next serial: one more added and one removed.
    expect(r.stdout).toMatch(
      /^imported <stdin> into files\.example: 1 records in the file, 2 added, 1 removed/,
    );
    expect(r.stderr).toContain('\ruploading 27 B');
    const file2 = file('more.zone', '$TTL 60\nmore TXT "x"\n');
    const bar = await herald(['import', 'files.example', file2, '--merge'], env, { ttyStderr: true });
    expect(bar.stderr.endsWith('\ruploading [########################] 100%  21 B / 21 B\x1b[K\n')).toBe(
      true,
    );
    // Not a terminal: no progress output at all.
    const quiet = await cli(
      'import',
      'files.example',
      file('quiet.zone', '$TTL 60\nquiet TXT "y"\n'),
      '--merge',
    );
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    // Importing the same record again: the API's warning is shown on stderr.
    const twice = await cli('import', 'files.example', file2, '--merge');
    expect(twice.stderr).toMatch(/^warning: more\.files\.example\. TXT: .*given more than once/);
  });

  test('a missing file is a usage error; an unknown zone an API error', async () => {
    expect(await cli('import', 'files.example', path.join(data.dir, 'nope.zone'))).toMatchObject({
      code: 2,
      stderr: `herald: cannot read ${path.join(data.dir, 'nope.zone')}: no such file\n`,
    });
    const r = await cli('import', 'nowhere.example', file('x.zone', ZONE_FILE));
    expect(r).toMatchObject({
      code: 1,
      stderr: 'herald: Not Found (404): zone nowhere.example. does not exist\n',
    });
  });
});

describe('dnssec', () => {
  test('enable, show (keys and the DS for the registrar), rollover, ds-seen, sign, disable', async () => {
    await cli('zones', 'create', 'sec.example', '--ns', 'ns1.example.net.');
    const enabled = json(
      await cli('dnssec', 'enable', 'sec.example', '--algorithm', '15', '--nsec', '--json'),
    );
    expect(enabled).toMatchObject({ zone: 'sec.example.', state: 'signed' });
    expect(enabled.settings).toMatchObject({ algorithm: 15, denial: 'nsec' });
    expect(enabled.keys.map((k: { role: string }) => k.role).sort()).toEqual(['ksk', 'zsk']);
    const ksk = enabled.keys.find((k: { role: string }) => k.role === 'ksk');
    expect(enabled.ds).toEqual([
      expect.stringMatching(new RegExp(`^sec\\.example\\.\\s.*DS\\s+${ksk.tag} 15 2 [0-9A-F]{64}$`)),
    ]);

    const shown = await cli('dnssec', 'show', 'sec.example');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^state\s+signed$/m);
    expect(shown.stdout).toMatch(/^TAG\s+ROLE\s+ALG\s+STATE\s+DS\s+ACTIVE SINCE$/m);
    expect(shown.stdout).toMatch(new RegExp(`^${ksk.tag}\\s+ksk\\s+15\\s+active\\s`, 'm'));
    expect(shown.stdout).toContain(`DS for the registrar:\n${enabled.ds[0]}\n`);

    // An emergency ZSK rollover: a second ZSK, active at once.
    const rolled = json(await cli('dnssec', 'rollover', 'sec.example', 'zsk', '--emergency', '--json'));
    const zsks = rolled.keys.filter(
      (k: { role: string; state: string }) => k.role === 'zsk' && k.state === 'active',
    );
    expect(zsks).toHaveLength(1);
    expect(zsks[0].tag).not.toBe(enabled.keys.find((k: { role: string }) => k.role === 'zsk').tag);

    const seen = json(await cli('dnssec', 'ds-seen', 'sec.example', String(ksk.tag), '--json'));
    expect(seen.keys.find((k: { tag: number }) => k.tag === ksk.tag).ds).toBe('seen');

    const signing = await cli('dnssec', 'sign', 'sec.example');
    expect(signing.code).toBe(0);
    expect(signing.stdout).toMatch(/^signing job \S+ queued; see: herald dnssec show sec\.example\n$/);
    // The all-in-one's in-process queue runs the job; show reports it done.
    for (let i = 0; ; i++) {
      const job = json(await cli('dnssec', 'show', 'sec.example', '--json')).job;
      if (job?.state === 'completed') break;
      expect(job?.state, JSON.stringify(job)).not.toBe('failed');
      if (i > 100) throw new Error(`the sign job did not finish: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    // The parent has the DS: turning off starts with CDS delete, the zone stays signed.
    const off = json(await cli('dnssec', 'disable', 'sec.example', '--json'));
    expect(off.state).toBe('unsigning');
  });

  test('a bad setting is an API error naming the field, exit 1; nothing changes', async () => {
    await cli('zones', 'create', 'sec2.example', '--ns', 'ns1.example.net.');
    const bad = await cli('dnssec', 'enable', 'sec2.example', '--algorithm', '8');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/algorithm/);
    expect(json(await cli('dnssec', 'show', 'sec2.example', '--json'))).toMatchObject({ enabled: false });
  });
});

describe('apikey', () => {
  test('create prints the new token once; it works; list never shows tokens', async () => {
    const r = await cli(
      'apikey',
      'create',
      '--role',
      'viewer',
      '--zone',
      'files.example',
      '--expires',
      '2099-01-01T00:00:00Z',
    );
    expect(r.code).toBe(0);
    const tokens = tokensIn(r.stdout);
    expect(tokens).toHaveLength(1);
    expect(r.stdout).toMatch(/role viewer; zones files\.example\.; expires 2099-01-01T00:00:00\.000Z/);
    const viewer = await herald(['zones', 'list', '--json'], { ...env, HERALD_TOKEN: tokens[0]! });
    expect(json(viewer).zones.map((z: { name: string }) => z.name)).toEqual(['files.example.']);
    // A viewer cannot create zones: the API says so.
    const denied = await herald(['zones', 'create', 'denied.example'], { ...env, HERALD_TOKEN: tokens[0]! });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^herald: Forbidden \(403\)/);

    const list = await cli('apikey', 'list');
    expect(tokensIn(list.stdout)).toEqual([]);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +PREFIX +ROLE +ZONES +EXPIRES +REVOKED +CREATED$/);
    const created = json(await cli('apikey', 'create', '--role', 'editor', '--json'));
    expect(created.key.role).toBe('editor');
    expect(tokensIn(created.token)).toHaveLength(1);
    expect((await cli('apikey', 'revoke', created.key.id)).stdout).toBe(
      `revoked API key ${created.key.id}\n`,
    );
  });
});

describe('usage errors exit 2; help exits 0', () => {
  test.each([
    [['frobnicate']],
    [['zones']],
    [['zones', 'create']],
    [['zones', 'create', 'a.example', 'b.example']],
    [['zones', 'create', 'a.example', '--ttl', 'soon']],
    [['records', 'add', 'cli.example', 'www', 'A']],
    [['zones', 'list', '--colour']],
    [['apikey', 'create']],
    [['apikey', 'create', '--role', 'root']],
    [['apikey', 'create', '--role', 'viewer', '--expires', 'tomorrow']],
    [[]],
  ])('herald %j', async (argv) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toBe('');
  });

  test('--help explains the token fallback and the exit codes', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$HERALD_DATA_DIR/admin-key');
    expect(r.stdout).toContain('Exit status: 0 success, 1 API or runtime error, 2 usage error.');
    for (const c of ['api', 'all', 'worker', 'edge', 'zones', 'records', 'import', 'export', 'apikey'])
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    const sub = await cli('records', 'add', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--json');
    expect(sub.stdout).toContain('HERALD_TOKEN');
  });
});
