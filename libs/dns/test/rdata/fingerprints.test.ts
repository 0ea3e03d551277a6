import { describe, expect, it } from 'vitest';
import {
  RRType,
  parseRdata,
  printRdata,
  type OPENPGPKEYRdata,
  type SSHFPRdata,
  type TLSARdata,
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

const hexOf = (octets: number, seed = 0xa5) =>
  Array.from({ length: octets }, (_, i) => ((seed + i * 7) & 0xff).toString(16).padStart(2, '0')).join('');

describe('SSHFP (RFC 4255, RFC 6594)', () => {
  const SSHFP = RRType.SSHFP;

  it('parses, prints in upper-case hex and round-trips (RFC 4255 §3.3 example)', () => {
    const { value, printed, wire } = roundTrip<SSHFPRdata>(
      SSHFP,
      '2 1 123456789abcdef67890123456789abcdef67890',
    );
    expect(value).toMatchObject({ algorithm: 2, fpType: 1 });
    expect(printed).toBe('2 1 123456789ABCDEF67890123456789ABCDEF67890');
    expect(hex(wire)).toBe('0201' + '123456789abcdef67890123456789abcdef67890');
  });

  it('accepts a SHA-256 fingerprint of 32 octets, even split across blanks', () => {
    const fp = hexOf(32);
    const { printed } = roundTrip(SSHFP, `4 2 ${fp.slice(0, 20)} ${fp.slice(20)}`);
    expect(printed).toBe(`4 2 ${fp.toUpperCase()}`);
    expect(printRdata(SSHFP, parseText(SSHFP, `4 2 (\n ${fp.slice(0, 30)}\n ${fp.slice(30)} )`))).toBe(
      printed,
    );
  });

  it('accepts any length for fingerprint types it has no length for', () => {
    expect(roundTrip(SSHFP, '1 0 AB').printed).toBe('1 0 AB');
    expect(roundTrip(SSHFP, '1 9 ABCDEF').printed).toBe('1 9 ABCDEF');
  });

  it('rejects fingerprints of the wrong length for types 1 and 2', () => {
    const e = expectDnsError(
      () => parseText(SSHFP, `1 1 ${hexOf(32)}`),
      'rdata.digest-length',
      /^fingerprint: a type 1 fingerprint must be 20 octets, got 32$/,
    );
    expect(e.field).toBe('fingerprint');
    expect(e.rfc).toBe('RFC 6594 §3');
    expectDnsError(() => parseText(SSHFP, `1 1 ${hexOf(19)}`), 'rdata.digest-length', /got 19/);
    expectDnsError(
      () => parseText(SSHFP, `1 2 ${hexOf(20)}`),
      'rdata.digest-length',
      /a type 2 fingerprint must be 32 octets, got 20/,
    );
    expectDnsError(() => parseText(SSHFP, `1 2 ${hexOf(33)}`), 'rdata.digest-length');
  });

  it('rejects bad hex, a missing fingerprint and out-of-range numbers', () => {
    const e = expectDnsError(
      () => parseText(SSHFP, '1 1 xyz0'),
      'field.hex',
      /^fingerprint: 'xyz0' is not valid hex$/,
    );
    expect(e.position).toEqual({ line: 1, column: 5 });
    expectDnsError(() => parseText(SSHFP, '1 1 abc'), 'field.hex');
    expectDnsError(() => parseText(SSHFP, '1 1'), 'field.missing', /^fingerprint: missing hex data$/);
    expectDnsError(() => parseText(SSHFP, '1'), 'rdata.missing-field', /^fpType: /);
    expectDnsError(() => parseText(SSHFP, `256 1 ${hexOf(20)}`), 'field.integer', /^algorithm: /);
    expectDnsError(() => parseText(SSHFP, `1 256 ${hexOf(20)}`), 'field.integer', /^fpType: /);
  });

  it('rejects wire RDATA with a wrong-length or missing fingerprint', () => {
    expectWireError(
      () => decodeBytes(SSHFP, fromHex('0101abcd')),
      /fingerprint: a type 1 fingerprint must be 20 octets, got 2/,
    );
    expectWireError(() => decodeBytes(SSHFP, fromHex('0102' + hexOf(20))), /must be 32 octets/);
    expectWireError(() => decodeBytes(SSHFP, fromHex('0101')), /fingerprint: missing hex data/);
    expectWireError(() => decodeBytes(SSHFP, fromHex('01')), /truncated fpType/);
  });
});

describe.each([
  ['TLSA', RRType.TLSA],
  ['SMIMEA', RRType.SMIMEA],
] as const)('%s (RFC 6698, RFC 8162)', (mnemonic, type) => {
  it('parses, prints and round-trips a SHA-256 association', () => {
    const data = hexOf(32);
    const { value, printed, wire } = roundTrip<TLSARdata>(type, `3 1 1 ${data}`);
    expect(value).toMatchObject({ usage: 3, selector: 1, matchingType: 1 });
    expect(printed).toBe(`3 1 1 ${data.toUpperCase()}`);
    expect(hex(wire)).toBe('030101' + data);
  });

  it('accepts a SHA-512 association and a full certificate of any length', () => {
    expect(roundTrip(type, `2 0 2 ${hexOf(64)}`).wire.length).toBe(67);
    expect(roundTrip(type, `0 0 0 ${hexOf(300)}`).wire.length).toBe(303);
    expect(roundTrip(type, '0 0 0 00').printed).toBe('0 0 0 00');
  });

  it('rejects wrong lengths for matching types 1 and 2', () => {
    const e = expectDnsError(
      () => parseText(type, `3 1 1 ${hexOf(20)}`),
      'rdata.digest-length',
      /^data: data for matching type 1 must be 32 octets, got 20$/,
    );
    expect(e.rfc).toBe('RFC 6698 §2.1.3');
    expectDnsError(() => parseText(type, `3 1 1 ${hexOf(64)}`), 'rdata.digest-length', /got 64/);
    expectDnsError(
      () => parseText(type, `3 1 2 ${hexOf(32)}`),
      'rdata.digest-length',
      /matching type 2 must be 64 octets, got 32/,
    );
  });

  it('rejects bad hex, missing data and bad numbers', () => {
    expectDnsError(() => parseText(type, '3 1 1 zz'), 'field.hex', /^data: /);
    expectDnsError(() => parseText(type, '3 1 1'), 'field.missing', /^data: missing hex data$/);
    expectDnsError(
      () => parseText(type, '3 1'),
      'rdata.missing-field',
      new RegExp(`^matchingType: ${mnemonic} is missing its matchingType field$`),
    );
    expectDnsError(() => parseText(type, `3 256 1 ${hexOf(32)}`), 'field.integer', /^selector: /);
  });

  it('rejects wire RDATA with a wrong-length association', () => {
    expectWireError(
      () => decodeBytes(type, fromHex('030101' + hexOf(31))),
      /data for matching type 1 must be 32 octets, got 31/,
    );
    expectWireError(() => decodeBytes(type, fromHex('0301')), /truncated matchingType/);
    expectWireError(() => decodeBytes(type, fromHex('030100')), /data: missing hex data/);
  });
});

describe('OPENPGPKEY (RFC 7929)', () => {
  const T = RRType.OPENPGPKEY;

  it('parses base64, even split across blanks, and round-trips', () => {
    const { value, printed, wire } = roundTrip<OPENPGPKEYRdata>(T, 'AQID BA==');
    expect(hex(value.key)).toBe('01020304');
    expect(printed).toBe('AQIDBA==');
    expect(hex(wire)).toBe('01020304');
    expect(printRdata(T, value, { origin: name('example.') })).toBe('AQIDBA==');
  });

  it('rejects bad base64 and a missing key', () => {
    expectDnsError(() => parseText(T, 'AQIDBA='), 'field.base64', /^key: 'AQIDBA=' is not valid base64$/);
    expectDnsError(() => parseText(T, 'AQ!DBA=='), 'field.base64');
    expectDnsError(() => parseRdata(T, []), 'field.missing', /^key: missing base64 data$/);
    expectDnsError(() => parseText(T, '""'), 'field.missing', /^key: missing base64 data$/);
    expectWireError(() => decodeBytes(T, new Uint8Array(0)), /key: missing base64 data/);
  });
});
