// Two writers over one database stand for two API processes: each caches
// zone models, and a model cached at an older serial must never be used.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Name, RRType, rdataFromText, type ResourceRecord } from '@herald/dns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryChangeFeed } from '../../src/adapters/change-feed/memory-change-feed.js';
import type { Principal } from '../../src/auth/principal.js';
import { Problem } from '../../src/http/problem.js';
import type { RecordFilter, ZoneStore, ZoneTransaction } from '../../src/ports/zone-store.port.js';
import { toNewRecord } from '../../src/records/record-mapping.js';
import { ZoneWriter } from '../../src/zones/zone-writer.js';
import { openStores, type OpenedStores } from '../persistence/stores.js';

const origin = Name.parse('cache.example.');
const rr = (name: string, type: number, value: string): ResourceRecord => ({
  name: Name.parse(name, { origin }),
  type,
  class: 1,
  ttl: 300,
  data: rdataFromText(type, value, { origin }),
});

let stores: OpenedStores;
let principal: Principal;
const feed = new MemoryChangeFeed();
beforeAll(async () => {
  stores = await openStores({ dataDir: mkdtempSync(path.join(tmpdir(), 'herald-writer-')) });
  const org = await stores.auth.createOrg('writers');
  principal = { orgId: org.id, actor: 'key:test', role: 'admin' };
  const initial = [
    rr('@', RRType.SOA, 'ns1 hostmaster 1 7200 900 1209600 300'),
    rr('@', RRType.NS, 'ns1.example.net.'),
  ];
  await stores.zones.createZone({
    orgId: org.id,
    name: origin.toString(),
    serial: 1,
    records: initial.map((r) => toNewRecord(r, {})),
    change: { serial: 1, previousSerial: 0, removed: [], added: [], actor: 'key:test', at: new Date() },
    audit: { orgId: org.id, actor: 'key:test', action: 'zone.create', at: new Date() },
  });
}, 60_000);
afterAll(async () => {
  await feed.close();
  await stores?.close();
});

const create = (record: ResourceRecord) => () => ({
  changes: [{ op: 'create' as const, record }],
  audit: [{ action: 'record.create' }],
});

describe('ZoneWriter model cache', () => {
  test('a model cached at an older serial is not used: the other writer’s change is seen', async () => {
    const a = new ZoneWriter(stores.zones, feed, () => new Date());
    const b = new ZoneWriter(stores.zones, feed, () => new Date());
    const first = await a.write(
      principal,
      origin.toString(),
      undefined,
      create(rr('x', RRType.A, '192.0.2.1')),
    );
    expect(first.changed).toBe(true);
    // b puts a CNAME at `c`; a's cached model (at the previous serial) knows nothing of it.
    await b.write(principal, origin.toString(), undefined, create(rr('c', RRType.CNAME, 'x')));
    const clash = a.write(principal, origin.toString(), undefined, create(rr('c', RRType.A, '192.0.2.9')));
    await expect(clash).rejects.toBeInstanceOf(Problem);
    await expect(clash).rejects.toMatchObject({
      status: 422,
      errors: [expect.objectContaining({ code: 'cname-exclusive' })],
    });
    // And a's next good write lands on top of b's.
    const last = await a.write(
      principal,
      origin.toString(),
      undefined,
      create(rr('y', RRType.A, '192.0.2.2')),
    );
    const owners = (await stores.zones.listRecords(last.zone.id, { limit: 100 })).records.map(
      (r) => `${r.owner} ${r.type}`,
    );
    expect(owners).toEqual(
      expect.arrayContaining(['x.cache.example. 1', 'c.cache.example. 5', 'y.cache.example. 1']),
    );
  });

  test('a rejected change leaves the cached model as it was', async () => {
    const w = new ZoneWriter(stores.zones, feed, () => new Date());
    await w.write(principal, origin.toString(), undefined, create(rr('keep', RRType.A, '192.0.2.3')));
    await expect(
      w.write(principal, origin.toString(), undefined, create(rr('keep', RRType.CNAME, 'x'))),
    ).rejects.toMatchObject({ status: 422 });
    // Had the failed change leaked into the cached model, this TXT beside a CNAME would pass as "nothing new".
    const ok = await w.write(
      principal,
      origin.toString(),
      undefined,
      create(rr('keep', RRType.TXT, '"fine"')),
    );
    expect(ok.changed).toBe(true);
  });

  test('a change whose COMMIT fails is not cached: the next write sees what the database holds', async () => {
    // A store whose transaction fails after the writer's callback, as a failed COMMIT would.
    let failNext = false;
    const flaky: ZoneStore = Object.assign(Object.create(stores.zones) as ZoneStore, {
      changeZone: <T>(orgId: string, name: string, fn: (tx: ZoneTransaction) => Promise<T>) =>
        stores.zones.changeZone(orgId, name, async (tx) => {
          const out = await fn(tx);
          if (failNext) {
            failNext = false;
            throw new Error('COMMIT failed');
          }
          return out;
        }),
    });
    const a = new ZoneWriter(flaky, feed, () => new Date());
    const b = new ZoneWriter(stores.zones, feed, () => new Date());
    await a.write(principal, origin.toString(), undefined, create(rr('warm', RRType.A, '192.0.2.4')));
    failNext = true;
    await expect(
      a.write(principal, origin.toString(), undefined, create(rr('ghost', RRType.A, '192.0.2.5'))),
    ).rejects.toThrow('COMMIT failed');
    // The other writer reaches the serial the failed change would have had, with a CNAME at `ghost`.
    await b.write(principal, origin.toString(), undefined, create(rr('ghost', RRType.CNAME, 'warm')));
    // A model holding the failed A (and not the CNAME) would let this TXT beside the CNAME through.
    await expect(
      a.write(principal, origin.toString(), undefined, create(rr('ghost', RRType.TXT, '"no"'))),
    ).rejects.toMatchObject({ status: 422, errors: [expect.objectContaining({ code: 'cname-exclusive' })] });
  });

  test('a plan that throws does not drop the cached model', async () => {
    let fullLoads = 0;
    const counting: ZoneStore = Object.assign(Object.create(stores.zones) as ZoneStore, {
      changeZone: <T>(orgId: string, name: string, fn: (tx: ZoneTransaction) => Promise<T>) =>
        stores.zones.changeZone(orgId, name, (tx) =>
          fn(
            Object.create(tx, {
              records: {
                value: (filter?: RecordFilter) => {
                  if (!filter) fullLoads++;
                  return tx.records(filter);
                },
              },
            }) as ZoneTransaction,
          ),
        ),
    });
    const w = new ZoneWriter(counting, feed, () => new Date());
    await w.write(principal, origin.toString(), undefined, create(rr('p1', RRType.A, '192.0.2.6')));
    expect(fullLoads).toBe(1);
    await expect(
      w.write(principal, origin.toString(), undefined, () => {
        throw Problem.invalid('bad request', []);
      }),
    ).rejects.toMatchObject({ status: 422 });
    const ok = await w.write(
      principal,
      origin.toString(),
      undefined,
      create(rr('p2', RRType.A, '192.0.2.7')),
    );
    expect(ok.changed).toBe(true);
    expect(fullLoads).toBe(1);
  });
});

describe('ZoneWriter queueing', () => {
  test('writers of one zone in a process take the row lock one at a time; every write lands', async () => {
    // Counts transactions open at once for the zone: each holds a pooled connection while it waits.
    let open = 0;
    let most = 0;
    const counting: ZoneStore = Object.assign(Object.create(stores.zones) as ZoneStore, {
      changeZone: async <T>(orgId: string, name: string, fn: (tx: ZoneTransaction) => Promise<T>) => {
        open++;
        most = Math.max(most, open);
        try {
          return await stores.zones.changeZone(orgId, name, fn);
        } finally {
          open--;
        }
      },
    });
    const w = new ZoneWriter(counting, feed, () => new Date());
    const before = (await stores.zones.getZone(principal.orgId, origin.toString()))!.serial;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        w.write(principal, origin.toString(), undefined, create(rr(`q${i}`, RRType.A, `198.51.100.${i}`))),
      ),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(most).toBe(1);
    expect((await stores.zones.getZone(principal.orgId, origin.toString()))!.serial).toBe(before + 20);
    // A failing write does not wedge the queue for the writers behind it.
    const failing = w.write(principal, origin.toString(), undefined, () => {
      throw new Error('plan failed');
    });
    const after = w.write(
      principal,
      origin.toString(),
      undefined,
      create(rr('after-failure', RRType.A, '198.51.100.99')),
    );
    await expect(failing).rejects.toThrow('plan failed');
    await expect(after).resolves.toMatchObject({ changed: true });
  });
});
