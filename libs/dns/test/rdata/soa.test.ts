import { describe, expect, it } from 'vitest';
import { RRType, printRdata, rdataToWire, type SOARdata } from '../../src/index.js';
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

const SOA = RRType.SOA;
const simple = 'ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300';

describe('SOA (RFC 1035 §3.3.13)', () => {
  it('parses, prints and round-trips through the wire', () => {
    const { value, printed, wire } = roundTrip<SOARdata>(SOA, simple);
    expect(value.mname.toString()).toBe('ns1.example.com.');
    expect(value.rname.toString()).toBe('hostmaster.example.com.');
    expect([value.serial, value.refresh, value.retry, value.expire, value.minimum]).toEqual([
      2024010101, 7200, 3600, 1209600, 300,
    ]);
    expect(printed).toBe(simple);
    expect(hex(wire)).toBe(
      '036e7331076578616d706c6503636f6d00' +
        '0a686f73746d6173746572076578616d706c6503636f6d00' +
        '78a3f175' +
        '00001c20' +
        '00000e10' +
        '00127500' +
        '0000012c',
    );
  });

  it('reads the usual multi-line form with comments, relative names and timer units', () => {
    const text = `ns1 hostmaster (
        2024010101 ; serial
        2h         ; refresh
        1H         ; retry
        2w         ; expire
        5m )       ; minimum`;
    const v = parseText<SOARdata>(SOA, text, 'example.com.');
    expect(printRdata(SOA, v)).toBe(simple);
  });

  it('prints names relative to the origin, timers in seconds', () => {
    const v = parseText<SOARdata>(SOA, '@ hostmaster 1 1h 15m 1w 1d', 'example.com.');
    expect(printRdata(SOA, v, { origin: name('example.com.') })).toBe('@ hostmaster 1 3600 900 604800 86400');
    expect(printRdata(SOA, v, { origin: name('example.net.') })).toBe(
      'example.com. hostmaster.example.com. 1 3600 900 604800 86400',
    );
  });

  it('accepts the full 32-bit range for serial and timers', () => {
    const v = parseText<SOARdata>(SOA, '. . 4294967295 4294967295 0 0 4294967295');
    expect(v.serial).toBe(0xffffffff);
    expect(v.refresh).toBe(0xffffffff);
    expect(hex(rdataToWire(SOA, v))).toBe(
      '0000' + 'ffffffff' + 'ffffffff' + '00000000' + '00000000' + 'ffffffff',
    );
  });

  it('lowercases both names in canonical form', () => {
    const v = parseText<SOARdata>(SOA, 'NS1.Example. HostMaster.Example. 1 2 3 4 5');
    expect(hex(rdataToWire(SOA, v, true))).toBe(
      '036e7331076578616d706c6500' +
        '0a686f73746d6173746572076578616d706c6500' +
        '00000001000000020000000300000004' +
        '00000005',
    );
  });

  it('rejects a missing field, naming it', () => {
    const e = expectDnsError(
      () => parseText(SOA, 'ns1.example.com. hostmaster.example.com. 1 2 3 4'),
      'rdata.missing-field',
      /^minimum: SOA is missing its minimum field$/,
    );
    expect(e.field).toBe('minimum');
    expect(e.position).toEqual({ line: 1, column: 48 });
    expectDnsError(
      () => parseText(SOA, 'ns1.example.com.'),
      'rdata.missing-field',
      /missing its rname field/,
    );
  });

  it('rejects an extra field', () => {
    expectDnsError(
      () => parseText(SOA, `${simple} 7`),
      'rdata.extra-field',
      /unexpected '7' after the last field of SOA/,
    );
  });

  it('rejects out-of-range and malformed numbers', () => {
    expectDnsError(
      () => parseText(SOA, '. . 4294967296 1 1 1 1'),
      'field.integer',
      /^serial: '4294967296' is not an integer from 0 to 4294967295$/,
    );
    expectDnsError(() => parseText(SOA, '. . -1 1 1 1 1'), 'field.integer', /^serial: /);
    expectDnsError(() => parseText(SOA, '. . 1h 1 1 1 1'), 'field.integer', /^serial: /);
    const e = expectDnsError(() => parseText(SOA, '. . 1 soon 1 1 1'), 'ttl.syntax', /^refresh: 'soon'/);
    expect(e.position).toEqual({ line: 1, column: 7 });
    expectDnsError(() => parseText(SOA, '. . 1 1 1 4294967296 1'), 'ttl.range', /^expire: /);
    expectDnsError(() => parseText(SOA, '. . 1 1 1 1 1000000w'), 'ttl.range', /^minimum: /);
  });

  it('rejects bad names', () => {
    expectDnsError(() => parseText(SOA, 'ns1 hostmaster 1 2 3 4 5'), 'name.no-origin', /^mname: /);
    expectDnsError(() => parseText(SOA, 'ns1. host..master. 1 2 3 4 5'), 'name.empty-label', /^rname: /);
  });

  it('rejects RDATA shorter or longer than its fields', () => {
    const wire = rdataToWire(SOA, parseText(SOA, simple));
    expectWireError(() => decodeBytes(SOA, wire.subarray(0, wire.length - 1)), /truncated minimum/);
    expectWireError(
      () => decodeBytes(SOA, Uint8Array.from([...wire, 0])),
      /SOA RDATA has 1 octet\(s\) after its last field/,
    );
    expectWireError(() => decodeBytes(SOA, fromHex('0000')), /truncated serial/);
  });
});
