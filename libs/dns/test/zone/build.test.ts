import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRecords, Name, RRType, Zone, ZONE_RULES, type ResourceRecord } from '../../src/index.js';
import {
  baseRecords,
  sig,
  zoneOf as zone,
  expectNoProblem,
  expectProblem,
  n,
  ORIGIN,
  problemsOf,
  rr,
  texts,
  zoneWith,
} from './helpers.js';

describe('Zone.build', () => {
  it('loads records into RRsets and answers lookups', () => {
    const zone = zoneWith(
      rr('www', 'A', '192.0.2.1'),
      rr('www', 'A', '192.0.2.2'),
      rr('www', 'AAAA', '2001:db8::1'),
    );
    expect(zone.origin.equals(ORIGIN)).toBe(true);
    expect(zone.recordCount).toBe(6);
    const a = zone.get(n('WWW'), RRType.A)!;
    expect(a.ttl).toBe(300);
    expect(a.rdatas).toHaveLength(2);
    expect(zone.rrsetsAt(n('www')).map((s) => s.type)).toEqual([RRType.A, RRType.AAAA]);
    expect(zone.get(n('www'), RRType.MX)).toBeUndefined();
    expect(zone.rrsetsAt(n('nothing'))).toEqual([]);
    expect(zone.get(Name.parse('www.example.org.'), RRType.A)).toBeUndefined();
  });

  it('tells names with data, empty non-terminals and absent names apart', () => {
    const zone = zoneWith(rr('a.b.c', 'TXT', '"deep"'));
    expect(zone.has(n('a.b.c'))).toBe(true);
    expect(zone.has(n('b.c'))).toBe(false);
    expect(zone.nameExists(n('b.c'))).toBe(true);
    expect(zone.nameExists(n('c'))).toBe(true);
    expect(zone.nameExists(n('x.c'))).toBe(false);
    expect(zone.nameExists(n('z.a.b.c'))).toBe(false);
    expect(zone.nameExists(ORIGIN)).toBe(true);
  });

  it('exposes the SOA record', () => {
    const soa = zoneWith().soa;
    expect(soa.type).toBe(RRType.SOA);
    expect(soa.ttl).toBe(3600);
    expect(soa.data.serial).toBe(1);
    expect(soa.data.mname.toString()).toBe('ns1.example.com.');
  });

  it('iterates records in canonical order (RFC 4034 §6.1)', () => {
    const zone = zoneWith(
      rr('z', 'A', '192.0.2.9'),
      rr('*.a', 'TXT', '"w"'),
      rr('a', 'TXT', '"b"'),
      rr('a', 'TXT', '"a"'),
      rr('A.a', 'A', '192.0.2.1'),
      rr('yljkjljk.a', 'A', '192.0.2.1'),
      rr('Z.a', 'A', '192.0.2.1'),
      rr('zABC.a', 'A', '192.0.2.1'),
      rr('\\001.z', 'A', '192.0.2.1'),
      rr('\\200.z', 'A', '192.0.2.1'),
    );
    const records = [...zone.records()];
    const sorted = [...records].sort(compareRecords);
    expect(texts(records)).toEqual(texts(sorted));
    expect(records.map((r) => r.name.toString()).slice(0, 9)).toEqual([
      'example.com.',
      'example.com.',
      'a.example.com.',
      'a.example.com.',
      '*.a.example.com.',
      'A.a.example.com.',
      'yljkjljk.a.example.com.',
      'Z.a.example.com.',
      'zABC.a.example.com.',
    ]);
    expect([...zone.names()].map(String)).toEqual([...new Set(records.map((r) => r.name.toString()))]);
    expect([...zone.rrsets()]).toHaveLength(12);
  });

  it('orders any names as Name.compare does', () => {
    const label = fc.stringMatching(/^[a-cA-C0-9-]{1,4}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(label, { minLength: 1, maxLength: 3 }), { maxLength: 12 }),
        (names) => {
          const extra = names.map((labels) => rr(labels.join('.'), 'TXT', '"x"'));
          const { zone } = Zone.build(ORIGIN, [...baseRecords(), ...extra]);
          if (!zone) return;
          const got = [...zone.names()];
          const want = [...got].sort((a, b) => a.compare(b));
          expect(got.map(String)).toEqual(want.map(String));
        },
      ),
    );
  });

  it('keeps the spelling of an owner as first written', () => {
    const zone = zoneWith(rr('MiXeD', 'A', '192.0.2.1'), rr('mixed', 'TXT', '"t"'));
    expect(zone.rrsetsAt(n('mixed')).map((s) => s.name.toString())).toEqual([
      'MiXeD.example.com.',
      'MiXeD.example.com.',
    ]);
  });

  it('clones independently', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const copy = zone.clone();
    expect(copy.apply([{ op: 'create', record: rr('new', 'A', '192.0.2.7') }]).ok).toBe(true);
    expect(copy.apply([{ op: 'delete', record: rr('www', 'A', '192.0.2.1') }]).ok).toBe(true);
    expect(zone.has(n('new'))).toBe(false);
    expect(zone.has(n('www'))).toBe(true);
    expect(copy.has(n('new'))).toBe(true);
    expect(copy.has(n('www'))).toBe(false);
    expect(zone.recordCount).toBe(4);
    expect(copy.recordCount).toBe(4);
    expect(copy.check()).toEqual(zone.check());
  });

  it('works for the root zone', () => {
    const root = Name.parse('.');
    const rec = (name: string, type: string, text: string) => ({
      ...rr(name, type, text),
      name: Name.parse(name),
    });
    const { zone, problems } = Zone.build(root, [
      rec('.', 'SOA', 'a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400'),
      rec('.', 'NS', 'a.root-servers.net.'),
      rec('a.root-servers.net.', 'A', '198.41.0.4'),
      rec('com.', 'NS', 'a.gtld-servers.net.'),
      rec('a.gtld-servers.net.', 'A', '192.5.6.30'),
    ]);
    expect(problems).toEqual([]);
    expect(zone!.nameExists(Name.parse('net.'))).toBe(true);
    expect([...zone!.names()].map(String)).toEqual([
      '.',
      'com.',
      'a.gtld-servers.net.',
      'a.root-servers.net.',
    ]);
  });

  it('a DNAME at the apex hides every other name', () => {
    const problems = problemsOf(rr('@', 'DNAME', 'example.net.'), rr('www', 'A', '192.0.2.1'));
    expectProblem(problems, 'dname-occludes', 'warning', 'www.example.com.');
    expectProblem(problems, 'dname-occludes', 'warning', 'ns1.example.com.');
  });

  it('returns no zone when any problem is an error, with all problems found', () => {
    const { zone, problems } = Zone.build(ORIGIN, [
      ...baseRecords(),
      rr('www', 'A', '192.0.2.1'),
      rr('www', 'CNAME', 'elsewhere.example.net.'),
      rr('x.sub', 'TXT', '"hidden"'),
      rr('sub', 'NS', 'ns.example.net.'),
    ]);
    expect(zone).toBeUndefined();
    expectProblem(problems, 'cname-exclusive', 'error', 'www.example.com.');
    expectProblem(problems, 'occluded', 'warning', 'x.sub.example.com.');
  });

  it('builds a zone with warnings only', () => {
    const { zone, problems } = Zone.build(ORIGIN, [
      ...baseRecords(),
      rr('x.sub', 'TXT', '"t"'),
      rr('sub', 'NS', 'ns.example.net.'),
    ]);
    expect(zone).toBeDefined();
    expect(problems.map((p) => p.rule)).toEqual(['occluded']);
    expect(zone!.check()).toEqual(problems);
  });
});

describe('record-level rules', () => {
  it('out-of-zone: owners outside the origin are errors', () => {
    const p = expectProblem(
      problemsOf(rr('www.example.org.', 'A', '192.0.2.1')),
      'out-of-zone',
      'error',
      'www.example.org.',
    );
    expect(p.type).toBe('A');
    expect(p.message).toContain('outside the zone example.com.');
    expectNoProblem(problemsOf(rr('www', 'A', '192.0.2.1')), 'out-of-zone');
    // A name that merely ends in the same characters is not inside.
    expectProblem(problemsOf(rr('badexample.com.', 'A', '192.0.2.1')), 'out-of-zone', 'error');
  });

  it('class: only IN', () => {
    const p = expectProblem(
      problemsOf(rr('www', 'TXT', '"chaos"', 300, 3)),
      'class',
      'error',
      'www.example.com.',
    );
    expect(p.message).toContain('CH');
    expectNoProblem(problemsOf(rr('www', 'TXT', '"in"')), 'class');
  });

  it('meta-type: OPT, ANY and friends are not zone data', () => {
    const opt: ResourceRecord = {
      name: n('www'),
      type: RRType.OPT,
      class: 1,
      ttl: 0,
      data: { bytes: new Uint8Array() },
    };
    const any: ResourceRecord = { ...opt, type: RRType.ANY };
    const problems = problemsOf(opt, any);
    expect(problems.filter((p) => p.rule === 'meta-type').map((p) => p.type)).toEqual(['ANY', 'OPT']);
    expectProblem(problems, 'meta-type', 'error');
    expectNoProblem(problemsOf(rr('www', 'A', '192.0.2.1')), 'meta-type');
  });

  it('rdata-invalid: data that is not a valid value of its type is refused', () => {
    const record = (type: number, data: unknown): ResourceRecord => ({
      name: n('www'),
      type,
      class: 1,
      ttl: 300,
      data,
    });
    const aaaa = rr('x', 'AAAA', '2001:db8::1').data;
    const problems = problemsOf(
      record(RRType.A, aaaa), // an AAAA object in an A record
      record(RRType.MX, { preference: 70_000, exchange: n('mail') }), // out of range, would wrap
      record(RRType.MX, { preference: 10, exchange: 'mail.example.com.' }), // a string, not a Name
      record(RRType.TXT, { strings: [] }), // decodes to nothing
      record(RRType.DS, { keyTag: 1, algorithm: 13, digestType: 2, digest: new Uint8Array(3) }), // wrong length
      record(0xff00, { bytes: 'abc' }), // unknown type: octets needed
      record(RRType.TXT, { strings: Array.from({ length: 275 }, () => new Uint8Array(255)) }), // over 65535 octets
    );
    const found = problems.filter((p) => p.rule === 'rdata-invalid');
    expect(found.map((p) => p.type)).toEqual(['A', 'DS', 'MX', 'MX', 'TXT', 'TXT', 'TYPE65280']);
    expectProblem(problems, 'rdata-invalid', 'error', 'www.example.com.');
    expect(found.find((p) => p.type === 'DS')!.message).toMatch(/digest type 2 digest is 32 octets, got 3/);
    expect(found.some((p) => /exceeds 65535/.test(p.message))).toBe(true);
    expectNoProblem(problemsOf(rr('www', 'A', '192.0.2.1')), 'rdata-invalid');
  });

  it('duplicate: identical records collapse with a warning', () => {
    const { zone, problems } = Zone.build(ORIGIN, [
      ...baseRecords(),
      rr('www', 'A', '192.0.2.1'),
      rr('www', 'A', '192.0.2.1'),
      rr('alias', 'CNAME', 'Target.Example.NET.'),
      rr('ALIAS', 'CNAME', 'target.example.net.'),
    ]);
    expect(zone!.recordCount).toBe(5);
    expect(problems.filter((p) => p.rule === 'duplicate')).toHaveLength(2);
    expectProblem(problems, 'duplicate', 'warning', 'www.example.com.');
    expectNoProblem(problemsOf(rr('www', 'A', '192.0.2.1'), rr('www', 'A', '192.0.2.2')), 'duplicate');
  });

  it('ttl-mismatch: an RRset with two TTLs is an error by default', () => {
    const { zone, problems } = Zone.build(ORIGIN, [
      ...baseRecords(),
      rr('www', 'A', '192.0.2.1', 300),
      rr('www', 'A', '192.0.2.2', 600),
    ]);
    expect(zone).toBeUndefined();
    const p = expectProblem(problems, 'ttl-mismatch', 'error', 'www.example.com.');
    expect(p.message).toContain('300');
    expect(p.message).toContain('600');
    expectNoProblem(
      problemsOf(rr('www', 'A', '192.0.2.1', 300), rr('www', 'AAAA', '2001:db8::1', 600)),
      'ttl-mismatch',
    );
  });

  it("ttl-mismatch: policy 'lowest' takes the lowest TTL with a warning", () => {
    const { zone, problems } = Zone.build(
      ORIGIN,
      [
        ...baseRecords(),
        rr('www', 'A', '192.0.2.1', 600),
        rr('www', 'A', '192.0.2.2', 60),
        rr('www', 'A', '192.0.2.3', 300),
      ],
      { ttlPolicy: 'lowest' },
    );
    expect(zone!.get(n('www'), RRType.A)!.ttl).toBe(60);
    expectProblem(problems, 'ttl-mismatch', 'warning', 'www.example.com.');
  });

  it('RRSIGs keep their own TTLs: each has the TTL of the RRset it covers (RFC 4034 §3)', () => {
    for (const policy of ['reject', 'lowest'] as const) {
      const { zone, problems } = Zone.build(
        ORIGIN,
        [
          ...baseRecords(),
          rr('www', 'A', '192.0.2.1', 60),
          sig('www', 'A', 60),
          rr('www', 'TXT', '"t"', 3600),
          sig('www', 'TXT', 3600),
          sig('www', 'TXT', 3600, 2),
          sig('www', 'NSEC', 300),
        ],
        { ttlPolicy: policy },
      );
      expect(problems).toEqual([]);
      expect(texts(zone!.records()).filter((t) => t.includes('RRSIG'))).toEqual([
        'www.example.com. 60 IN RRSIG A 13 3 60 20350101000000 20250101000000 1 example.com. AAAA',
        'www.example.com. 3600 IN RRSIG TXT 13 3 3600 20350101000000 20250101000000 1 example.com. AAAA',
        'www.example.com. 3600 IN RRSIG TXT 13 3 3600 20350101000000 20250101000000 2 example.com. AAAA',
        'www.example.com. 300 IN RRSIG NSEC 13 3 300 20350101000000 20250101000000 1 example.com. AAAA',
      ]);
      const set = zone!.get(n('www'), RRType.RRSIG)!;
      expect(set.ttl).toBe(60);
      expect(set.ttls).toEqual([60, 3600, 3600, 300]);
    }
    // A duplicate signature collapses like any record, keeping the first one's TTL.
    const dup = Zone.build(ORIGIN, [
      ...baseRecords(),
      sig('www', 'A', 60),
      { ...sig('www', 'A', 60), ttl: 120 },
    ]);
    expectProblem(dup.problems, 'duplicate', 'warning', 'www.example.com.');
    expect(zone(dup).get(n('www'), RRType.RRSIG)!.ttls).toEqual([60]);
  });

  it('lists every rule once in the catalogue', () => {
    const ids = ZONE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'soa-apex',
      'cname-loop',
      'missing-glue',
      'wildcard-dname',
      'not-found',
      'ttl-mismatch',
      'ds-placement',
      'dname-ns',
      'rdata-invalid',
    ])
      expect(ids).toContain(id);
    for (const r of ZONE_RULES) expect(r.rfc).toMatch(/^RFC \d+/);
  });
});
