import { describe, expect, it } from 'vitest';
import { RRType, WireReader, decodeRdata, printRdata, type CAARdata } from '../../src/index.js';
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

const CAA = RRType.CAA;
const ascii = (s: string) => hex(Uint8Array.from(s, (c) => c.charCodeAt(0)));

describe('CAA (RFC 8659)', () => {
  it('parses, prints and round-trips an issue property', () => {
    const { value, printed, wire } = roundTrip<CAARdata>(CAA, '0 issue "ca.example.net"');
    expect(value.flags).toBe(0);
    expect(value.tag).toBe('issue');
    expect(new TextDecoder().decode(value.value)).toBe('ca.example.net');
    expect(printed).toBe('0 issue "ca.example.net"');
    expect(hex(wire)).toBe('00' + '05' + ascii('issue') + ascii('ca.example.net'));
  });

  it('keeps the issuer-critical flag (bit 0, value 128) and parameters', () => {
    const { printed, wire } = roundTrip(CAA, '128 issue "ca.example.net; account=230123"');
    expect(printed).toBe('128 issue "ca.example.net; account=230123"');
    expect(wire[0]).toBe(0x80);
  });

  it('accepts other tags, unquoted values and the tag case as written', () => {
    expect(roundTrip(CAA, '0 iodef "mailto:security@example.com"').printed).toBe(
      '0 iodef "mailto:security@example.com"',
    );
    expect(roundTrip(CAA, '0 issuewild \\;').printed).toBe('0 issuewild ";"');
    expect(roundTrip(CAA, '0 issuewild ";"').printed).toBe('0 issuewild ";"');
    expect(roundTrip(CAA, '0 ISSUE ca.example.net').printed).toBe('0 ISSUE "ca.example.net"');
    expect(roundTrip(CAA, '0 tbs0123456789ab "x"').printed).toBe('0 tbs0123456789ab "x"');
  });

  it('accepts an empty value', () => {
    const { printed, wire } = roundTrip(CAA, '0 issue ""');
    expect(printed).toBe('0 issue ""');
    expect(hex(wire)).toBe('0005' + ascii('issue'));
  });

  it('accepts a value longer than 255 octets: it is not a character-string', () => {
    const long = 'x'.repeat(300);
    const { value, wire } = roundTrip<CAARdata>(CAA, `0 tbs "${long}"`);
    expect(value.value.length).toBe(300);
    expect(wire.length).toBe(2 + 3 + 300);
  });

  it('prints escapes for quotes, backslashes and non-ASCII octets', () => {
    const { printed } = roundTrip(CAA, '0 tbs "a\\"b\\\\c\\255ü"');
    expect(printed).toBe('0 tbs "a\\"b\\\\c\\255\\195\\188"');
  });

  it('prints the same with an origin (no names)', () => {
    expect(printRdata(CAA, parseText(CAA, '0 issue "x"'), { origin: name('example.') })).toBe('0 issue "x"');
  });

  it('rejects bad flags', () => {
    expectDnsError(
      () => parseText(CAA, '256 issue "x"'),
      'field.integer',
      /^flags: '256' is not an integer from 0 to 255$/,
    );
    expectDnsError(() => parseText(CAA, '-1 issue "x"'), 'field.integer', /^flags: /);
    expectDnsError(() => parseText(CAA, 'issue "x"'), 'field.integer', /^flags: 'issue'/);
  });

  it('rejects bad tags at their position', () => {
    const e = expectDnsError(
      () => parseText(CAA, '0 is-sue "x"'),
      'rdata.caa-tag',
      /^tag: 'is-sue' must be 1-15 ASCII letters or digits$/,
    );
    expect(e.position).toEqual({ line: 1, column: 3 });
    expect(e.rfc).toBe('RFC 8659 §4.1');
    expectDnsError(() => parseText(CAA, '0 abcdefghijklmnop "x"'), 'rdata.caa-tag');
    expectDnsError(() => parseText(CAA, '0 "" "x"'), 'rdata.caa-tag');
    expectDnsError(() => parseText(CAA, '0 iss_ue "x"'), 'rdata.caa-tag');
    expectDnsError(() => parseText(CAA, '0 ü "x"'), 'rdata.caa-tag');
  });

  it('rejects missing and extra fields', () => {
    expectDnsError(() => parseText(CAA, ''), 'rdata.empty');
    expectDnsError(() => parseText(CAA, '0'), 'rdata.missing-field', /^tag: CAA is missing its tag field$/);
    expectDnsError(
      () => parseText(CAA, '0 issue'),
      'rdata.missing-field',
      /^value: CAA is missing its value field$/,
    );
    const e = expectDnsError(
      () => parseText(CAA, '0 issue ca example'),
      'rdata.extra-field',
      /unexpected 'example' after the CAA value \(quote values with spaces\)/,
    );
    expect(e.position).toEqual({ line: 1, column: 12 });
  });

  it('rejects a bad escape in the value at its position', () => {
    const e = expectDnsError(() => parseText(CAA, '0 issue "\\999"'), 'string.bad-escape', /^value: /);
    expect(e.position).toEqual({ line: 1, column: 9 });
  });

  it('rejects bad wire data', () => {
    expectWireError(() => decodeBytes(CAA, fromHex('00')), /truncated tag/);
    expectWireError(() => decodeBytes(CAA, fromHex('0000')), /tag: '' must be 1-15 ASCII letters or digits/);
    expectWireError(() => decodeBytes(CAA, fromHex('0005' + ascii('iss'))), /CAA tag overruns the RDATA/);
    expectWireError(() => decodeBytes(CAA, fromHex('0003' + ascii('a-b'))), /tag: 'a-b' must be/);
    expectWireError(() => decodeBytes(CAA, fromHex('0010' + ascii('abcdefghijklmnop'))), /tag: /);
  });

  it('does not read past the RDATA into what follows it', () => {
    // RDLENGTH 1 but the message carries more octets: the tag length is outside the RDATA.
    const msg = fromHex('00' + '05' + ascii('issue'));
    expectWireError(() => decodeRdata(CAA, new WireReader(msg), 1), /CAA tag overruns the RDATA/);
    // RDLENGTH past the end of the message.
    expectWireError(() => decodeRdata(CAA, new WireReader(msg), 10), /truncated value/);
  });

  it('decodes a value that fills the rest of the RDATA, and stops there', () => {
    const msg = fromHex('00' + '03' + ascii('tbs') + ascii('abc') + 'ffff');
    const r = new WireReader(msg);
    const v = decodeRdata(CAA, r, 8) as CAARdata;
    expect(new TextDecoder().decode(v.value)).toBe('abc');
    expect(r.remaining).toBe(2);
  });
});
