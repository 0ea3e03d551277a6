import { describe, expect, it } from 'vitest';
import { Name, rdataFromText, RRType, Zone, type ResourceRecord } from '../../src/index.js';

// Sanity bounds, deliberately generous: they catch a full-zone scan or a
// quadratic step, not small slowdowns.

const origin = Name.parse('example.com.');

function largeZone(size: number): ResourceRecord[] {
  const record = (name: string, type: number, text: string, ttl = 300): ResourceRecord => ({
    name: Name.parse(name),
    type,
    class: 1,
    ttl,
    data: rdataFromText(type, text),
  });
  const out = [
    record(
      'example.com.',
      RRType.SOA,
      'ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300',
      3600,
    ),
    record('example.com.', RRType.NS, 'ns1.example.com.', 3600),
    record('ns1.example.com.', RRType.A, '192.0.2.53'),
    record('mail.example.com.', RRType.A, '192.0.2.25'),
  ];
  const mx = rdataFromText(RRType.MX, '10 mail.example.com.');
  for (let i = 0; out.length < size; i++) {
    const host = `h${i}.d${i % 500}.example.com.`;
    switch (i % 4) {
      case 0:
        out.push({
          name: Name.parse(host),
          type: RRType.A,
          class: 1,
          ttl: 300,
          data: { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
        });
        break;
      case 1:
        out.push(record(host, RRType.CNAME, `h${i - 1}.d${(i - 1) % 500}.example.com.`));
        break;
      case 2:
        out.push({ name: Name.parse(host), type: RRType.MX, class: 1, ttl: 300, data: mx });
        break;
      default:
        out.push(record(host, RRType.TXT, `"v=${i}"`));
    }
  }
  return out;
}

describe('performance (200,000 records)', () => {
  it('builds, checks and applies small changes incrementally', () => {
    const records = largeZone(200_000);
    let t = performance.now();
    const { zone, problems } = Zone.build(origin, records);
    const buildMs = performance.now() - t;
    expect(problems).toEqual([]);
    expect(zone!.recordCount).toBe(200_000);
    expect(buildMs).toBeLessThan(15_000);

    t = performance.now();
    expect(zone!.check()).toEqual([]);
    expect(performance.now() - t).toBeLessThan(15_000);

    // A one-record change, and one at a name 50,000 MX records point at.
    const changes = [
      [
        {
          op: 'create',
          record: {
            name: Name.parse('new.d7.example.com.'),
            type: RRType.A,
            class: 1,
            ttl: 300,
            data: { address: '192.0.2.7' },
          },
        },
      ],
      [
        {
          op: 'update',
          from: {
            name: Name.parse('mail.example.com.'),
            type: RRType.A,
            class: 1,
            ttl: 300,
            data: { address: '192.0.2.25' },
          },
          to: {
            name: Name.parse('mail.example.com.'),
            type: RRType.A,
            class: 1,
            ttl: 300,
            data: { address: '192.0.2.26' },
          },
        },
      ],
      [
        {
          op: 'delete',
          record: {
            name: Name.parse('h0.d0.example.com.'),
            type: RRType.A,
            class: 1,
            ttl: 300,
            data: { address: '10.0.0.0' },
          },
        },
        {
          op: 'create',
          record: {
            name: Name.parse('h0.d0.example.com.'),
            type: RRType.A,
            class: 1,
            ttl: 300,
            data: { address: '10.9.9.9' },
          },
        },
      ],
    ] as const;
    for (const change of changes) {
      t = performance.now();
      const result = zone!.apply([...change]);
      const applyMs = performance.now() - t;
      expect(result.ok).toBe(true);
      expect(applyMs).toBeLessThan(50);
    }
    expect(zone!.recordCount).toBe(200_001);
  }, 60_000);
});
