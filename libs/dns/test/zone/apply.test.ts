import { describe, expect, it, vi } from 'vitest';
import { diffZones, RRType, Zone, type Change } from '../../src/index.js';
import { ZoneContext } from '../../src/zone/context.js';
import { NameTree } from '../../src/zone/tree.js';
import { baseRecords, expectProblem, n, ORIGIN, rr, sig, texts, zoneOf, zoneWith } from './helpers.js';

function snapshot(zone: Zone): { records: string[]; count: number } {
  return { records: texts(zone.records()), count: zone.recordCount };
}

function applyOk(zone: Zone, changes: Change[]) {
  const result = zone.apply(changes);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result;
}

describe('Zone.apply: operations', () => {
  it('create adds a record and reports it in the diff', () => {
    const zone = zoneWith();
    const result = applyOk(zone, [{ op: 'create', record: rr('www', 'A', '192.0.2.1') }]);
    expect(texts(result.diff.added)).toEqual(['www.example.com. 300 IN A 192.0.2.1']);
    expect(result.diff.removed).toEqual([]);
    expect(zone.recordCount).toBe(4);
    expect(zone.has(n('www'))).toBe(true);
  });

  it('create of an identical record is a no-op with a duplicate warning', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const result = applyOk(zone, [{ op: 'create', record: rr('WWW', 'A', '192.0.2.1') }]);
    expect(result.diff).toEqual({ removed: [], added: [] });
    expectProblem(result.warnings, 'duplicate', 'warning', 'WWW.example.com.');
    expect(zone.recordCount).toBe(4);
  });

  it('create into an RRset with another TTL is an error naming both TTLs and suggesting replace', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1', 300));
    const result = zone.apply([{ op: 'create', record: rr('www', 'A', '192.0.2.2', 600) }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const p = expectProblem(result.errors, 'ttl-mismatch', 'error', 'www.example.com.');
    expect(p.message).toMatch(/300.*600/);
    expect(p.message).toContain('replace');
    expect(p.message).toContain('change 1 (create)');
  });

  it("with ttlPolicy 'lowest' the RRset takes the lowest TTL (a remove and add in the diff)", () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1', 300));
    const result = zone.apply([{ op: 'create', record: rr('www', 'A', '192.0.2.2', 60) }], {
      ttlPolicy: 'lowest',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expectProblem(result.warnings, 'ttl-mismatch', 'warning');
    expect(zone.get(n('www'), RRType.A)!.ttl).toBe(60);
    expect(texts(result.diff.removed)).toEqual(['www.example.com. 300 IN A 192.0.2.1']);
    expect(texts(result.diff.added)).toEqual([
      'www.example.com. 60 IN A 192.0.2.1',
      'www.example.com. 60 IN A 192.0.2.2',
    ]);
  });

  it('delete removes a record regardless of the TTL given; the name goes when it is empty', () => {
    const zone = zoneWith(rr('a.www', 'A', '192.0.2.1'));
    const result = applyOk(zone, [{ op: 'delete', record: rr('a.www', 'A', '192.0.2.1', 9999) }]);
    expect(texts(result.diff.removed)).toEqual(['a.www.example.com. 300 IN A 192.0.2.1']);
    expect(zone.has(n('a.www'))).toBe(false);
    expect(zone.nameExists(n('www'))).toBe(false);
  });

  it('delete or update of a missing record is a not-found error', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    for (const change of [
      { op: 'delete', record: rr('www', 'A', '192.0.2.9') },
      { op: 'delete', record: rr('nothing', 'A', '192.0.2.1') },
      { op: 'update', from: rr('www', 'AAAA', '2001:db8::1'), to: rr('www', 'AAAA', '2001:db8::2') },
    ] satisfies Change[]) {
      const result = zone.apply([change]);
      expect(result.ok).toBe(false);
      if (!result.ok) expectProblem(result.errors, 'not-found', 'error');
    }
  });

  it('update replaces one record', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'), rr('www', 'A', '192.0.2.2'));
    const result = applyOk(zone, [
      { op: 'update', from: rr('www', 'A', '192.0.2.1'), to: rr('www', 'A', '192.0.2.3') },
    ]);
    expect(texts(result.diff.removed)).toEqual(['www.example.com. 300 IN A 192.0.2.1']);
    expect(texts(result.diff.added)).toEqual(['www.example.com. 300 IN A 192.0.2.3']);
  });

  it('update may change the TTL of a single-record RRset', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1', 300));
    applyOk(zone, [{ op: 'update', from: rr('www', 'A', '192.0.2.1'), to: rr('www', 'A', '192.0.2.1', 60) }]);
    expect(zone.get(n('www'), RRType.A)!.ttl).toBe(60);
  });

  it('replace sets a whole RRset with its TTL; empty rdatas delete it', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'), rr('www', 'A', '192.0.2.2'));
    const data = [
      rr('x', 'A', '192.0.2.7').data,
      rr('x', 'A', '192.0.2.2').data,
      rr('x', 'A', '192.0.2.2').data,
    ];
    const result = applyOk(zone, [{ op: 'replace', name: n('www'), type: RRType.A, ttl: 120, rdatas: data }]);
    expectProblem(result.warnings, 'duplicate', 'warning');
    expect(texts(result.diff.removed)).toHaveLength(2);
    expect(texts(result.diff.added)).toEqual([
      'www.example.com. 120 IN A 192.0.2.2',
      'www.example.com. 120 IN A 192.0.2.7',
    ]);
    applyOk(zone, [{ op: 'replace', name: n('www'), type: RRType.A, ttl: 0, rdatas: [] }]);
    expect(zone.has(n('www'))).toBe(false);
    // Deleting an RRset that is not there is a no-op.
    expect(
      applyOk(zone, [{ op: 'replace', name: n('www'), type: RRType.A, ttl: 0, rdatas: [] }]).diff.added,
    ).toEqual([]);
  });

  it('rejects records outside the zone, of another class or of a meta-type', () => {
    const zone = zoneWith();
    const cases: [Change, string][] = [
      [{ op: 'create', record: rr('www.example.org.', 'A', '192.0.2.1') }, 'out-of-zone'],
      [{ op: 'create', record: rr('www', 'TXT', '"x"', 300, 3) }, 'class'],
      [{ op: 'replace', name: n('www'), type: RRType.AXFR, ttl: 0, rdatas: [] }, 'meta-type'],
    ];
    for (const [change, rule] of cases) {
      const result = zone.apply([change]);
      expect(result.ok).toBe(false);
      if (!result.ok) expectProblem(result.errors, rule, 'error');
    }
  });

  it('a create undone by a delete in the same set changes nothing', () => {
    const zone = zoneWith();
    const result = applyOk(zone, [
      { op: 'create', record: rr('tmp', 'A', '192.0.2.1') },
      { op: 'delete', record: rr('tmp', 'A', '192.0.2.1') },
    ]);
    expect(result.diff).toEqual({ removed: [], added: [] });
  });
});

describe('Zone.apply: RRSIGs keep their own TTLs (RFC 4034 §3)', () => {
  it('create, delete and update of signatures with different TTLs', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1', 60), sig('www', 'A', 60));
    const created = applyOk(zone, [
      { op: 'create', record: rr('www', 'TXT', '"t"', 3600) },
      { op: 'create', record: sig('www', 'TXT', 3600) },
    ]);
    expect(texts(created.diff.added)).toEqual([
      'www.example.com. 3600 IN TXT "t"',
      'www.example.com. 3600 IN RRSIG TXT 13 3 3600 20350101000000 20250101000000 1 example.com. AAAA',
    ]);
    expect(zone.get(n('www'), RRType.RRSIG)!.ttls).toEqual([60, 3600]);

    // A TTL change of one signature (update) touches that record only.
    const updated = applyOk(zone, [
      { op: 'update', from: sig('www', 'A', 60), to: { ...sig('www', 'A', 60), ttl: 90 } },
    ]);
    expect(texts(updated.diff.removed)).toEqual([
      'www.example.com. 60 IN RRSIG A 13 3 60 20350101000000 20250101000000 1 example.com. AAAA',
    ]);
    expect(texts(updated.diff.added)).toEqual([
      'www.example.com. 90 IN RRSIG A 13 3 60 20350101000000 20250101000000 1 example.com. AAAA',
    ]);
    expect(texts(zone.records()).filter((t) => t.includes('RRSIG'))).toEqual([
      'www.example.com. 90 IN RRSIG A 13 3 60 20350101000000 20250101000000 1 example.com. AAAA',
      'www.example.com. 3600 IN RRSIG TXT 13 3 3600 20350101000000 20250101000000 1 example.com. AAAA',
    ]);

    const deleted = applyOk(zone, [{ op: 'delete', record: { ...sig('www', 'TXT', 3600), ttl: 0 } }]);
    expect(texts(deleted.diff.removed)).toEqual([
      'www.example.com. 3600 IN RRSIG TXT 13 3 3600 20350101000000 20250101000000 1 example.com. AAAA',
    ]);
    expect(zone.get(n('www'), RRType.RRSIG)!.ttls).toEqual([90]);
    expect(zone.check()).toEqual([]);
  });

  it('replace gives every signature at the name the one TTL it names', () => {
    const zone = zoneWith(sig('www', 'A', 60), sig('www', 'TXT', 3600));
    const r = applyOk(zone, [
      { op: 'replace', name: n('www'), type: RRType.RRSIG, ttl: 300, rdatas: [sig('www', 'A', 60).data] },
    ]);
    expect(texts(r.diff.removed)).toHaveLength(2);
    expect(texts(r.diff.added)).toEqual([
      'www.example.com. 300 IN RRSIG A 13 3 60 20350101000000 20250101000000 1 example.com. AAAA',
    ]);
  });
});

describe('Zone.apply: record data is checked on admission', () => {
  it('create, update and replace with invalid data are refused as rdata-invalid', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const before = snapshot(zone);
    const wrong = { ...rr('www', 'A', '192.0.2.2'), data: rr('x', 'AAAA', '2001:db8::1').data };
    const r = zone.apply([
      { op: 'create', record: wrong },
      { op: 'update', from: rr('www', 'A', '192.0.2.1'), to: { ...wrong, data: { address: '192.0.2.999' } } },
      { op: 'replace', name: n('www'), type: RRType.A, ttl: 300, rdatas: [{ address: 7 }] },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.rule)).toEqual(['rdata-invalid', 'rdata-invalid', 'rdata-invalid']);
      expect(r.errors[0]!.message).toMatch(
        /^change 1 \(create\): www.example.com. A has data that is not valid A RDATA/,
      );
    }
    expect(snapshot(zone)).toEqual(before);
  });
});

describe('Zone.apply: atomicity', () => {
  it('a bad operation in the middle leaves the zone untouched', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const before = snapshot(zone);
    const result = zone.apply([
      { op: 'create', record: rr('new', 'A', '192.0.2.5') },
      { op: 'delete', record: rr('missing', 'A', '192.0.2.1') },
      { op: 'delete', record: rr('www', 'A', '192.0.2.1') },
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.rule)).toEqual(['not-found']);
    expect(snapshot(zone)).toEqual(before);
  });

  it('a change set that breaks a rule is rolled back completely', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'), rr('mail', 'A', '192.0.2.25'));
    const before = snapshot(zone);
    const result = zone.apply([
      { op: 'create', record: rr('new.deep.name', 'A', '192.0.2.5') },
      { op: 'delete', record: rr('mail', 'A', '192.0.2.25') },
      { op: 'create', record: rr('www', 'CNAME', 'elsewhere.example.net.') },
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) expectProblem(result.errors, 'cname-exclusive', 'error', 'www.example.com.');
    expect(snapshot(zone)).toEqual(before);
    expect(zone.nameExists(n('deep.name'))).toBe(false);
    expect(zone.check()).toEqual([]);
    // The zone still works normally afterwards.
    expect(zone.apply([{ op: 'create', record: rr('new', 'A', '192.0.2.5') }]).ok).toBe(true);
  });

  it('removing an RRset of 150,000 records works and is one diff', () => {
    const big = Array.from({ length: 150_000 }, (_, i) =>
      rr('big', 'A', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`),
    );
    const zone = zoneOf(Zone.build(ORIGIN, [...baseRecords(), ...big]));
    const result = applyOk(zone, [{ op: 'replace', name: n('big'), type: RRType.A, ttl: 300, rdatas: [] }]);
    expect(result.diff.removed).toHaveLength(150_000);
    expect(zone.recordCount).toBe(3);
  });

  it('an exception while the change is swapped in leaves the zone untouched', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'), rr('mail', 'A', '192.0.2.25'));
    const before = snapshot(zone);
    const original = NameTree.prototype.setRRsets;
    let calls = 0;
    const spy = vi.spyOn(NameTree.prototype, 'setRRsets').mockImplementation(function (
      this: NameTree,
      ...args
    ) {
      // The second name fails half-way through the commit; restoring works normally.
      if (++calls === 2) throw new Error('disk on fire');
      return original.apply(this, args);
    });
    try {
      expect(() =>
        zone.apply([
          { op: 'delete', record: rr('mail', 'A', '192.0.2.25') },
          { op: 'create', record: rr('new', 'A', '192.0.2.5') },
          { op: 'create', record: rr('www', 'AAAA', '2001:db8::1') },
        ]),
      ).toThrow('disk on fire');
    } finally {
      spy.mockRestore();
    }
    expect(snapshot(zone)).toEqual(before);
    expect(zone.has(n('new'))).toBe(false);
    expect(zone.check()).toEqual([]);
  });

  it('an exception while checking leaves the zone untouched', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const before = snapshot(zone);
    const spy = vi.spyOn(ZoneContext.prototype, 'isCut').mockImplementation(() => {
      throw new Error('rule crashed');
    });
    try {
      expect(() => zone.apply([{ op: 'create', record: rr('sub', 'NS', 'ns1.example.net.') }])).toThrow(
        'rule crashed',
      );
    } finally {
      spy.mockRestore();
    }
    expect(snapshot(zone)).toEqual(before);
  });
});

describe('Zone.apply: rules see the end state', () => {
  const swap = {
    removeA: { op: 'delete', record: rr('www', 'A', '192.0.2.1') } as Change,
    addCname: { op: 'create', record: rr('www', 'CNAME', 'web.example.net.') } as Change,
  };

  it('swaps an A RRset for a CNAME in either order', () => {
    for (const order of [
      [swap.removeA, swap.addCname],
      [swap.addCname, swap.removeA],
    ]) {
      const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
      const result = applyOk(zone, order);
      expect(texts(result.diff.removed)).toEqual(['www.example.com. 300 IN A 192.0.2.1']);
      expect(texts(result.diff.added)).toEqual(['www.example.com. 300 IN CNAME web.example.net.']);
      expect(zone.get(n('www'), RRType.CNAME)).toBeDefined();
    }
  });

  it('adding the CNAME alone fails', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const result = zone.apply([swap.addCname]);
    expect(result.ok).toBe(false);
  });

  it('apply equals diffZones(before, after)', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'), rr('mail', 'MX', '10 mx'), rr('mx', 'A', '192.0.2.2'));
    const before = zone.clone();
    const result = applyOk(zone, [
      { op: 'replace', name: n('www'), type: RRType.A, ttl: 60, rdatas: [rr('www', 'A', '192.0.2.1').data] },
      { op: 'create', record: rr('mail', 'MX', '20 mx2') },
      { op: 'create', record: rr('mx2', 'AAAA', '2001:db8::25') },
      { op: 'delete', record: rr('mx', 'A', '192.0.2.2') },
      { op: 'create', record: rr('mx', 'AAAA', '2001:db8::2') },
    ]);
    const expected = diffZones(before, zone);
    expect(texts(result.diff.removed)).toEqual(texts(expected.removed));
    expect(texts(result.diff.added)).toEqual(texts(expected.added));
  });
});

describe('Zone.apply: incremental checks reach the names a change affects', () => {
  it('a new loop through untouched names', () => {
    const zone = zoneWith(rr('a', 'CNAME', 'b'), rr('b', 'CNAME', 'c'), rr('c', 'A', '192.0.2.1'));
    const result = zone.apply([
      { op: 'delete', record: rr('c', 'A', '192.0.2.1') },
      { op: 'create', record: rr('c', 'CNAME', 'a') },
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok)
      for (const o of ['a', 'b', 'c'])
        expectProblem(result.errors, 'cname-loop', 'error', `${o}.example.com.`);
  });

  it('a new delegation hides existing data below it', () => {
    const zone = zoneWith(rr('www.sub', 'TXT', '"x"'), rr('ns.sub', 'A', '192.0.2.9'));
    const result = applyOk(zone, [{ op: 'create', record: rr('sub', 'NS', 'ns.sub') }]);
    expectProblem(result.warnings, 'occluded', 'warning', 'www.sub.example.com.');
  });

  it('removing glue that a delegation needs fails', () => {
    const zone = zoneWith(rr('sub', 'NS', 'ns.sub'), rr('ns.sub', 'A', '192.0.2.9'));
    const result = zone.apply([{ op: 'delete', record: rr('ns.sub', 'A', '192.0.2.9') }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expectProblem(result.errors, 'missing-glue', 'error', 'sub.example.com.');
  });

  it('turning a mail target into a CNAME warns at the MX owner', () => {
    const zone = zoneWith(rr('@', 'MX', '10 mail', 3600), rr('mail', 'A', '192.0.2.25'));
    const result = applyOk(zone, [
      { op: 'delete', record: rr('mail', 'A', '192.0.2.25') },
      { op: 'create', record: rr('mail', 'CNAME', 'mx.example.net.') },
    ]);
    expectProblem(result.warnings, 'target-cname', 'warning', 'example.com.');
  });

  it('a new DNAME hides the names below it', () => {
    const zone = zoneWith(rr('www.old', 'A', '192.0.2.1'));
    const result = applyOk(zone, [{ op: 'create', record: rr('old', 'DNAME', 'example.net.') }]);
    expectProblem(result.warnings, 'dname-occludes', 'warning', 'www.old.example.com.');
  });

  it('a new DNAME can close a loop with existing CNAMEs', () => {
    const zone = zoneWith(rr('www.e', 'CNAME', 'www.d'));
    const result = zone.apply([{ op: 'create', record: rr('d', 'DNAME', 'e.example.com.') }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expectProblem(result.errors, 'cname-loop', 'error', 'www.e.example.com.');
  });

  it('removing a delegation can open a loop that enters it through a DNAME from elsewhere', () => {
    // q.d.sub -> (DNAME d.sub) q.y -> (CNAME) q.d.sub.e -> (DNAME e, to the apex) q.d.sub: a loop
    // once sub is no longer delegated. No name on it is touched or points into sub.
    const zone = zoneWith(
      rr('sub', 'NS', 'ns.example.net.'),
      rr('d.sub', 'DNAME', 'y.example.com.'),
      rr('q.y', 'CNAME', 'q.d.sub.e.example.com.'),
      rr('e', 'DNAME', 'example.com.'),
    );
    const result = zone.apply([{ op: 'delete', record: rr('sub', 'NS', 'ns.example.net.') }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expectProblem(result.errors, 'cname-loop', 'error', 'q.y.example.com.');
  });

  it('renaming the NS target of a cut leaves the old glue unreferenced', () => {
    const zone = zoneWith(
      rr('sub', 'NS', 'ns.sub'),
      rr('ns.sub', 'A', '192.0.2.9'),
      rr('ns2.sub', 'A', '192.0.2.10'),
    );
    const result = applyOk(zone, [
      { op: 'update', from: rr('sub', 'NS', 'ns.sub'), to: rr('sub', 'NS', 'ns2.sub') },
    ]);
    expectProblem(result.warnings, 'glue-unreferenced', 'warning', 'ns.sub.example.com.');
  });

  it('deleting the SOA or the apex NS fails', () => {
    const zone = zoneWith();
    const soa = zone.apply([{ op: 'replace', name: n('@'), type: RRType.SOA, ttl: 0, rdatas: [] }]);
    expect(soa.ok).toBe(false);
    if (!soa.ok) expectProblem(soa.errors, 'soa-apex', 'error', 'example.com.');
    const ns = zone.apply([{ op: 'delete', record: rr('@', 'NS', 'ns1') }]);
    expect(ns.ok).toBe(false);
    if (!ns.ok) expectProblem(ns.errors, 'ns-apex', 'error', 'example.com.');
  });
});
