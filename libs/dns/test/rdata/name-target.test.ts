import { describe, expect, it } from 'vitest';
import {
  RRType,
  codecFor,
  printRdata,
  rdataToWire,
  typeToString,
  type TargetRdata,
} from '../../src/index.js';
import {
  decodeBytes,
  expectDnsError,
  expectWireError,
  fromHex,
  hex,
  name,
  parseText,
  roundTrip,
} from '../support/rdata-assert.js';

const types = [RRType.NS, RRType.CNAME, RRType.PTR, RRType.DNAME];

describe.each(types.map((t) => [typeToString(t), t] as const))('%s', (mnemonic, type) => {
  it('parses an absolute name, prints it and round-trips through the wire', () => {
    const { value, printed, wire } = roundTrip<TargetRdata>(type, 'NS1.Example.COM.');
    expect(value.target.toString()).toBe('NS1.Example.COM.');
    expect(printed).toBe('NS1.Example.COM.');
    expect(hex(wire)).toBe('034e5331074578616d706c6503434f4d00');
  });

  it('resolves relative names and @ against the origin', () => {
    expect(parseText<TargetRdata>(type, 'ns1', 'example.com.').target.toString()).toBe('ns1.example.com.');
    expect(parseText<TargetRdata>(type, '@', 'example.com.').target.toString()).toBe('example.com.');
  });

  it('prints relative to an origin when asked', () => {
    const origin = name('example.com.');
    const v = parseText<TargetRdata>(type, 'ns1.example.com.');
    expect(printRdata(type, v, { origin })).toBe('ns1');
    expect(printRdata(type, parseText(type, 'example.com.'), { origin })).toBe('@');
    expect(printRdata(type, parseText(type, 'ns.example.net.'), { origin })).toBe('ns.example.net.');
  });

  it('reads a relative print back with the letter case of the origin', () => {
    const v = parseText<TargetRdata>(type, 'NS1.Example.COM.');
    const rel = printRdata(type, v, { origin: name('example.com.') });
    expect(rel).toBe('NS1');
    const back = parseText<TargetRdata>(type, rel, 'example.com.');
    expect(back.target.toString()).toBe('NS1.example.com.');
    expect(back.target.equals(v.target)).toBe(true);
  });

  it('lowercases the name in canonical form (RFC 4034 §6.2)', () => {
    const v = parseText<TargetRdata>(type, 'NS1.Example.');
    expect(hex(rdataToWire(type, v, true))).toBe('036e7331076578616d706c6500');
  });

  it('names the target as a target', () => {
    const v = parseText<TargetRdata>(type, 'ns1.example.');
    expect(codecFor(type)!.targets!(v).map(String)).toEqual(['ns1.example.']);
  });

  it('rejects missing, extra and malformed names', () => {
    expectDnsError(() => parseText(type, ''), 'rdata.empty', new RegExp(`^${mnemonic} value is empty`));
    expectDnsError(
      () => parseText(type, 'a.example. b.example.'),
      'rdata.extra-field',
      new RegExp(`after the last field of ${mnemonic}`),
    );
    expectDnsError(() => parseText(type, 'ns1'), 'name.no-origin', /^target: 'ns1' is relative/);
    const e = expectDnsError(
      () => parseText(type, `${'x'.repeat(64)}.example.`),
      'name.label-too-long',
      /^target: /,
    );
    expect(e.field).toBe('target');
    expect(e.position).toEqual({ line: 1, column: 1 });
    expectDnsError(() => parseText(type, 'a..example.'), 'name.empty-label');
  });

  it('rejects bad wire data', () => {
    expectWireError(() => decodeBytes(type, fromHex('03616263')), /truncated target/);
    expectWireError(
      () => decodeBytes(type, fromHex('0361626300ff')),
      /has 1 octet\(s\) after its last field/,
    );
    expectWireError(
      () => decodeBytes(type, fromHex('c000')),
      type === RRType.DNAME ? /is compressed, which this field does not allow/ : /does not point backwards/,
    );
    expectWireError(() => decodeBytes(type, new Uint8Array(0)), /truncated/);
  });
});

describe('name-target types: targets of NS and CNAME', () => {
  it('the root is a valid target', () => {
    const { printed, wire } = roundTrip(RRType.CNAME, '.');
    expect(printed).toBe('.');
    expect(hex(wire)).toBe('00');
  });

  it('underscore and wildcard names are accepted as written', () => {
    expect(roundTrip(RRType.CNAME, '_acme-challenge.example.').printed).toBe('_acme-challenge.example.');
    expect(roundTrip(RRType.PTR, '*.example.').printed).toBe('*.example.');
  });
});
