import { describe, expect, it } from 'vitest';
import { MX, RRType, printRdata, rdataToWire, type MXRdata } from '../../src/index.js';
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

describe('MX (RFC 1035 §3.3.9)', () => {
  it('parses, prints and round-trips through the wire', () => {
    const { value, printed, wire } = roundTrip<MXRdata>(RRType.MX, '10 Mail.Example.com.');
    expect(value.preference).toBe(10);
    expect(value.exchange.toString()).toBe('Mail.Example.com.');
    expect(printed).toBe('10 Mail.Example.com.');
    expect(hex(wire)).toBe('000a' + '044d61696c074578616d706c6503636f6d00');
  });

  it('resolves and prints relative exchanges', () => {
    const v = parseText<MXRdata>(RRType.MX, '0 mail', 'example.com.');
    expect(v.exchange.toString()).toBe('mail.example.com.');
    expect(printRdata(RRType.MX, v, { origin: name('example.com.') })).toBe('0 mail');
    expect(
      printRdata(RRType.MX, parseText(RRType.MX, '5 @', 'example.com.'), { origin: name('example.com.') }),
    ).toBe('5 @');
  });

  it('accepts the null MX (RFC 7505), which names no host', () => {
    const { value, printed, wire } = roundTrip<MXRdata>(RRType.MX, '0 .');
    expect(printed).toBe('0 .');
    expect(hex(wire)).toBe('000000');
    expect(MX.targets!(value)).toEqual([]);
    expect(MX.targets!(parseText<MXRdata>(RRType.MX, '10 mx.example.')).map(String)).toEqual(['mx.example.']);
  });

  it('accepts the full preference range', () => {
    expect(roundTrip(RRType.MX, '65535 mx.example.').printed).toBe('65535 mx.example.');
    expect(roundTrip(RRType.MX, '007 mx.example.').printed).toBe('7 mx.example.');
  });

  it('lowercases the exchange in canonical form', () => {
    expect(hex(rdataToWire(RRType.MX, parseText(RRType.MX, '1 MX.EXAMPLE.'), true))).toBe(
      '0001' + '026d78076578616d706c6500',
    );
  });

  it('rejects out-of-range and non-numeric preferences', () => {
    for (const pref of ['65536', '-1', '1.5', 'ten', '0x10']) {
      const e = expectDnsError(
        () => parseText(RRType.MX, `${pref} mx.example.`),
        'field.integer',
        /^preference: '.*' is not an integer from 0 to 65535$/,
      );
      expect(e.field).toBe('preference');
    }
  });

  it('rejects a missing exchange and an extra field', () => {
    const e = expectDnsError(
      () => parseText(RRType.MX, '10'),
      'rdata.missing-field',
      /^exchange: MX is missing its exchange field$/,
    );
    expect(e.position).toEqual({ line: 1, column: 1 });
    expectDnsError(
      () => parseText(RRType.MX, '10 a.example. b.example.'),
      'rdata.extra-field',
      /unexpected 'b\.example\.'/,
    );
    expectDnsError(() => parseText(RRType.MX, 'mx.example.'), 'field.integer');
  });

  it('rejects a relative exchange without an origin', () => {
    expectDnsError(() => parseText(RRType.MX, '10 mail'), 'name.no-origin', /^exchange: /);
  });

  it('rejects RDATA shorter or longer than its fields', () => {
    expectWireError(() => decodeBytes(RRType.MX, fromHex('00')), /truncated preference/);
    expectWireError(() => decodeBytes(RRType.MX, fromHex('000a')), /truncated exchange/);
    expectWireError(() => decodeBytes(RRType.MX, fromHex('000a0161')), /truncated/);
    expectWireError(() => decodeBytes(RRType.MX, fromHex('000a00' + '00')), /after its last field/);
  });
});
