// Incremental change sets must leave a zone answering exactly as a fresh
// compile of the same records would, for every kind of query; and the local
// copy (image + journal) must load back to the same answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Name, RRType } from '@herald/dns';
import { applyChanges } from '../../src/engine/apply.js';
import { buildZone, zoneRecords, ZoneDataError, type WireRecord } from '../../src/engine/build.js';
import { Catalog } from '../../src/engine/catalog.js';
import type { ZoneImage } from '../../src/engine/zone-image.js';
import { Responder } from '../../src/pipeline/respond.js';
import { LocalStore } from '../../src/sync/local-store.js';
import { ServedZones } from '../../src/sync/served-zones.js';
import { recordLines } from '../../src/sync/zone-text.js';
import { ask } from '../support/engine.js';

const ORIGIN = 'example.com.';
const NAMES = [
  '@',
  'www',
  'mail',
  'a.b',
  'b',
  'x.wild',
  '*.wild',
  'c1',
  'c2',
  'deep.a.b',
  'sub',
  'ns.sub',
  'dn',
];
const TYPES = [RRType.A, RRType.AAAA, RRType.TXT, RRType.MX, RRType.CNAME, RRType.NS, RRType.DNAME];
const QUERY_NAMES = [
  ...NAMES.filter((n) => n !== '*.wild'),
  'nope',
  'q.wild',
  'z.a.b',
  'x.sub',
  'k.dn',
  'x.c1',
];
const QUERY_TYPES = [
  RRType.A,
  RRType.AAAA,
  RRType.TXT,
  RRType.MX,
  RRType.CNAME,
  RRType.NS,
  RRType.SOA,
  RRType.ANY,
  RRType.DS,
];

function abs(n: string): string {
  return n === '@' ? ORIGIN : `${n}.${ORIGIN}`;
}

function line(owner: string, type: number, i: number): string {
  const o = abs(owner);
  switch (type) {
    case RRType.A:
      return `${o} 300 IN A 192.0.2.${i}`;
    case RRType.AAAA:
      return `${o} 300 IN AAAA 2001:db8::${i}`;
    case RRType.TXT:
      return `${o} 300 IN TXT "t${i}"`;
    case RRType.MX:
      return `${o} 300 IN MX ${i} ${abs(NAMES[i % NAMES.length]!.replace('*.', 'x.'))}`;
    case RRType.CNAME:
      // Targets include an empty non-terminal (b) that deletions prune.
      return `${o} 300 IN CNAME ${abs(['www', 'c2', 'mail', 'nope', 'q.wild', 'b'][i % 6]!)}`;
    case RRType.NS:
      return `${o} 300 IN NS ns.sub.${ORIGIN}`;
    default:
      return `${o} 300 IN DNAME example.net.`;
  }
}

const BASE = [
  `${ORIGIN} 300 IN SOA ns1.${ORIGIN} hostmaster.${ORIGIN} 1 7200 900 1209600 60`,
  `${ORIGIN} 300 IN NS ns1.${ORIGIN}`,
  `ns1.${ORIGIN} 300 IN A 192.0.2.250`,
];

function soa(serial: number): string {
  return `${ORIGIN} 300 IN SOA ns1.${ORIGIN} hostmaster.${ORIGIN} ${serial} 7200 900 1209600 60`;
}

function answers(img: ZoneImage): string[] {
  const catalog = new Catalog();
  catalog.set(ORIGIN, img);
  const r = new Responder(catalog, { chaos: {} });
  const out: string[] = [];
  for (const n of QUERY_NAMES)
    for (const t of QUERY_TYPES)
      for (const tcp of [false, true]) {
        const a = ask(r, abs(n), t, { tcp });
        out.push(
          `${n} ${t} ${tcp}: ${a.rcode} ${a.aa} ${a.tc} | ${a.answer.join(' ; ')} | ${a.authority.join(' ; ')} | ${a.additional.join(' ; ')}`,
        );
      }
  return out;
}

function fresh(lines: Set<string>, serial: number): ZoneImage {
  return buildZone(Name.parse(ORIGIN).wire, recordLines(ORIGIN, [...lines]), serial);
}

// A change: add or remove one (owner, type, variant) record.
const changeArb = fc.record({
  owner: fc.constantFrom(...NAMES),
  type: fc.constantFrom(...TYPES),
  i: fc.integer({ min: 1, max: 6 }),
});

describe('incremental change sets', () => {
  it('answer exactly like a fresh compile, after every change set', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(changeArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        (sets) => {
          const lines = new Set([...BASE, `www.${ORIGIN} 300 IN A 192.0.2.1`]);
          let serial = 1;
          let img = fresh(lines, serial);
          for (const set of sets) {
            const removed: string[] = [soa(serial)];
            const added: string[] = [];
            const next = new Set(lines);
            for (const c of set) {
              const l = line(c.owner, c.type, c.i);
              if (next.has(l)) {
                next.delete(l);
                removed.push(l);
              } else {
                next.add(l);
                added.push(l);
              }
            }
            serial++;
            next.delete(soa(serial - 1));
            next.add(soa(serial));
            added.push(soa(serial));
            // Net changes only, as herald sends them.
            const rem = removed.filter((l) => !added.includes(l));
            const add = added.filter((l) => !removed.includes(l));
            img = applyChanges(img, recordLines(ORIGIN, rem), recordLines(ORIGIN, add), serial);
            lines.clear();
            for (const l of next) lines.add(l);
            expect(img.serial).toBe(serial);
            expect(answers(img)).toEqual(answers(fresh(lines, serial)));
          }
        },
      ),
      { numRuns: 60, seed: 4592 },
    );
  });

  it('rejects a change set that removes a record the edge does not have, changing nothing', () => {
    const lines = new Set([...BASE, `www.${ORIGIN} 300 IN A 192.0.2.1`]);
    const img = fresh(lines, 1);
    const before = answers(img);
    expect(() => applyChanges(img, recordLines(ORIGIN, [`www.${ORIGIN} 300 IN A 192.0.2.9`]), [], 2)).toThrow(
      ZoneDataError,
    );
    expect(() => applyChanges(img, recordLines(ORIGIN, [soa(1)]), [], 2)).toThrow(/SOA/);
    expect(img.serial).toBe(1);
    expect(answers(img)).toEqual(before);
  });

  it('a one-record change on a large zone rebuilds only what it touches', () => {
    const recs: string[] = [...BASE];
    for (let i = 0; i < 20_000; i++) recs.push(`h${i}.${ORIGIN} 300 IN A 10.0.${i >> 8}.${i & 255}`);
    const img = fresh(new Set(recs), 1);
    const used = img.ans.used;
    const t0 = performance.now();
    const after = applyChanges(
      img,
      recordLines(ORIGIN, [soa(1)]),
      recordLines(ORIGIN, [soa(2), `new.${ORIGIN} 300 IN A 192.0.2.5`]),
      2,
    );
    const ms = performance.now() - t0;
    expect(after).toBe(img); // in place, not a rebuild
    expect(img.ans.used - used).toBeLessThan(2000); // a few templates, not the zone
    expect(ms).toBeLessThan(1000); // generous: this is a shape check, benchmarks live in bench/edge
  });
});

describe('the local copy', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edge-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('image + journal load back to the same answers, and a torn journal line is ignored', async () => {
    const store = new LocalStore(dir);
    await store.init();
    const zones = new ServedZones(store);
    const lines = [
      ...BASE,
      `www.${ORIGIN} 300 IN A 192.0.2.1`,
      `*.wild.${ORIGIN} 300 IN TXT "w"`,
      `c1.${ORIGIN} 300 IN CNAME www.${ORIGIN}`,
    ];
    await zones.install(ORIGIN, recordLines(ORIGIN, lines), 1);
    await zones.apply(ORIGIN, [
      {
        serial: 2,
        previousSerial: 1,
        removed: [soa(1)],
        added: [soa(2), `mail.${ORIGIN} 300 IN MX 5 www.${ORIGIN}`],
      },
      {
        serial: 3,
        previousSerial: 2,
        removed: [soa(2), `www.${ORIGIN} 300 IN A 192.0.2.1`],
        added: [soa(3), `www.${ORIGIN} 300 IN A 192.0.2.2`],
      },
    ]);
    const served = answers(zones.get(ORIGIN)!);
    const again = new ServedZones(new LocalStore(dir));
    expect(await again.loadLocal(() => {})).toBe(1);
    expect(again.get(ORIGIN)!.serial).toBe(3);
    expect(answers(again.get(ORIGIN)!)).toEqual(served);
    // A change set that does not follow the served serial is refused.
    await expect(
      zones.apply(ORIGIN, [{ serial: 9, previousSerial: 7, removed: [], added: [] }]),
    ).rejects.toThrow(ZoneDataError);
    // Records survive a write/load cycle octet for octet.
    const records = (img: ZoneImage) =>
      [...zoneRecords(img)]
        .map((r: WireRecord) => Buffer.concat([r.owner, Buffer.from([r.type]), r.rdata]).toString('hex'))
        .sort();
    expect(records(again.get(ORIGIN)!)).toEqual(records(zones.get(ORIGIN)!));
  });
});
