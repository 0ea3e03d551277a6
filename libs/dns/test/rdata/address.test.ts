import { describe, expect, it } from 'vitest';
import { RRType, parseRdata, printRdata, tokenize, type AAAARdata, type ARdata } from '../../src/index.js';
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

describe('A (RFC 1035 §3.4.1)', () => {
  it('parses, prints, and round-trips through the wire', () => {
    const { value, printed, wire } = roundTrip<ARdata>(RRType.A, '192.0.2.1');
    expect(value).toEqual({ address: '192.0.2.1' });
    expect(printed).toBe('192.0.2.1');
    expect(hex(wire)).toBe('c0000201');
  });

  it('prints the same with an origin (no names to relativise)', () => {
    expect(printRdata(RRType.A, parseText(RRType.A, '10.0.0.1'), { origin: name('example.') })).toBe(
      '10.0.0.1',
    );
  });

  it('accepts the value across parentheses and with a comment', () => {
    expect(printRdata(RRType.A, parseText(RRType.A, '( 192.0.2.1 ) ; web'))).toBe('192.0.2.1');
  });

  it('rejects malformed addresses with the field and RFC', () => {
    for (const text of ['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', 'a.b.c.d', '::1', '192.0.2.1/24']) {
      const e = expectDnsError(
        () => parseText(RRType.A, text),
        'field.ipv4',
        /^address: '.*' is not an IPv4 address in dotted-decimal form$/,
      );
      expect(e.field).toBe('address');
      expect(e.rfc).toBe('RFC 1035 §3.4.1');
    }
  });

  it('reports the token position of a bad address', () => {
    const e = expectDnsError(() => parseRdata(RRType.A, tokenize('\n  300.0.0.1')), 'field.ipv4');
    expect(e.position).toEqual({ line: 2, column: 3 });
  });

  it('rejects an empty value and an extra field', () => {
    expectDnsError(() => parseText(RRType.A, ''), 'rdata.empty', /A value is empty/);
    expectDnsError(() => parseText(RRType.A, '   ; only a comment'), 'rdata.empty');
    expectDnsError(
      () => parseText(RRType.A, '192.0.2.1 192.0.2.2'),
      'rdata.extra-field',
      /unexpected '192\.0\.2\.2' after the last field of A/,
    );
    expectDnsError(() => parseRdata(RRType.A, []), 'rdata.missing-field', /A is missing its address field/);
  });

  it('rejects RDATA of the wrong length on the wire', () => {
    expectWireError(() => decodeBytes(RRType.A, fromHex('c00002')), /truncated address/);
    expectWireError(
      () => decodeBytes(RRType.A, fromHex('c000020101')),
      /A RDATA has 1 octet\(s\) after its last field/,
    );
    expectWireError(() => decodeBytes(RRType.A, new Uint8Array(0)), /truncated/);
  });
});

describe('AAAA (RFC 3596)', () => {
  it('parses, prints canonically (RFC 5952) and round-trips', () => {
    const { value, printed, wire } = roundTrip<AAAARdata>(RRType.AAAA, '2001:DB8:0:0:0:0:0:1');
    expect(value.address).toBe('2001:db8::1');
    expect(printed).toBe('2001:db8::1');
    expect(hex(wire)).toBe('20010db8000000000000000000000001');
  });

  it('accepts mixed IPv4 notation', () => {
    const { printed, wire } = roundTrip(RRType.AAAA, '::ffff:192.0.2.1');
    expect(printed).toBe('::ffff:c000:201');
    expect(hex(wire)).toBe('00000000000000000000ffffc0000201');
  });

  it('rejects malformed addresses', () => {
    for (const text of ['1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '192.0.2.1', '::1%lo']) {
      const e = expectDnsError(
        () => parseText(RRType.AAAA, text),
        'field.ipv6',
        /^address: '.*' is not an IPv6 address$/,
      );
      expect(e.rfc).toBe('RFC 4291 §2.2');
    }
  });

  it('rejects an extra field and a missing value', () => {
    expectDnsError(() => parseText(RRType.AAAA, '::1 ::2'), 'rdata.extra-field');
    expectDnsError(() => parseText(RRType.AAAA, ' '), 'rdata.empty');
  });

  it('rejects RDATA of the wrong length on the wire', () => {
    expectWireError(() => decodeBytes(RRType.AAAA, new Uint8Array(15)), /truncated address/);
    expectWireError(() => decodeBytes(RRType.AAAA, new Uint8Array(17)), /after its last field/);
    expectWireError(() => decodeBytes(RRType.AAAA, new Uint8Array(4)), /truncated/);
  });
});
