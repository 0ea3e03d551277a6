import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/persistence/data-source.js';
import { authStoreContract } from './auth-store.contract.js';
import { edgeRegistryContract } from './edge-registry.contract.js';
import { openStores } from './stores.js';
import { zoneStoreContract } from './zone-store.contract.js';

// Embedded PGlite behind pglite-socket: always runs, one data dir per suite.
describe('persistence on PGlite', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'herald-pglite-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // Nested: the parents of the data dir do not exist yet.
  zoneStoreContract('PGlite', () => openStores({ dataDir: path.join(root, 'zones', 'data') }));
  authStoreContract('PGlite', () => openStores({ dataDir: path.join(root, 'auth') }));
  edgeRegistryContract('PGlite', () => openStores({ dataDir: path.join(root, 'edges') }));

  describe('embedded server', () => {
    it('serves a private unix socket, refuses a data dir in use, and clears a stale socket', async () => {
      const dataDir = path.join(root, 'socket');
      const socket = path.join(dataDir, '.s.PGSQL.5432');
      const db = await openDatabase({ dataDir });
      try {
        expect(db.kind).toBe('pglite');
        expect(statSync(socket).isSocket()).toBe(true);
        expect(statSync(socket).mode & 0o777).toBe(0o600);
        await expect(openDatabase({ dataDir })).rejects.toThrow('already in use');
      } finally {
        await db.close();
      }
      expect(() => statSync(socket)).toThrow();

      // A process killed while listening leaves its socket file behind.
      const crashed = spawnSync(process.execPath, [
        '-e',
        `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`,
      ]);
      expect(crashed.signal).toBe('SIGKILL');
      expect(statSync(socket).isSocket()).toBe(true);
      const reopened = await openDatabase({ dataDir });
      try {
        expect(await reopened.dataSource.query('SELECT count(*)::int AS n FROM zones')).toEqual([{ n: 0 }]);
      } finally {
        await reopened.close();
        await reopened.close();
      }
    });

    it('falls back to 127.0.0.1 when the socket path would be too long', async () => {
      const dataDir = path.join(root, 'long-'.repeat(20));
      const db = await openDatabase({ dataDir });
      try {
        expect(db.kind).toBe('pglite');
        expect(db.dataSource.driver.options).toMatchObject({ host: '127.0.0.1' });
        expect(await db.dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
    });
  });
});
