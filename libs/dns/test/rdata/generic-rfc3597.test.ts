import { describe, expect, it } from 'vitest';
import {
  RRType,
  WireReader,
  codecFor,
  decodeRdata,
  isMetaType,
  knownTypes,
  parseRdata,
  parseType,
  printRdata,
  rdataToWire,
  tokenize,
  typeFromString,
  typeToString,
  type OpaqueRdata,
  type TXTRdata,
} from '../../src/index.js';
import { expectDnsError, expectWireError, hex, parseText, roundTrip } from '../support/rdata-assert.js';

const UNKNOWN = 65280; // private use (RFC 6895 §3.1): never gets a codec

describe('RFC 3597 generic RDATA', () => {
  it('keeps the RDATA of an unknown type as opaque octets', () => {
    expect(codecFor(UNKNOWN)).toBeUndefined();
    const { value, printed, wire } = roundTrip<OpaqueRdata>(UNKNOWN, '\\# 4 0a000001');
    expect(hex(value.bytes)).toBe('0a000001');
    expect(printed).toBe('\\# 4 0A000001');
    expect(hex(wire)).toBe('0a000001');
  });

  it('decodes generic RDATA of a known type as that type', () => {
    const v = parseText(RRType.A, '\\# 4 0a000001');
    expect(v).toEqual({ address: '10.0.0.1' });
    expect(printRdata(RRType.A, v)).toBe('10.0.0.1');
    const mx = parseText(RRType.MX, '\\# 8 000a 046d61696c 00');
    expect(printRdata(RRType.MX, mx)).toBe('10 mail.');
  });

  it('accepts an empty RDATA and prints it as \\# 0', () => {
    const { value, printed, wire } = roundTrip<OpaqueRdata>(UNKNOWN, '\\# 0');
    expect(value.bytes.length).toBe(0);
    expect(printed).toBe('\\# 0');
    expect(wire.length).toBe(0);
  });

  it('accepts hex split across blanks and lines', () => {
    const v = parseText<OpaqueRdata>(UNKNOWN, '\\# 6 ( 0a00\n 00 01 ffFF )');
    expect(hex(v.bytes)).toBe('0a000001ffff');
  });

  it('reads TYPEnnn mnemonics for known and unknown types', () => {
    expect(typeFromString('TYPE65280')).toBe(UNKNOWN);
    expect(typeFromString('type1')).toBe(RRType.A);
    expect(typeToString(UNKNOWN)).toBe('TYPE65280');
    expect(typeToString(RRType.A)).toBe('A');
    expect(typeFromString('TYPE65536')).toBeUndefined();
    expect(typeFromString('TYPE')).toBeUndefined();
    expectDnsError(
      () => parseType('TYPEX'),
      'type.unknown',
      /^type: 'TYPEX' is not a record type mnemonic or TYPEnnn$/,
    );
  });

  it('rejects a length that does not match the data', () => {
    const e = expectDnsError(
      () => parseText(UNKNOWN, '\\# 3 0a000001'),
      'rdata.generic',
      /length 3 does not match the 4 octet\(s\) of hex data for TYPE65280/,
    );
    expect(e.rfc).toBe('RFC 3597 §5');
    expect(e.position).toEqual({ line: 1, column: 4 });
    expectDnsError(() => parseText(UNKNOWN, '\\# 5 0a000001'), 'rdata.generic', /length 5/);
    expectDnsError(() => parseText(UNKNOWN, '\\# 1'), 'rdata.generic', /length 1 does not match the 0 octet/);
    expectDnsError(() => parseText(RRType.A, '\\# 5 0a000001'), 'rdata.generic', /for A$/);
  });

  it('rejects a missing or malformed length', () => {
    for (const text of ['\\#', '\\# x 00', '\\# -1 00', '\\# 65536 00', '\\# 0x1 00']) {
      expectDnsError(
        () => parseText(UNKNOWN, text),
        'rdata.generic',
        /'\\#' must be followed by the RDATA length in octets/,
      );
    }
  });

  it('rejects data that is not hex', () => {
    expectDnsError(() => parseText(UNKNOWN, '\\# 2 zz00'), 'rdata.generic', /^rdata: 'zz00' is not hex$/);
    expectDnsError(() => parseText(UNKNOWN, '\\# 2 0a0'), 'rdata.generic', /is not hex/);
    expectDnsError(() => parseText(UNKNOWN, '\\# 2 "0a00"x'), 'rdata.generic', /is not hex/);
  });

  it('rejects generic data that is not valid for the known type', () => {
    expectDnsError(
      () => parseText(RRType.A, '\\# 3 0a0000'),
      'rdata.generic',
      /^rdata: the generic RDATA is not valid A: truncated address/,
    );
    expectDnsError(() => parseText(RRType.MX, '\\# 1 00'), 'rdata.generic', /not valid MX/);
    expectDnsError(
      () => parseText(RRType.TXT, '\\# 0'),
      'rdata.generic',
      /not valid TXT: strings: needs at least one character-string/,
    );
    expectDnsError(
      () => parseText(RRType.DS, '\\# 5 0001080200'),
      'rdata.generic',
      /not valid DS: digest: a digest type 2 digest is 32 octets, got 1/,
    );
    expectDnsError(() => parseText(RRType.A, '\\# 5 0a00000100'), 'rdata.generic', /after its last field/);
  });

  it('rejects compression pointers in generic RDATA, for every type (RFC 3597 §5)', () => {
    expectDnsError(
      () => parseText(RRType.NS, '\\# 2 c000'),
      'rdata.generic',
      /target at offset 0 is compressed/,
    );
    // A pointer back into the RDATA itself is no better: `MX \# 4 0001C000` is not `1 .`.
    expectDnsError(
      () => parseText(RRType.MX, '\\# 4 0001C000'),
      'rdata.generic',
      /exchange at offset 2 is compressed/,
    );
    expectDnsError(
      () => parseText(RRType.SOA, '\\# 23 00 C000 0000000100000002000000030000000400000005'),
      'rdata.generic',
      /rname at offset 1 is compressed/,
    );
  });

  it('rejects an unknown type written without \\#', () => {
    const e = expectDnsError(
      () => parseText(UNKNOWN, '0a000001'),
      'rdata.unknown-type',
      /^rdata: TYPE65280 has no text format here; write its RDATA as \\# <length> <hex>$/,
    );
    expect(e.position).toEqual({ line: 1, column: 1 });
    expectDnsError(() => parseRdata(UNKNOWN, []), 'rdata.unknown-type');
  });

  it('reads a quoted "\\#" as ordinary text, not the generic marker', () => {
    const v = parseText<TXTRdata>(RRType.TXT, '"\\#" 4 0a000001');
    expect(printRdata(RRType.TXT, v)).toBe('"#" "4" "0a000001"');
  });

  it('rejects meta-types and QTYPEs (RFC 6895 §3.1)', () => {
    for (const t of [
      RRType.OPT,
      RRType.ANY,
      RRType.AXFR,
      RRType.IXFR,
      RRType.TSIG,
      RRType.TKEY,
      128,
      253,
      254,
    ]) {
      expect(isMetaType(t)).toBe(true);
      const e = expectDnsError(
        () => parseText(t, '\\# 0'),
        'type.meta',
        /is a meta-type and cannot be record data$/,
      );
      expect(e.field).toBe('type');
      expectDnsError(() => parseRdata(t, tokenize('anything')), 'type.meta');
    }
    expectDnsError(() => parseText(RRType.ANY, '\\# 0'), 'type.meta', /^ANY is a meta-type/);
    expectDnsError(() => parseText(RRType.OPT, '\\# 0'), 'type.meta', /^OPT is a meta-type/);
    expect(isMetaType(RRType.A)).toBe(false);
    expect(isMetaType(UNKNOWN)).toBe(false);
  });

  it('decodes unknown types from the wire as opaque octets, stopping at RDLENGTH', () => {
    const r = new WireReader(Uint8Array.of(1, 2, 3, 4, 5));
    const v = decodeRdata(UNKNOWN, r, 3) as OpaqueRdata;
    expect(hex(v.bytes)).toBe('010203');
    expect(r.pos).toBe(3);
    expect(hex(rdataToWire(UNKNOWN, v))).toBe('010203');
    expectWireError(() => decodeRdata(UNKNOWN, new WireReader(Uint8Array.of(1, 2)), 3), /truncated rdata/);
  });

  it('has a codec for every type this library claims to know', () => {
    const known = knownTypes();
    for (const t of [
      RRType.A,
      RRType.AAAA,
      RRType.NS,
      RRType.CNAME,
      RRType.DNAME,
      RRType.PTR,
      RRType.SOA,
      RRType.MX,
      RRType.TXT,
      RRType.SPF,
      RRType.HINFO,
      RRType.SRV,
      RRType.NAPTR,
      RRType.CAA,
      RRType.SSHFP,
      RRType.TLSA,
      RRType.SMIMEA,
      RRType.OPENPGPKEY,
      RRType.DS,
      RRType.CDS,
      RRType.DNSKEY,
      RRType.CDNSKEY,
      RRType.RRSIG,
      RRType.NSEC,
      RRType.NSEC3,
      RRType.NSEC3PARAM,
    ]) {
      expect(known, typeToString(t)).toContain(t);
      expect(codecFor(t)!.mnemonic).toBe(typeToString(t));
    }
    expect(known).not.toContain(UNKNOWN);
    expect(known).toEqual([...known].sort((a, b) => a - b));
  });
});

describe('type mnemonics', () => {
  it('do not resolve names of Object.prototype members', () => {
    expect(typeFromString('toString')).toBeUndefined();
    expect(typeFromString('constructor')).toBeUndefined();
    expect(typeFromString('__proto__')).toBeUndefined();
    expect(typeFromString('mx')).toBe(RRType.MX);
  });
});
