import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ZoneExistsError,
  type AuditEntry,
  type NewRecord,
  type StoredRecord,
  type StoredZone,
} from '../../src/ports/zone-store.port.js';
import { recordPageQuery } from '../../src/adapters/persistence/record-rows.js';
import { withTransaction } from '../../src/adapters/persistence/transaction.js';
import type { OpenedStores, OpenStores } from './stores.js';

const A = 1;
const NS = 2;
const SOA = 6;
const TXT = 16;
const AAAA = 28;

const encoder = new TextEncoder();

function rec(owner: string, type: number, value: string, extra: Partial<NewRecord> = {}): NewRecord {
  return {
    owner,
    type,
    ttl: 300,
    value,
    canonical: encoder.encode(`${type} ${value}`),
    metadata: {},
    ...extra,
  };
}

const line = (r: NewRecord | StoredRecord) => `${r.owner} ${r.ttl} IN ${r.type} ${r.value}`;
const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const byPageOrder = (a: StoredRecord, b: StoredRecord) => {
  const [ka, kb] = [lower(a.owner), lower(b.owner)];
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.type !== b.type) return a.type - b.type;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/** Registers the ZoneStore contract against the database `open` gives. */
export function zoneStoreContract(label: string, open: OpenStores): void {
  describe(`ZoneStore contract (${label})`, () => {
    let stores: OpenedStores;
    beforeAll(async () => {
      stores = await open();
    });
    afterAll(async () => {
      await stores?.close();
    });

    const newOrg = () => stores.auth.createOrg(`org-${randomUUID()}`);
    const newName = () => `z-${randomUUID().slice(0, 8)}.test.`;

    async function newZone(
      options: {
        orgId?: string;
        name?: string;
        serial?: number;
        previousSerial?: number;
        records?: NewRecord[];
      } = {},
    ): Promise<StoredZone> {
      const orgId = options.orgId ?? (await newOrg()).id;
      const name = options.name ?? newName();
      const serial = options.serial ?? 100;
      const records = options.records ?? [
        rec(name, SOA, `ns1.${name} admin.${name} ${serial} 3600 600 86400 300`),
        rec(name, NS, `ns1.${name}`),
      ];
      return stores.zones.createZone({
        orgId,
        name,
        serial,
        records,
        change: {
          serial,
          previousSerial: options.previousSerial ?? 0,
          removed: [],
          added: records.map(line),
          actor: 'key:creator',
          at: new Date(),
        },
        audit: { orgId, actor: 'key:creator', action: 'zone.create', zone: name, at: new Date() },
      });
    }

    /** One change set through changeZone: the serial moves by `step`. */
    function change(
      zone: StoredZone,
      edit: {
        add?: NewRecord[];
        removeIds?: string[];
        step?: number;
        actor?: string;
        audit?: Partial<AuditEntry>;
      },
    ) {
      return stores.zones.changeZone(zone.orgId, zone.name, async (tx) => {
        const serial = tx.zone.serial + (edit.step ?? 1);
        const add = edit.add ?? [];
        const removed = (await tx.records()).filter((r) => edit.removeIds?.includes(r.id)).map(line);
        const actor = edit.actor ?? 'key:editor';
        return tx.commit({
          serial,
          removeIds: edit.removeIds ?? [],
          add,
          change: {
            zoneId: tx.zone.id,
            serial,
            previousSerial: tx.zone.serial,
            removed,
            added: add.map(line),
            actor,
            at: new Date(),
          },
          audit: [
            {
              orgId: zone.orgId,
              actor,
              action: 'records.change',
              zone: zone.name,
              at: new Date(),
              ...edit.audit,
            },
          ],
        });
      });
    }

    async function allPages(zoneId: string, filter: { owner?: string; type?: number; limit: number }) {
      const pages: StoredRecord[][] = [];
      let after: string | undefined;
      do {
        const page = await stores.zones.listRecords(zoneId, { ...filter, ...(after ? { after } : {}) });
        pages.push(page.records);
        after = page.next;
      } while (after);
      return pages;
    }

    it('creates a zone, then lists and gets it', async () => {
      const org = await newOrg();
      const name = newName();
      const zone = await newZone({ orgId: org.id, name, serial: 2024010101 });
      expect(zone).toEqual({
        id: expect.any(String),
        orgId: org.id,
        name,
        serial: 2024010101,
        createdAt: expect.any(Date),
        updatedAt: expect.any(Date),
      });
      expect(await stores.zones.getZone(org.id, name)).toEqual(zone);
      expect(await stores.zones.listZones(org.id)).toEqual([zone]);
      expect(await stores.zones.countRecords(zone.id)).toBe(2);
    });

    it('counts the records of every zone, and answers a ping', async () => {
      const small = await newZone();
      const empty = await newZone({ records: [] });
      const counts = await stores.zones.recordCounts();
      expect(counts.filter((c) => c.zone === small.name || c.zone === empty.name)).toEqual(
        [
          { zone: small.name, records: 2 },
          { zone: empty.name, records: 0 },
        ].sort((a, b) => (a.zone < b.zone ? -1 : 1)),
      );
      await expect(stores.zones.ping()).resolves.toBeUndefined();
    });

    it('gets one record by id, only within its zone', async () => {
      const zone = await newZone();
      const other = await newZone();
      const [first] = (await stores.zones.listRecords(zone.id, { limit: 1 })).records;
      expect(first).toBeDefined();
      expect(await stores.zones.getRecord(zone.id, first!.id)).toEqual(first);
      expect(await stores.zones.getRecord(other.id, first!.id)).toBeUndefined();
      expect(await stores.zones.getRecord(zone.id, 'not-a-uuid')).toBeUndefined();
    });

    it('finds zones across orgs only through the platform-reader methods', async () => {
      const mine = await newZone();
      const theirs = await newZone();
      expect(mine.orgId).not.toBe(theirs.orgId);
      expect(await stores.zones.findZone(theirs.name.toUpperCase())).toEqual(theirs);
      expect(await stores.zones.findZone(`missing-${theirs.name}`)).toBeUndefined();
      const all = (await stores.zones.listAllZones()).map((z) => z.name);
      expect(all).toEqual(expect.arrayContaining([mine.name, theirs.name]));
      expect([...all].sort()).toEqual(all);
    });

    it('never shows or changes a zone for another org', async () => {
      const zone = await newZone();
      const other = await newOrg();
      let called = false;
      expect(await stores.zones.getZone(other.id, zone.name)).toBeUndefined();
      expect(await stores.zones.listZones(other.id)).toEqual([]);
      expect(
        await stores.zones.changeZone(other.id, zone.name, async () => {
          called = true;
        }),
      ).toBeUndefined();
      expect(called).toBe(false);
      const audit = {
        orgId: other.id,
        actor: 'key:x',
        action: 'zone.delete',
        zone: zone.name,
        at: new Date(),
      };
      expect(await stores.zones.deleteZone(other.id, zone.name, audit)).toBe(false);
      expect(await stores.zones.getZone(zone.orgId, zone.name)).toEqual(zone);
      expect(await stores.zones.getZone('not-a-uuid', zone.name)).toBeUndefined();
    });

    it('rejects a taken name with ZoneExistsError, whatever the org or the case', async () => {
      const zone = await newZone();
      await expect(newZone({ orgId: zone.orgId, name: zone.name })).rejects.toBeInstanceOf(ZoneExistsError);
      await expect(newZone({ name: zone.name.toUpperCase() })).rejects.toThrow(
        `zone ${zone.name} already exists`,
      );
      expect(await stores.zones.getZone(zone.orgId, zone.name.toUpperCase())).toEqual(zone);
    });

    it('round-trips record fields: case, metadata, long RDATA, the largest serial', async () => {
      const name = newName();
      const txt = 'x'.repeat(5_000);
      const records = [
        rec(`Mail.${name}`, A, '192.0.2.1', {
          ttl: 60,
          metadata: { managed_by: 'external-dns', tags: ['a'], n: 1 },
        }),
        rec(`mail.${name}`, TXT, `"${txt}"`, { canonical: encoder.encode(txt) }),
      ];
      const zone = await newZone({ name, serial: 4_294_967_295, records });
      expect(zone.serial).toBe(4_294_967_295);
      expect((await stores.zones.getZone(zone.orgId, name))?.serial).toBe(4_294_967_295);
      const page = await stores.zones.listRecords(zone.id, { limit: 10 });
      expect(page.next).toBeUndefined();
      expect(page.records).toEqual([
        {
          id: expect.any(String),
          zoneId: zone.id,
          owner: `Mail.${name}`,
          type: A,
          ttl: 60,
          value: '192.0.2.1',
          metadata: { managed_by: 'external-dns', tags: ['a'], n: 1 },
        },
        {
          id: expect.any(String),
          zoneId: zone.id,
          owner: `mail.${name}`,
          type: TXT,
          ttl: 300,
          value: `"${txt}"`,
          metadata: {},
        },
      ]);
    });

    it('round-trips text that array and JSON encodings must escape', async () => {
      const name = newName();
      const odd = ['NULL', '"a \\"quoted\\" \\\\ value"', '{braces},commas', 'ünïcødé ✓', ''];
      const records = odd.map((value, i) =>
        rec(`odd${i}\\.label.${name}`, TXT, value, {
          metadata: { note: value, nested: { list: [value, null] } },
        }),
      );
      const zone = await newZone({ name, records });
      const stored = (await stores.zones.listRecords(zone.id, { limit: 10 })).records;
      expect(stored.map((r) => [r.owner, r.value, r.metadata])).toEqual(
        records.map((r) => [r.owner, r.value, r.metadata]),
      );
    });

    it('keeps concurrent statements apart, large parameters included', async () => {
      // Guards the embedded pool size: pglite-socket interleaves the protocol
      // messages of concurrent connections (electric-sql/pglite#1046), which
      // shows once a message spans several socket reads.
      const zone = await newZone();
      const huge = `${'x'.repeat(300_000)}.${zone.name}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2
            ? stores.zones.listRecords(zone.id, { owner: huge, limit: 5 })
            : stores.zones.getZone(zone.orgId, zone.name),
        ),
      );
      results.forEach((result, i) => expect(result).toEqual(i % 2 ? { records: [] } : zone));
    });

    describe('with 2,500 records', () => {
      let zone: StoredZone;
      let expected: StoredRecord[];
      beforeAll(async () => {
        const name = newName();
        const types = [A, AAAA, TXT];
        const records = Array.from({ length: 2_500 }, (_, i) => {
          const host = Math.floor(i / 10);
          return rec(`${host % 2 ? 'Host' : 'host'}${host}.${name}`, types[i % 3] ?? A, `v${i}`);
        });
        zone = await newZone({ name, records });
        // Ids are the store's; the order they must come in is computed here.
        const all = await stores.zones.listRecords(zone.id, { limit: 2_500 });
        expect(all.next).toBeUndefined();
        expect(all.records.map((r) => `${r.owner} ${r.type} ${r.value}`).sort()).toEqual(
          records.map((r) => `${r.owner} ${r.type} ${r.value}`).sort(),
        );
        expected = [...all.records].sort(byPageOrder);
      });

      it('pages through them in (owner, type, id) order without gaps or duplicates', async () => {
        expect(await stores.zones.countRecords(zone.id)).toBe(2_500);
        expect(expected).toHaveLength(2_500);
        const pages = await allPages(zone.id, { limit: 1_000 });
        expect(pages.map((p) => p.length)).toEqual([1_000, 1_000, 500]);
        const ids = pages.flat().map((r) => r.id);
        expect(new Set(ids).size).toBe(2_500);
        expect(ids).toEqual(expected.map((r) => r.id));
      });

      it('gives the same pages twice, and no empty page at an exact multiple', async () => {
        const first = await allPages(zone.id, { limit: 500 });
        const second = await allPages(zone.id, { limit: 500 });
        expect(first.map((p) => p.length)).toEqual([500, 500, 500, 500, 500]);
        expect(second).toEqual(first);
      });

      it('filters by owner without case and by type, across pages too', async () => {
        const name = zone.name;
        const byOwner = await stores.zones.listRecords(zone.id, {
          owner: `HOST3.${name.toUpperCase()}`,
          limit: 100,
        });
        expect(byOwner.records).toEqual(expected.filter((r) => lower(r.owner) === `host3.${name}`));
        expect(byOwner.records).toHaveLength(10);
        expect(byOwner.records[0]?.owner).toBe(`Host3.${name}`);

        const txtPages = await allPages(zone.id, { type: TXT, limit: 300 });
        expect(txtPages.map((p) => p.length)).toEqual([300, 300, 233]);
        expect(txtPages.flat()).toEqual(expected.filter((r) => r.type === TXT));

        const both = await allPages(zone.id, { owner: `host4.${name}`, type: AAAA, limit: 1 });
        expect(both.flat()).toEqual(
          expected.filter((r) => lower(r.owner) === `host4.${name}` && r.type === AAAA),
        );
        // host4 holds records 40..49; 40, 43, 46 and 49 are AAAA: one per page.
        expect(both.map((p) => p.length)).toEqual([1, 1, 1, 1]);
      });

      it('reads pages along records_page_idx, without sorting', async () => {
        const at = expected[1_200] as StoredRecord;
        const cursor = { ownerKey: lower(at.owner), type: at.type, id: at.id };
        for (const filter of [{}, { owner: `host7.${zone.name}` }, { type: TXT }]) {
          const { sql, parameters } = recordPageQuery(zone.id, filter, cursor, 1_000);
          const plan = await withTransaction(stores.db.dataSource, async (runner) => {
            // A table this small (and not yet analyzed) tempts the planner to
            // scan and sort. With both discouraged, a Sort left in the plan
            // means no index can deliver the page order.
            for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort']) {
              await runner.query(`SET LOCAL ${setting} = off`);
            }
            const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`, parameters);
            return rows.map((row) => row['QUERY PLAN']).join('\n');
          });
          expect(plan).toContain('records_page_idx');
          expect(plan).not.toContain('Sort');
        }
      });

      it('rejects a cursor it did not make', async () => {
        await expect(stores.zones.listRecords(zone.id, { limit: 10, after: 'bm9wZQ' })).rejects.toThrow(
          RangeError,
        );
        await expect(stores.zones.listRecords(zone.id, { limit: 0 })).rejects.toThrow(RangeError);
      });
    });

    it('commits records, serial, change set and audit together', async () => {
      const zone = await newZone();
      // Page order puts the apex NS (type 2) before the SOA (type 6).
      const [ns, soa] = (await stores.zones.changeZone(zone.orgId, zone.name, (tx) => tx.records())) ?? [];
      expect(ns?.type).toBe(NS);
      expect(soa?.type).toBe(SOA);

      const add = [rec(`www.${zone.name}`, A, '192.0.2.10'), rec(`www.${zone.name}`, AAAA, '2001:db8::10')];
      const added = await change(zone, { add, removeIds: [soa?.id ?? ''], actor: 'key:alice' });
      expect(added).toEqual(
        add.map((r) => ({
          id: expect.any(String),
          zoneId: zone.id,
          owner: r.owner,
          type: r.type,
          ttl: r.ttl,
          value: r.value,
          metadata: {},
        })),
      );

      const after = await stores.zones.getZone(zone.orgId, zone.name);
      expect(after?.serial).toBe(101);
      expect(after && after.updatedAt >= zone.updatedAt).toBe(true);
      const records = (await stores.zones.listRecords(zone.id, { limit: 10 })).records;
      expect(records.map((r) => r.id).sort()).toEqual([ns?.id, ...(added ?? []).map((r) => r.id)].sort());

      const changes = await stores.zones.changesSince(zone.id, 100);
      expect(changes).toEqual([
        {
          zoneId: zone.id,
          serial: 101,
          previousSerial: 100,
          removed: [line(soa as StoredRecord)],
          added: add.map(line),
          actor: 'key:alice',
          at: expect.any(Date),
        },
      ]);
      const audit = await stores.zones.audit(zone.orgId, { zone: zone.name, limit: 10 });
      expect(audit.map((a) => a.action)).toEqual(['records.change', 'zone.create']);
    });

    it('keeps a record id given with NewRecord.id, so an update is a remove and an add of the same id', async () => {
      const zone = await newZone();
      const [ns] = (await stores.zones.listRecords(zone.id, { type: NS, limit: 1 })).records;
      expect(ns).toBeDefined();
      const updated = rec(ns?.owner ?? '', NS, ns?.value ?? '', { id: ns?.id, ttl: 7200 });
      expect(await change(zone, { removeIds: [ns?.id ?? ''], add: [updated] })).toEqual([
        { ...ns, ttl: 7200 },
      ]);
      expect((await stores.zones.listRecords(zone.id, { type: NS, limit: 1 })).records).toEqual([
        { ...ns, ttl: 7200 },
      ]);
    });

    it('sees its own writes inside the transaction, filtered by owner and type', async () => {
      const zone = await newZone();
      const seen = await stores.zones.changeZone(zone.orgId, zone.name, async (tx) => {
        const serial = tx.zone.serial + 1;
        const add = [rec(`WWW.${zone.name}`, A, '192.0.2.1'), rec(`www.${zone.name}`, TXT, '"x"')];
        await tx.commit({
          serial,
          removeIds: [],
          add,
          change: {
            zoneId: zone.id,
            serial,
            previousSerial: tx.zone.serial,
            removed: [],
            added: add.map(line),
            actor: 'key:t',
            at: new Date(),
          },
          audit: [],
        });
        return {
          all: (await tx.records()).length,
          owner: (await tx.records({ owner: `www.${zone.name}` })).map((r) => r.type),
          typed: (await tx.records({ owner: `Www.${zone.name}`, type: TXT })).map((r) => r.value),
        };
      });
      expect(seen).toEqual({ all: 4, owner: [A, TXT], typed: ['"x"'] });
    });

    it('rolls back records, serial, change log and audit when fn throws after commit', async () => {
      const zone = await newZone();
      const before = (await stores.zones.listRecords(zone.id, { limit: 10 })).records;
      await expect(
        stores.zones.changeZone(zone.orgId, zone.name, async (tx) => {
          const serial = tx.zone.serial + 1;
          const add = [rec(`www.${zone.name}`, A, '192.0.2.1')];
          await tx.commit({
            serial,
            removeIds: before.map((r) => r.id),
            add,
            change: {
              zoneId: zone.id,
              serial,
              previousSerial: tx.zone.serial,
              removed: before.map(line),
              added: add.map(line),
              actor: 'key:t',
              at: new Date(),
            },
            audit: [
              {
                orgId: zone.orgId,
                actor: 'key:t',
                action: 'records.change',
                zone: zone.name,
                at: new Date(),
              },
            ],
          });
          throw new Error('validation failed after the write');
        }),
      ).rejects.toThrow('validation failed after the write');

      expect(await stores.zones.getZone(zone.orgId, zone.name)).toEqual(zone);
      expect((await stores.zones.listRecords(zone.id, { limit: 10 })).records).toEqual(before);
      expect(await stores.zones.changesSince(zone.id, zone.serial)).toEqual([]);
      expect(
        (await stores.zones.audit(zone.orgId, { zone: zone.name, limit: 10 })).map((a) => a.action),
      ).toEqual(['zone.create']);
    });

    it('rolls back a commit that fails halfway, and refuses a change set that breaks the log', async () => {
      const zone = await newZone();
      const before = (await stores.zones.listRecords(zone.id, { limit: 10 })).records;
      const dup = rec(`www.${zone.name}`, A, '192.0.2.1');
      // Deletes run first, then the duplicate insert fails on the unique index.
      await expect(change(zone, { add: [dup, dup], removeIds: before.map((r) => r.id) })).rejects.toThrow();
      await expect(change(zone, { removeIds: [randomUUID()] })).rejects.toThrow('not in zone');
      await expect(
        stores.zones.changeZone(zone.orgId, zone.name, (tx) =>
          tx.commit({
            serial: 200,
            removeIds: [],
            add: [],
            change: {
              zoneId: zone.id,
              serial: 200,
              previousSerial: 150,
              removed: [],
              added: [],
              actor: 'key:t',
              at: new Date(),
            },
            audit: [],
          }),
        ),
      ).rejects.toThrow('does not move');
      expect((await stores.zones.listRecords(zone.id, { limit: 10 })).records).toEqual(before);
      expect((await stores.zones.getZone(zone.orgId, zone.name))?.serial).toBe(100);
    });

    it('refuses store calls from inside changeZone rather than wait on its own transaction', async () => {
      const zone = await newZone();
      const inside: (() => Promise<unknown>)[] = [
        () => stores.zones.getZone(zone.orgId, zone.name),
        () => stores.zones.changeZone(zone.orgId, zone.name, async () => 'nested'),
        () => stores.auth.getOrg(zone.orgId),
      ];
      for (const call of inside) {
        await expect(stores.zones.changeZone(zone.orgId, zone.name, call)).rejects.toThrow(
          'inside changeZone',
        );
      }
      expect(await stores.zones.getZone(zone.orgId, zone.name)).toEqual(zone);
    });

    it('serializes 50 concurrent changes of one zone: serial +50, every write kept', async () => {
      const zone = await newZone();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          change(zone, { add: [rec(`c${i}.${zone.name}`, A, `192.0.2.${i}`)] }),
        ),
      );
      expect((await stores.zones.getZone(zone.orgId, zone.name))?.serial).toBe(150);
      expect(await stores.zones.countRecords(zone.id)).toBe(52);
      const changes = await stores.zones.changesSince(zone.id, 100);
      expect(changes).not.toBe('gone');
      const serials = (changes as { serial: number; previousSerial: number }[]).map((c) => [
        c.previousSerial,
        c.serial,
      ]);
      expect(serials).toEqual(Array.from({ length: 50 }, (_, i) => [100 + i, 101 + i]));
      expect(await stores.zones.audit(zone.orgId, { action: 'records.change', limit: 100 })).toHaveLength(50);
    });

    it('returns change sets after a serial, [] at the current one, gone when the log cannot continue', async () => {
      const zone = await newZone({ serial: 100, previousSerial: 99 });
      await change(zone, { add: [rec(`a.${zone.name}`, A, '192.0.2.1')], step: 5 });
      await change(zone, { add: [rec(`b.${zone.name}`, A, '192.0.2.2')], step: 5 });
      const serialsAfter = async (since: number) => {
        const changes = await stores.zones.changesSince(zone.id, since);
        return changes === 'gone' ? changes : changes.map((c) => c.serial);
      };
      expect(await serialsAfter(99)).toEqual([100, 105, 110]);
      const firstTwo = await stores.zones.changesSince(zone.id, 99, 2);
      expect(firstTwo === 'gone' ? firstTwo : firstTwo.map((c) => c.serial)).toEqual([100, 105]);
      expect(await serialsAfter(100)).toEqual([105, 110]);
      expect(await serialsAfter(105)).toEqual([110]);
      expect(await serialsAfter(110)).toEqual([]);
      expect(await serialsAfter(50)).toBe('gone');
      expect(await serialsAfter(103)).toBe('gone');
      expect(await serialsAfter(111)).toBe('gone');
      expect(await stores.zones.changesSince(randomUUID(), 0)).toBe('gone');
    });

    it('deletes a zone with its records and change log, auditing it in the same transaction', async () => {
      const zone = await newZone();
      await change(zone, { add: [rec(`www.${zone.name}`, A, '192.0.2.1')] });
      const audit = {
        orgId: zone.orgId,
        actor: 'key:bob',
        action: 'zone.delete',
        zone: zone.name,
        at: new Date(),
      };
      expect(await stores.zones.deleteZone(zone.orgId, zone.name, audit)).toBe(true);

      expect(await stores.zones.getZone(zone.orgId, zone.name)).toBeUndefined();
      expect(await stores.zones.countRecords(zone.id)).toBe(0);
      expect(await stores.zones.changesSince(zone.id, 100)).toBe('gone');
      expect((await stores.zones.audit(zone.orgId, { zone: zone.name, limit: 1 }))[0]).toEqual(audit);
      expect(await stores.zones.deleteZone(zone.orgId, zone.name, audit)).toBe(false);
      // The name is free again.
      expect((await newZone({ name: zone.name })).id).not.toBe(zone.id);
    });

    it('lists audit entries newest first, filtered by zone, actor and action', async () => {
      const org = await newOrg();
      const other = await newOrg();
      const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
      const entries: AuditEntry[] = [
        {
          orgId: org.id,
          actor: 'key:a',
          action: 'zone.create',
          zone: 'one.test.',
          after: { serial: 1 },
          at: t(1),
        },
        {
          orgId: org.id,
          actor: 'key:b',
          action: 'records.change',
          zone: 'one.test.',
          before: null,
          after: [1],
          at: t(2),
        },
        {
          orgId: org.id,
          actor: 'key:a',
          action: 'records.change',
          zone: 'two.test.',
          forced: true,
          at: t(3),
        },
        { orgId: org.id, actor: 'jwt:c', action: 'key.create', at: t(4) },
        { orgId: other.id, actor: 'key:a', action: 'zone.create', zone: 'one.test.', at: t(5) },
      ];
      // The port writes audit rows only along with a change: one zone each.
      for (const entry of entries) {
        await stores.zones.createZone({
          orgId: entry.orgId,
          name: newName(),
          serial: 1,
          records: [],
          change: { serial: 1, previousSerial: 0, removed: [], added: [], actor: entry.actor, at: entry.at },
          audit: entry,
        });
      }
      const actions = async (filter: { zone?: string; actor?: string; action?: string; limit: number }) =>
        (await stores.zones.audit(org.id, filter)).map((e) => e.at.getUTCSeconds());

      expect(await stores.zones.audit(org.id, { limit: 10 })).toEqual(entries.slice(0, 4).reverse());
      expect(await actions({ zone: 'one.test.', limit: 10 })).toEqual([2, 1]);
      expect(await actions({ actor: 'key:a', limit: 10 })).toEqual([3, 1]);
      expect(await actions({ action: 'records.change', limit: 10 })).toEqual([3, 2]);
      expect(await actions({ actor: 'key:a', action: 'zone.create', zone: 'one.test.', limit: 10 })).toEqual([
        1,
      ]);
      expect(await actions({ limit: 2 })).toEqual([4, 3]);
      expect(await stores.zones.audit(other.id, { limit: 10 })).toEqual([entries[4]]);
    });

    // Last: it closes and reopens the suite's database.
    it('keeps its data across a restart and applies the migrations once', async () => {
      const zone = await newZone({ records: [rec(`www.${newName()}`, A, '192.0.2.1')] });
      const records = await stores.zones.listRecords(zone.id, { limit: 10 });
      await stores.close();
      stores = await open();
      expect(await stores.zones.getZone(zone.orgId, zone.name)).toEqual(zone);
      expect(await stores.zones.listRecords(zone.id, { limit: 10 })).toEqual(records);
      expect(await stores.zones.changesSince(zone.id, 0)).toHaveLength(1);
      const applied: { name: string }[] = await stores.db.dataSource.query(
        'SELECT name FROM migrations ORDER BY timestamp',
      );
      expect(applied.map((m) => m.name)).toEqual([
        'InitialSchema1767225600000',
        'EdgeRegistry1795478400000',
        'Dnssec1795737600000',
      ]);
    });
  });
}
