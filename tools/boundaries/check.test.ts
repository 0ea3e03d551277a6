// The boundary check must fail the build on each kind of violation it
// exists to catch, and pass a clean workspace: run it on throwaway workspaces.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const here = import.meta.dirname;

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'herald-boundaries-'));
  const base: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'ws', private: true }),
    'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - 'libs/*'\n",
    'nx.json': JSON.stringify({ neverConnectToCloud: true, useDaemonProcess: false }),
    'apps/api/package.json': JSON.stringify({ name: '@ws/api', nx: { tags: ['type:app'] } }),
    'apps/api/src/main.ts': 'export const api = 1;\n',
    'libs/domain/package.json': JSON.stringify({
      name: '@ws/domain',
      nx: { tags: ['type:lib', 'scope:domain'] },
    }),
  };
  for (const [rel, text] of Object.entries({ ...base, ...files })) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  mkdirSync(path.join(root, 'tools/boundaries'), { recursive: true });
  copyFileSync(path.join(here, 'rules.json'), path.join(root, 'tools/boundaries/rules.json'));
  // Nx runs from the workspace's own node_modules.
  symlinkSync(path.join(here, '..', '..', 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

function check(root: string) {
  const r = spawnSync(process.execPath, [path.join(here, 'check.mjs'), '--workspace', root], {
    encoding: 'utf8',
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('boundaries', () => {
  test('a pure domain library passes', () => {
    const r = check(
      workspace({
        'libs/domain/src/index.ts': "import { x } from './x.js';\nexport const y = x;\n",
        'libs/domain/src/x.ts': 'export const x = 1;\n',
      }),
    );
    expect(r.output).toContain('no violations');
    expect(r.status).toBe(0);
  });

  // One workspace, one file per banned import: each must be reported (one Nx run keeps this quick).
  test('the domain importing a framework, database, network, TLS, DNS or process module fails, each named', () => {
    const banned: [string, string, string][] = [
      ['nest.ts', "import { Injectable } from '@nestjs/common';\n", "'@nestjs/common'"],
      ['orm.ts', "import { Entity } from 'typeorm';\n", "'typeorm'"],
      ['redis.ts', "import Redis from 'ioredis';\n", "'ioredis'"],
      ['queue.ts', "export { Queue } from 'bullmq';\n", "'bullmq'"],
      ['net.ts', "import net from 'node:net';\n", "'node:net'"],
      ['dgram.ts', "const dgram = require('dgram');\n", "'dgram'"],
      ['dynamic.ts', "const d = await import('node:dgram');\n", "'node:dgram'"],
      ['tls.ts', "import { connect } from 'node:tls';\n", "'node:tls'"],
      ['dns.ts', "import dns from 'dns';\n", "'dns'"],
      ['resolver.ts', "import { Resolver } from 'node:dns/promises';\n", "'node:dns/promises'"],
      ['http2.ts', "import * as h2 from 'node:http2';\n", "'node:http2'"],
      ['spawn.ts', "import { spawn } from 'child_process';\n", "'child_process'"],
      // What the import pattern must see through: `$` in names, comments and line breaks
      // between braces, a template literal in import().
      ['dollar.ts', "import { $readFile as $r } from 'node:fs';\n", "'node:fs'"],
      [
        'comment.ts',
        "import {\n  exec, // runs a shell\n  /* and */ spawn,\n} from 'node:child_process';\n",
        "'node:child_process'",
      ],
      ['template.ts', 'const t = await import(`node:tls`);\n', "'node:tls'"],
    ];
    const r = check(
      workspace(Object.fromEntries(banned.map(([file, source]) => [`libs/domain/src/${file}`, source]))),
    );
    expect(r.status).toBe(1);
    expect(r.output).toContain(`${banned.length} violation(s)`);
    for (const [file, , shown] of banned)
      expect(r.output).toContain(`libs/domain/src/${file}:1 imports ${shown}`);
  });

  test('a library importing an app by relative path fails', () => {
    const r = check(
      workspace({
        'libs/domain/src/index.ts':
          "import { api } from '../../../apps/api/src/main.js';\nexport const z = api;\n",
      }),
    );
    expect(r.status).toBe(1);
    expect(r.output).toMatch(
      /imports \.\.\/\.\.\/\.\.\/apps\/api\/src\/main\.js from @ws\/api \(type:lib may not depend on type:app/,
    );
  });

  test('a library importing an app by package name fails', () => {
    const r = check(
      workspace({
        'libs/domain/package.json': JSON.stringify({
          name: '@ws/domain',
          dependencies: { '@ws/api': 'workspace:*' },
          nx: { tags: ['type:lib', 'scope:domain'] },
        }),
        'libs/domain/src/index.ts': "import { api } from '@ws/api';\nexport const z = api;\n",
      }),
    );
    expect(r.status).toBe(1);
    expect(r.output).toContain('@ws/domain depends on @ws/api');
  });
});
