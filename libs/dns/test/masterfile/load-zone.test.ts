import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Name, RRType, loadZoneFile, recordToString, type ResourceRecord } from '../../src/index.js';

const origin = Name.parse('example.com.');
const head = '$TTL 300\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n';

describe('loadZoneFile', () => {
  test('a good file gives a zone and no issues', () => {
    const r = loadZoneFile(head + 'www A 192.0.2.80\n', origin);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.zone?.recordCount).toBe(4);
    expect(r.zone?.get(Name.parse('www.example.com.'), RRType.A)?.ttl).toBe(300);
  });

  test('syntax errors come with line and column, and no zone', () => {
    const r = loadZoneFile(head + 'www A 192.0.2.800\nmail MX ten mail\n', origin);
    expect(r.zone).toBeUndefined();
    expect(r.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [5, 7, 'field.ipv4'],
      [6, 9, 'field.integer'],
    ]);
  });

  test('zone-rule errors name the rule, the RFC and the line of the offending records', () => {
    const r = loadZoneFile(head + 'www A 192.0.2.80\nwww CNAME ns1\n', origin);
    expect(r.zone).toBeUndefined();
    const e = r.errors.find((x) => x.code === 'cname-exclusive');
    expect(e).toBeDefined();
    expect(e!.severity).toBe('error');
    expect(e!.rfc).toMatch(/RFC 1034 §3\.6\.2|RFC 2181 §10\.1/);
    expect(e!.name).toBe('www.example.com.');
    expect([5, 6]).toContain(e!.line);
  });

  test('a zone without SOA is rejected', () => {
    const r = loadZoneFile('$TTL 1\n@ NS ns1\nns1 A 192.0.2.1\n', origin);
    expect(r.zone).toBeUndefined();
    expect(r.errors.map((e) => e.code)).toContain('soa-apex');
  });

  test('mismatched TTLs in one RRset: rejected by default, normalised to the lowest on request', () => {
    const text = head + 'www 300 A 192.0.2.1\nwww 60 A 192.0.2.2\n';
    const strict = loadZoneFile(text, origin);
    expect(strict.zone).toBeUndefined();
    expect(strict.errors.map((e) => [e.code, e.rfc])).toEqual([['ttl-mismatch', 'RFC 2181 §5.2']]);
    expect(strict.errors[0]!.line).toBe(5);
    const lenient = loadZoneFile(text, origin, { ttlPolicy: 'lowest' });
    expect(lenient.errors).toEqual([]);
    expect(lenient.warnings.map((w) => w.code)).toEqual(['ttl-mismatch']);
    expect(lenient.zone?.get(Name.parse('www.example.com.'), RRType.A)?.ttl).toBe(60);
  });

  test('a zone signed by dnssec-signzone with RRsets of different TTLs loads, and its TTLs survive', () => {
    const file = path.join(import.meta.dirname, '..', 'fixtures', 'zones', 'signed-mixed-ttl.example.zone');
    const mixed = Name.parse('mixed.example.');
    const r = loadZoneFile(readFileSync(file, 'utf8'), mixed);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const show = (records: Iterable<ResourceRecord>) => [...records].map((x) => recordToString(x)).sort();
    expect(show(r.zone!.records())).toEqual(show(r.records));
    const sigs = r.zone!.get(Name.parse('www.mixed.example.'), RRType.RRSIG)!;
    expect(new Set(sigs.ttls)).toEqual(new Set([60, 120, 300]));
  });

  test('warnings do not stop the zone loading', () => {
    const r = loadZoneFile(head + 'www A 192.0.2.80\nwww A 192.0.2.80\n', origin);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => [w.code, w.line])).toEqual([['duplicate', 5]]);
    expect(r.zone).toBeDefined();
  });
});
