import { describe, expect, it } from 'vitest';
import { RRType, type Zone } from '../../src/index.js';
import { expectProblem, n, rr, texts, zoneWith } from './helpers.js';

function snapshot(zone: Zone): { records: string[]; count: number } {
  return { records: texts(zone.records()), count: zone.recordCount };
}

describe('Zone.replaceRRsets', () => {
  it('replaces and removes whole RRsets, keeps the zone spelling and reports a canonical diff', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'), rr('b', 'A', '192.0.2.2'), rr('b', 'TXT', '"x"'));
    const result = zone.replaceRRsets([
      // Given out of canonical order: the diff still comes out sorted.
      { name: n('z'), type: RRType.A, ttl: 60, rdatas: [{ address: '192.0.2.9' }] },
      {
        name: n('WWW'),
        type: RRType.A,
        ttl: 300,
        rdatas: [{ address: '192.0.2.3' }, { address: '192.0.2.4' }],
      },
      { name: n('b'), type: RRType.TXT, ttl: 0, rdatas: [] },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(texts(result.diff.removed)).toEqual([
      'b.example.com. 300 IN TXT "x"',
      'www.example.com. 300 IN A 192.0.2.1',
    ]);
    expect(texts(result.diff.added)).toEqual([
      'www.example.com. 300 IN A 192.0.2.3',
      'www.example.com. 300 IN A 192.0.2.4',
      'z.example.com. 60 IN A 192.0.2.9',
    ]);
    expect(zone.get(n('www'), RRType.A)!.name.toString()).toBe('www.example.com.');
    expect(zone.has(n('z'))).toBe(true);
  });

  it('an RRset that ends up as it was is no change', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const result = zone.replaceRRsets([
      { name: n('www'), type: RRType.A, ttl: 300, rdatas: [{ address: '192.0.2.1' }] },
    ]);
    expect(result).toMatchObject({ ok: true, diff: { removed: [], added: [] } });
  });

  it('the zone rules judge the result: a CNAME beside other data is refused and nothing changes', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const before = snapshot(zone);
    const result = zone.replaceRRsets([
      { name: n('new'), type: RRType.A, ttl: 300, rdatas: [{ address: '192.0.2.7' }] },
      { name: n('www'), type: RRType.CNAME, ttl: 300, rdatas: [{ target: n('new') }] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expectProblem(result.errors, 'cname-exclusive', 'error', 'www.example.com.');
    expect(snapshot(zone)).toEqual(before);
  });

  it('an owner outside the zone is refused by name and nothing changes', () => {
    const zone = zoneWith(rr('www', 'A', '192.0.2.1'));
    const before = snapshot(zone);
    const result = zone.replaceRRsets([
      { name: n('www'), type: RRType.A, ttl: 300, rdatas: [] },
      { name: n('example.net.'), type: RRType.A, ttl: 300, rdatas: [{ address: '192.0.2.7' }] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expectProblem(result.errors, 'out-of-zone', 'error', 'example.net.');
    expect(snapshot(zone)).toEqual(before);
  });
});
