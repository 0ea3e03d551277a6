import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeReport } from '../../src/ports/edge-registry.port.js';
import type { OpenedStores, OpenStores } from './stores.js';

/** Registers the EdgeRegistry contract against the database `open` gives. */
export function edgeRegistryContract(label: string, open: OpenStores): void {
  describe(`EdgeRegistry contract (${label})`, () => {
    let stores: OpenedStores;
    let keyId: string;
    beforeAll(async () => {
      stores = await open();
      const org = await stores.auth.createOrg(`operator-${randomUUID().slice(0, 8)}`);
      keyId = (
        await stores.auth.createApiKey({
          orgId: org.id,
          prefix: `hk_${randomUUID().slice(0, 8)}`,
          hash: 'hash',
          role: 'edge',
          createdBy: 'system',
        })
      ).id;
    });
    afterAll(async () => {
      await stores?.close();
    });

    const newId = (stem = 'edge') => `${stem}-${randomUUID().slice(0, 8)}`;
    const report = (id: string, extra: Partial<EdgeReport> = {}): EdgeReport => ({
      id,
      version: '0.1.0',
      startedAt: new Date('2026-11-23T10:00:00.123Z'),
      uptimeSeconds: 12.5,
      lastSyncAt: new Date('2026-11-23T10:00:05.456Z'),
      zones: new Map([
        ['example.com.', 2026112301],
        ['example.net.', 4294967295],
      ]),
      apiKeyId: keyId,
      ...extra,
    });

    it('stores a report with every field and reads it back', async () => {
      const id = newId();
      const seen = new Date('2026-11-23T10:00:10.789Z');
      const summary = await stores.edges.report(report(id), seen);
      const expected = {
        id,
        version: '0.1.0',
        startedAt: new Date('2026-11-23T10:00:00.123Z'),
        uptimeSeconds: 12.5,
        lastSeen: seen,
        lastSyncAt: new Date('2026-11-23T10:00:05.456Z'),
        zoneCount: 2,
        apiKeyId: keyId,
      };
      expect(summary).toEqual(expected);
      expect(await stores.edges.get(id)).toEqual({
        ...expected,
        zones: new Map([
          ['example.com.', 2026112301],
          ['example.net.', 4294967295],
        ]),
      });
      expect((await stores.edges.list()).find((e) => e.id === id)).toEqual(expected);
    });

    it('replaces the row on the next report: zones are the new set, not merged', async () => {
      const id = newId();
      await stores.edges.report(report(id), new Date('2026-11-23T10:00:00Z'));
      const later = new Date('2026-11-23T10:00:10Z');
      await stores.edges.report(
        report(id, {
          version: '0.2.0',
          uptimeSeconds: 22.5,
          lastSyncAt: null,
          zones: new Map([['example.org.', 7]]),
          apiKeyId: null,
        }),
        later,
      );
      const edge = await stores.edges.get(id);
      expect(edge).toMatchObject({
        version: '0.2.0',
        uptimeSeconds: 22.5,
        lastSeen: later,
        lastSyncAt: null,
        zoneCount: 1,
        apiKeyId: null,
      });
      expect(edge?.zones).toEqual(new Map([['example.org.', 7]]));
      expect((await stores.edges.list()).filter((e) => e.id === id)).toHaveLength(1);
    });

    it('lists edges by id and answers undefined for an unknown one', async () => {
      const stem = newId('order');
      for (const suffix of ['b', 'a', 'C'])
        await stores.edges.report(report(`${stem}-${suffix}`), new Date());
      const ids = (await stores.edges.list()).map((e) => e.id).filter((id) => id.startsWith(stem));
      // Byte order, whatever the server's collation.
      expect(ids).toEqual([`${stem}-C`, `${stem}-a`, `${stem}-b`]);
      expect(await stores.edges.get(newId('nobody'))).toBeUndefined();
    });

    it("gives each edge's serial for one zone, null where the edge does not serve it", async () => {
      const zone = `${newId('zone')}.test.`;
      const [a, b] = [newId('za'), newId('zb')];
      await stores.edges.report(report(a, { zones: new Map([[zone, 4294967295]]) }), new Date());
      await stores.edges.report(report(b, { zones: new Map([['other.test.', 1]]) }), new Date());
      const states = (await stores.edges.zoneStates(zone)).filter((s) => s.id === a || s.id === b);
      expect(states).toEqual([
        { id: a, lastSeen: expect.any(Date), serial: 4294967295 },
        { id: b, lastSeen: expect.any(Date), serial: null },
      ]);
    });

    it('holds a report of 100,000 zones', async () => {
      const id = newId('big');
      const zones = new Map<string, number>();
      for (let i = 0; i < 100_000; i++) zones.set(`zone-${i}.example.`, i);
      expect((await stores.edges.report(report(id, { zones }), new Date())).zoneCount).toBe(100_000);
      expect((await stores.edges.zoneStates('zone-99999.example.')).find((s) => s.id === id)?.serial).toBe(
        99_999,
      );
      expect((await stores.edges.get(id))?.zones.size).toBe(100_000);
    });

    it('refuses ids and values the API would refuse', async () => {
      await expect(stores.edges.report(report('-starts-with-dash'), new Date())).rejects.toThrow();
      await expect(
        stores.edges.report(report(newId(), { version: 'v'.repeat(65) }), new Date()),
      ).rejects.toThrow();
      await expect(stores.edges.report(report(newId(), { uptimeSeconds: -1 }), new Date())).rejects.toThrow();
    });
  });
}
