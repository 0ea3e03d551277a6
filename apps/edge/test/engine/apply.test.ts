// Incremental change sets must leave a zone answering exactly as a fresh
// compile of the same records would, for every kind of query; and the local
// copy (image + journal) must load back to the same answers.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Name, RRType, typeToString } from '@herald/dns';
import { canonCompare } from '../../src/engine/dnssec.js';
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

const SIGNED_QUERY_TYPES = [...QUERY_TYPES, RRType.NSEC, RRType.RRSIG, RRType.DNSKEY, RRType.NSEC3];

function answers(img: ZoneImage, signed = false): string[] {
  const catalog = new Catalog();
  catalog.set(ORIGIN, img);
  const r = new Responder(catalog, { chaos: {} });
  const out: string[] = [];
  const variants = signed
    ? [
        { tcp: false },
        { tcp: true, edns: { payloadSize: 1232, dnssecOk: true } },
        { tcp: false, edns: { payloadSize: 1232, dnssecOk: true } },
      ]
    : [{ tcp: false }, { tcp: true }];
  for (const n of signed ? [...QUERY_NAMES, 'a.b.q.wild', 'zz'] : QUERY_NAMES)
    for (const t of signed ? SIGNED_QUERY_TYPES : QUERY_TYPES)
      for (const v of variants) {
        const tcp = v.tcp;
        const a = ask(r, abs(n), t, v);
        out.push(
          `${n} ${t} ${tcp} ${'edns' in v}: ${a.rcode} ${a.aa} ${a.tc} | ${a.answer.join(' ; ')} | ${a.authority.join(' ; ')} | ${a.additional.join(' ; ')}`,
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

// ---- signed zones: the same change sets, with the RRSIG, NSEC or NSEC3 records
// a signer would add (signatures are stand-ins: nothing here validates them,
// the answers only have to carry the same records either way).

const wireOf = (n: string) => Name.parse(n).wire;
const lowerText = (n: string) => n.toLowerCase();

function labelsOf(owner: string): number {
  const labels = owner.split('.').filter(Boolean);
  return labels[0] === '*' ? labels.length - 1 : labels.length;
}

function rrsig(owner: string, type: number, ttl: number, salt: string): string {
  const sig = createHash('sha256').update(`${owner}/${type}/${salt}`).digest('base64');
  return `${owner} ${ttl} IN RRSIG ${typeToString(type)} 13 ${labelsOf(owner)} ${ttl} 20300101000000 20200101000000 4242 ${ORIGIN} ${sig}`;
}

const B32 = '0123456789abcdefghijklmnopqrstuv';
function nsec3Label(owner: string): string {
  const h = createHash('sha1').update(Name.parse(owner).wire).digest();
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of h) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >>> bits) & 31];
    }
  }
  return out;
}

/** The zone `lines` as a signer would publish it: RRSIG per RRset, an NSEC or NSEC3 chain. */
function signLines(lines: Set<string>, mode: 'nsec' | 'nsec3'): Set<string> {
  const out = new Set(lines);
  const byOwner = new Map<string, Map<number, number>>();
  for (const rr of recordLines(ORIGIN, [...lines])) {
    const owner = lowerText(Name.fromWireUnchecked(rr.owner).toString());
    let types = byOwner.get(owner);
    if (!types) byOwner.set(owner, (types = new Map()));
    types.set(rr.type, rr.ttl);
  }
  const apex = byOwner.get(ORIGIN)!;
  apex.set(RRType.DNSKEY, 300);
  out.add(`${ORIGIN} 300 IN DNSKEY 257 3 13 ${Buffer.alloc(64, 7).toString('base64')}`);
  if (mode === 'nsec3') {
    apex.set(RRType.NSEC3PARAM, 300);
    out.add(`${ORIGIN} 300 IN NSEC3PARAM 1 0 0 -`);
  }
  for (const [owner, types] of byOwner)
    for (const [type, ttl] of types)
      if (type !== RRType.NS || owner === ORIGIN) out.add(rrsig(owner, type, ttl, [...lines].join()));
  const cmp = (a: string, b: string) => canonCompare(wireOf(a), 0, wireOf(b), 0);
  if (mode === 'nsec') {
    const owners = [...byOwner.keys()].sort(cmp);
    owners.forEach((o, i) => {
      const next = owners[(i + 1) % owners.length]!;
      const types = [...byOwner.get(o)!.keys(), RRType.RRSIG, RRType.NSEC].map((t) => typeToString(t));
      out.add(`${o} 60 IN NSEC ${next} ${types.join(' ')}`);
      out.add(rrsig(o, RRType.NSEC, 60, 'nsec'));
    });
  } else {
    // Every owner and every empty non-terminal above it gets an NSEC3 (RFC 5155 §7.1).
    const names = new Map<string, number[]>();
    for (const [o, types] of byOwner) {
      names.set(o, [...types.keys(), RRType.RRSIG]);
      let n = o;
      while (n !== ORIGIN) {
        n = n.slice(n.indexOf('.') + 1);
        if (!names.has(n)) names.set(n, []);
      }
    }
    const hashed = [...names]
      .map(([o, types]) => [nsec3Label(o), types] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    hashed.forEach(([h, types], i) => {
      const next = hashed[(i + 1) % hashed.length]![0];
      const owner = `${h}.${ORIGIN}`;
      out.add(`${owner} 60 IN NSEC3 1 0 0 - ${next} ${types.map((t) => typeToString(t)).join(' ')}`);
      out.add(rrsig(owner, RRType.NSEC3, 60, 'nsec3'));
    });
  }
  return out;
}

describe('incremental change sets in signed zones', () => {
  for (const mode of ['nsec', 'nsec3'] as const)
    it(`answer like a fresh compile, with and without DO (${mode})`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.array(changeArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
          (sets) => {
            let lines = new Set([...BASE, `www.${ORIGIN} 300 IN A 192.0.2.1`]);
            let serial = 1;
            let signed = signLines(lines, mode);
            let img = fresh(signed, serial);
            for (const set of sets) {
              const next = new Set(lines);
              for (const c of set) {
                const l = line(c.owner, c.type, c.i);
                if (next.has(l)) next.delete(l);
                else next.add(l);
              }
              serial++;
              next.delete(soa(serial - 1));
              next.add(soa(serial));
              const nextSigned = signLines(next, mode);
              const rem = [...signed].filter((l) => !nextSigned.has(l));
              const add = [...nextSigned].filter((l) => !signed.has(l));
              img = applyChanges(img, recordLines(ORIGIN, rem), recordLines(ORIGIN, add), serial);
              lines = next;
              signed = nextSigned;
              expect(img.signed).toBe(true);
              expect(answers(img, true)).toEqual(answers(fresh(signed, serial), true));
            }
          },
        ),
        { numRuns: 25, seed: 4035 },
      );
    });
});

describe('the local copy', () => {
  it('a signed zone loads back with the same answers, with and without DO', async () => {
    const dir2 = mkdtempSync(path.join(tmpdir(), 'edge-store-signed-'));
    try {
      for (const mode of ['nsec', 'nsec3'] as const) {
        const store = new LocalStore(dir2);
        await store.init();
        const zones = new ServedZones(store);
        const lines = new Set([
          ...BASE,
          `www.${ORIGIN} 300 IN A 192.0.2.1`,
          `*.wild.${ORIGIN} 300 IN TXT "w"`,
          `a.b.${ORIGIN} 300 IN A 192.0.2.2`,
        ]);
        await zones.install(ORIGIN, recordLines(ORIGIN, [...signLines(lines, mode)]), 1);
        const served = answers(zones.get(ORIGIN)!, true);
        const again = new ServedZones(new LocalStore(dir2));
        expect(await again.loadLocal(() => {})).toBe(1);
        expect(again.get(ORIGIN)!.signed).toBe(true);
        expect(again.get(ORIGIN)!.nsec3).toBe(mode === 'nsec3');
        expect(answers(again.get(ORIGIN)!, true)).toEqual(served);
      }
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });

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
