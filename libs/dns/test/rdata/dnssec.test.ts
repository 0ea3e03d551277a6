import { describe, expect, it } from 'vitest';
import {
  RRType,
  WireReader,
  decodeRdata,
  printRdata,
  rdataToWire,
  type DNSKEYRdata,
  type DSRdata,
  type NSEC3PARAMRdata,
  type NSEC3Rdata,
  type NSECRdata,
  type RRSIGRdata,
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

const hexOf = (octets: number) =>
  Array.from({ length: octets }, (_, i) => ((0x3c + i * 11) & 0xff).toString(16).padStart(2, '0')).join('');

describe.each([
  ['DS', RRType.DS],
  ['CDS', RRType.CDS],
] as const)('%s (RFC 4034 §5, RFC 7344)', (mnemonic, type) => {
  it('parses, prints and round-trips the RFC 4034 §5.4 example', () => {
    const { value, printed, wire } = roundTrip<DSRdata>(
      type,
      '60485 5 1 ( 2BB183AF5F22588179A53B0A98631FAD1A292118 )',
    );
    expect(value).toMatchObject({ keyTag: 60485, algorithm: 5, digestType: 1 });
    expect(printed).toBe('60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118');
    expect(hex(wire)).toBe('ec45' + '05' + '01' + '2bb183af5f22588179a53b0a98631fad1a292118');
  });

  it('accepts the digest lengths of digest types 1, 2, 3 and 4, and any length for others', () => {
    expect(roundTrip(type, `1 13 1 ${hexOf(20)}`).wire.length).toBe(24);
    expect(roundTrip(type, `1 13 2 ${hexOf(32)}`).wire.length).toBe(36);
    expect(roundTrip(type, `1 13 3 ${hexOf(32)}`).wire.length).toBe(36);
    expect(roundTrip(type, `1 13 4 ${hexOf(48)}`).wire.length).toBe(52);
    expect(roundTrip(type, `1 13 200 ${hexOf(5)}`).wire.length).toBe(9);
  });

  it('rejects digests of the wrong length for digest types 1, 2 and 4', () => {
    const e = expectDnsError(
      () => parseText(type, `1 13 1 ${hexOf(32)}`),
      'rdata.digest-length',
      /^digest: a digest type 1 digest is 20 octets, got 32$/,
    );
    expect(e.field).toBe('digest');
    expectDnsError(() => parseText(type, `1 13 1 ${hexOf(19)}`), 'rdata.digest-length', /got 19/);
    expectDnsError(
      () => parseText(type, `1 13 2 ${hexOf(20)}`),
      'rdata.digest-length',
      /a digest type 2 digest is 32 octets, got 20/,
    );
    expectDnsError(() => parseText(type, `1 13 2 ${hexOf(48)}`), 'rdata.digest-length');
    expectDnsError(
      () => parseText(type, `1 13 4 ${hexOf(32)}`),
      'rdata.digest-length',
      /a digest type 4 digest is 48 octets, got 32/,
    );
  });

  it('rejects bad hex, a missing digest, bad numbers and missing fields', () => {
    expectDnsError(() => parseText(type, '1 13 2 xyz'), 'field.hex', /^digest: 'xyz' is not valid hex$/);
    expectDnsError(() => parseText(type, '1 13 2'), 'field.missing', /^digest: missing hex data$/);
    expectDnsError(
      () => parseText(type, '1 13'),
      'rdata.missing-field',
      new RegExp(`^digestType: ${mnemonic} is missing its digestType field$`),
    );
    expectDnsError(() => parseText(type, `65536 13 2 ${hexOf(32)}`), 'field.integer', /^keyTag: /);
    expectDnsError(() => parseText(type, `1 256 2 ${hexOf(32)}`), 'field.integer', /^algorithm: /);
  });

  it('rejects wire RDATA with a wrong-length digest or none', () => {
    expectWireError(
      () => decodeBytes(type, fromHex('0001' + '0d' + '02' + hexOf(20))),
      /digest type 2 digest is 32 octets, got 20/,
    );
    expectWireError(() => decodeBytes(type, fromHex('0001' + '0d' + '02')), /digest: missing hex data/);
    expectWireError(() => decodeBytes(type, fromHex('0001' + '0d')), /truncated digestType/);
  });

  it('rejects RDATA shorter than its fields even when the message has more octets', () => {
    // RDLENGTH 3: the digest type octet lies outside the RDATA.
    const msg = fromHex('0001' + '08' + '05' + 'ff');
    expectWireError(
      () => decodeRdata(type, new WireReader(msg), 3),
      new RegExp(`${mnemonic} RDATA of 3 octets is shorter than its fields`),
    );
    const r = new WireReader(msg);
    const v = decodeRdata(type, r, 5) as DSRdata;
    expect(v).toMatchObject({ keyTag: 1, algorithm: 8, digestType: 5 });
    expect(hex(v.digest)).toBe('ff');
  });
});

describe('CDS delete form (RFC 8078 §4)', () => {
  it('accepts CDS 0 0 0 00', () => {
    const { printed, wire } = roundTrip(RRType.CDS, '0 0 0 00');
    expect(printed).toBe('0 0 0 00');
    expect(hex(wire)).toBe('0000000000');
  });
});

describe('digest type 0 (reserved)', () => {
  it('is refused for DS, in text, generic and wire form', () => {
    const e = expectDnsError(() => parseText(RRType.DS, '0 0 0 00'), 'rdata.digest-type', /0 is reserved/);
    expect(e.rfc).toBe('RFC 4034 §5.1.3');
    expectDnsError(() => parseText(RRType.DS, '12345 13 0 ABCD'), 'rdata.digest-type');
    expectDnsError(() => parseText(RRType.DS, '\\# 5 0000000000'), 'rdata.generic', /0 is reserved/);
    expectWireError(() => decodeBytes(RRType.DS, fromHex('0000000000')), /0 is reserved/);
  });

  it('is allowed for CDS only in the delete form', () => {
    expectDnsError(() => parseText(RRType.CDS, '12345 13 0 ABCD'), 'rdata.digest-type', /delete form/);
    expectDnsError(() => parseText(RRType.CDS, '0 0 0 0000'), 'rdata.digest-type');
  });
});

describe.each([
  ['DNSKEY', RRType.DNSKEY],
  ['CDNSKEY', RRType.CDNSKEY],
] as const)('%s (RFC 4034 §2, RFC 7344)', (mnemonic, type) => {
  const key =
    'AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/0PY1kxkmvHjcZc8nokfzj31GajIQKY+5CptLr3buXA10hWqTkF7H6RfoRqXQeogmMHfpftf6zMv1LyBUgia7za6ZEzOJBOztyvhjL742iU/TpPSEDhm2SNKLijfUppn1UaNvv4w==';

  it('parses, prints and round-trips the RFC 4034 §2.3 example', () => {
    const split = `256 3 5 ( ${key.slice(0, 50)}\n ${key.slice(50, 100)}\n ${key.slice(100)} )`;
    const { value, printed, wire } = roundTrip<DNSKEYRdata>(type, split);
    expect(value).toMatchObject({ flags: 256, protocol: 3, algorithm: 5 });
    expect(printed).toBe(`256 3 5 ${key}`);
    expect(hex(wire.subarray(0, 4))).toBe('01000305');
    expect(hex(wire.subarray(4))).toBe(hex(Uint8Array.from(Buffer.from(key, 'base64'))));
    expect(printRdata(type, value, { origin: name('example.com.') })).toBe(printed);
  });

  it('rejects a protocol other than 3 (RFC 4034 §2.1.2)', () => {
    const e = expectDnsError(
      () => parseText(type, '257 2 13 AA=='),
      'rdata.dnskey-protocol',
      /^protocol: must be 3, got 2$/,
    );
    expect(e.rfc).toBe('RFC 4034 §2.1.2');
    expectDnsError(() => parseText(type, '0 0 0 AA=='), 'rdata.dnskey-protocol', /got 0/);
    expectWireError(
      () => decodeBytes(type, fromHex('0101' + '04' + '0d' + '00')),
      /protocol: must be 3, got 4/,
    );
  });

  it('rejects bad base64, a missing key and bad numbers', () => {
    expectDnsError(
      () => parseText(type, '257 3 13 AA='),
      'field.base64',
      /^publicKey: 'AA=' is not valid base64$/,
    );
    expectDnsError(() => parseText(type, '257 3 13 A*=='), 'field.base64');
    expectDnsError(() => parseText(type, '257 3 13'), 'field.missing', /^publicKey: missing base64 data$/);
    expectDnsError(() => parseText(type, '65536 3 13 AA=='), 'field.integer', /^flags: /);
    expectDnsError(
      () => parseText(type, '257 3'),
      'rdata.missing-field',
      new RegExp(`^algorithm: ${mnemonic} is missing`),
    );
    expectWireError(() => decodeBytes(type, fromHex('010103')), /truncated algorithm/);
    expectWireError(() => decodeBytes(type, fromHex('0101030d')), /publicKey: missing base64 data/);
  });

  it('rejects RDATA shorter than its fields even when the message has more octets', () => {
    const msg = fromHex('0101' + '03' + '0d' + 'aabb');
    expectWireError(() => decodeRdata(type, new WireReader(msg), 3), /shorter than its fields/);
  });
});

describe('CDNSKEY delete form (RFC 8078 §4, erratum 5049)', () => {
  it('accepts CDNSKEY 0 3 0 AA==', () => {
    const { printed, wire } = roundTrip(RRType.CDNSKEY, '0 3 0 AA==');
    expect(printed).toBe('0 3 0 AA==');
    expect(hex(wire)).toBe('0000030000');
  });
});

describe('RRSIG (RFC 4034 §3)', () => {
  const sig =
    'oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeDQfsS3Ap3o=';
  const rfcExample = `A 5 3 86400 20030322173103 (
      20030220173103 2642 example.com.
      ${sig.slice(0, 60)}
      ${sig.slice(60)} )`;

  it('parses, prints and round-trips the RFC 4034 §3.3 example', () => {
    const { value, printed, wire } = roundTrip<RRSIGRdata>(RRType.RRSIG, rfcExample);
    expect(value).toMatchObject({
      typeCovered: RRType.A,
      algorithm: 5,
      labels: 3,
      originalTtl: 86400,
      expiration: 1048354263,
      inception: 1045762263,
      keyTag: 2642,
    });
    expect(value.signerName.toString()).toBe('example.com.');
    expect(printed).toBe(`A 5 3 86400 20030322173103 20030220173103 2642 example.com. ${sig}`);
    expect(hex(wire.subarray(0, 18))).toBe(
      '0001' + '05' + '03' + '00015180' + '3e7c9dd7' + '3e5510d7' + '0a52',
    );
    expect(hex(wire.subarray(18, 31))).toBe('076578616d706c6503636f6d00');
  });

  it('reads times given as seconds since 1970 and prints them as YYYYMMDDHHmmSS', () => {
    const v = parseText<RRSIGRdata>(
      RRType.RRSIG,
      `A 5 3 86400 1048354263 1045762263 2642 example.com. ${sig}`,
    );
    expect(v.expiration).toBe(1048354263);
    expect(printRdata(RRType.RRSIG, v)).toMatch(/^A 5 3 86400 20030322173103 20030220173103 2642 /);
  });

  it('accepts times after 2106 modulo 2^32 (serial arithmetic, RFC 4034 §3.1.5)', () => {
    const v = parseText<RRSIGRdata>(RRType.RRSIG, 'A 13 2 0 21060207062816 19700101000001 1 . AA==');
    expect(v.expiration).toBe(0);
    expect(v.inception).toBe(1);
  });

  it('covers the full unsigned 32-bit time range', () => {
    const v = parseText<RRSIGRdata>(RRType.RRSIG, 'A 13 2 0 4294967295 0 1 . AA==');
    expect(printRdata(RRType.RRSIG, v)).toBe('A 13 2 0 21060207062815 19700101000000 1 . AA==');
    expect(
      parseText<RRSIGRdata>(RRType.RRSIG, 'A 13 2 0 21060207062815 19700101000000 1 . AA==').expiration,
    ).toBe(0xffffffff);
  });

  it('prints the type covered as a mnemonic or TYPEnnn', () => {
    expect(printRdata(RRType.RRSIG, parseText(RRType.RRSIG, 'type65534 13 2 0 0 0 1 . AA=='))).toMatch(
      /^TYPE65534 /,
    );
    expect(printRdata(RRType.RRSIG, parseText(RRType.RRSIG, 'TYPE1 13 2 0 0 0 1 . AA=='))).toMatch(/^A /);
    expect(printRdata(RRType.RRSIG, parseText(RRType.RRSIG, 'nsec3param 13 2 0 0 0 1 . AA=='))).toMatch(
      /^NSEC3PARAM /,
    );
  });

  it('resolves and prints the signer relative to the origin, and lowercases it in canonical form', () => {
    const origin = name('example.com.');
    const v = parseText<RRSIGRdata>(RRType.RRSIG, 'MX 13 2 300 0 0 1 @ AA==', 'Example.COM.');
    expect(v.signerName.toString()).toBe('Example.COM.');
    expect(printRdata(RRType.RRSIG, v, { origin })).toBe(
      'MX 13 2 300 19700101000000 19700101000000 1 @ AA==',
    );
    expect(hex(rdataToWire(RRType.RRSIG, v, true).subarray(18, 31))).toBe('076578616d706c6503636f6d00');
    expect(hex(rdataToWire(RRType.RRSIG, v).subarray(18, 31))).toBe('074578616d706c6503434f4d00');
  });

  it('rejects invalid times', () => {
    const base = (exp: string) => `A 5 3 86400 ${exp} 20030220173103 2642 example.com. ${sig}`;
    for (const bad of [
      '20031322173103',
      '20030230173103',
      '20030322243103',
      '20030322176003',
      '20030322173160',
      // Before 1970, and two-digit years that Date.UTC would read as 19xx.
      '19691231235959',
      '00500101000000',
    ]) {
      const e = expectDnsError(
        () => parseText(RRType.RRSIG, base(bad)),
        'field.time',
        new RegExp(`^expiration: '${bad}' is not a valid YYYYMMDDHHmmSS time$`),
      );
      expect(e.rfc).toBe('RFC 4034 §3.2');
      expect(e.position).toEqual({ line: 1, column: 13 });
    }
    for (const bad of ['2003032217310', '4294967296', '99999999999', 'tomorrow', '-1', '2003-03-22']) {
      expectDnsError(
        () => parseText(RRType.RRSIG, base(bad)),
        'field.time',
        /is neither YYYYMMDDHHmmSS nor seconds since 1970/,
      );
    }
    expectDnsError(
      () => parseText(RRType.RRSIG, `A 5 3 86400 20030322173103 2003022017310x 2642 example.com. ${sig}`),
      'field.time',
      /^inception: /,
    );
  });

  it('rejects an unknown type covered, bad numbers, names and signatures', () => {
    const e = expectDnsError(
      () => parseText(RRType.RRSIG, `FOO 5 3 86400 0 0 1 . AA==`),
      'type.unknown',
      /^typeCovered: 'FOO' is not a record type mnemonic or TYPEnnn$/,
    );
    expect(e.position).toEqual({ line: 1, column: 1 });
    expectDnsError(() => parseText(RRType.RRSIG, 'TYPE65536 5 3 0 0 0 1 . AA=='), 'type.unknown');
    expectDnsError(() => parseText(RRType.RRSIG, 'A 5 256 0 0 0 1 . AA=='), 'field.integer', /^labels: /);
    expectDnsError(
      () => parseText(RRType.RRSIG, 'A 5 3 4294967296 0 0 1 . AA=='),
      'field.integer',
      /^originalTtl: /,
    );
    expectDnsError(() => parseText(RRType.RRSIG, 'A 5 3 0 0 0 65536 . AA=='), 'field.integer', /^keyTag: /);
    expectDnsError(
      () => parseText(RRType.RRSIG, 'A 5 3 0 0 0 1 signer AA=='),
      'name.no-origin',
      /^signerName: /,
    );
    expectDnsError(() => parseText(RRType.RRSIG, 'A 5 3 0 0 0 1 . AA='), 'field.base64', /^signature: /);
    expectDnsError(
      () => parseText(RRType.RRSIG, 'A 5 3 0 0 0 1 .'),
      'field.missing',
      /^signature: missing base64 data$/,
    );
    expectDnsError(() => parseText(RRType.RRSIG, 'A 5 3 0 0 0 1'), 'rdata.missing-field', /^signerName: /);
  });

  it('rejects RDATA shorter than its fields', () => {
    const wire = rdataToWire(RRType.RRSIG, parseText(RRType.RRSIG, 'A 13 2 0 0 0 1 example. AA=='));
    expectWireError(() => decodeBytes(RRType.RRSIG, wire.subarray(0, 17)), /truncated keyTag/);
    expectWireError(() => decodeBytes(RRType.RRSIG, wire.subarray(0, 22)), /truncated label in signerName/);
    expectWireError(() => decodeBytes(RRType.RRSIG, wire.subarray(0, 27)), /signature: missing base64 data/);
    expectWireError(() => decodeRdata(RRType.RRSIG, new WireReader(wire), 20), /shorter than its fields/);
  });
});

describe('NSEC (RFC 4034 §4)', () => {
  it('encodes the RFC 4034 §4.3 example bit for bit', () => {
    const { printed, wire } = roundTrip<NSECRdata>(
      RRType.NSEC,
      'host.example.com. ( A MX RRSIG NSEC TYPE1234 )',
    );
    expect(printed).toBe('host.example.com. A MX RRSIG NSEC TYPE1234');
    expect(hex(wire)).toBe(
      '04686f7374076578616d706c6503636f6d00' + '0006400100000003' + '041b' + '00'.repeat(26) + '20',
    );
  });

  it('sorts and deduplicates the types, accepts any case and TYPEnnn', () => {
    const v = parseText<NSECRdata>(RRType.NSEC, 'next.example. nsec a TYPE1 mx A rrsig');
    expect(v.types).toEqual([RRType.A, RRType.MX, RRType.RRSIG, RRType.NSEC]);
    expect(printRdata(RRType.NSEC, v)).toBe('next.example. A MX RRSIG NSEC');
  });

  it('accepts an empty type list', () => {
    const { printed, wire } = roundTrip(RRType.NSEC, 'next.example.');
    expect(printed).toBe('next.example.');
    expect(hex(wire)).toBe('046e657874076578616d706c6500');
  });

  it('encodes types in several windows, including type 0 and 65535', () => {
    const { printed, wire } = roundTrip<NSECRdata>(RRType.NSEC, '. TYPE65535 CAA TYPE0 A');
    expect(printed).toBe('. TYPE0 A CAA TYPE65535');
    expect(hex(wire)).toBe('00' + '0001c0' + '010140' + 'ff20' + '00'.repeat(31) + '01');
  });

  it('prints the next name relative to the origin, and keeps its case in canonical form (RFC 6840 §5.1)', () => {
    const v = parseText<NSECRdata>(RRType.NSEC, 'Host A', 'Example.');
    expect(printRdata(RRType.NSEC, v, { origin: name('example.') })).toBe('Host A');
    expect(hex(rdataToWire(RRType.NSEC, v, true))).toBe('04486f737407' + '4578616d706c65' + '00' + '000140');
  });

  it('rejects unknown type mnemonics at their position', () => {
    const e = expectDnsError(
      () => parseText(RRType.NSEC, 'next.example. A BOGUS'),
      'type.unknown',
      /^types: 'BOGUS' is not a record type mnemonic or TYPEnnn$/,
    );
    expect(e.position).toEqual({ line: 1, column: 17 });
    expectDnsError(() => parseText(RRType.NSEC, 'next.example. TYPE70000'), 'type.unknown');
    expectDnsError(() => parseText(RRType.NSEC, 'next A'), 'name.no-origin', /^next: /);
  });

  it('rejects malformed type bitmaps on the wire', () => {
    const next = '00';
    expectWireError(
      () => decodeBytes(RRType.NSEC, fromHex(next + '010140' + '000140')),
      /types: type bitmap windows out of order/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC, fromHex(next + '000140' + '000140')),
      /windows out of order/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC, fromHex(next + '0000')),
      /bad type bitmap window length 0/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC, fromHex(next + '0021' + '00'.repeat(33))),
      /bad type bitmap window length 33/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC, fromHex(next + '000240')),
      /bad type bitmap window length 2/,
    );
    expectWireError(() => decodeBytes(RRType.NSEC, fromHex(next + '00')), /truncated types/);
    // RFC 4034 §4.1.2: no trailing zero octets, no empty windows.
    expectWireError(
      () => decodeBytes(RRType.NSEC, fromHex(next + '00024000')),
      /type bitmap window 0 ends in a zero octet/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC, fromHex(next + '000140' + '010100')),
      /window 1 ends in a zero octet/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC3, fromHex('0100000000' + '01ff' + '000100')),
      /window 0 ends in a zero octet/,
    );
    expectWireError(() => decodeBytes(RRType.NSEC, fromHex('03616263')), /truncated next/);
  });
});

describe('NSEC3 (RFC 5155 §3)', () => {
  const example = '1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG';

  it('parses, prints and round-trips the RFC 5155 Appendix A apex NSEC3', () => {
    const { value, printed, wire } = roundTrip<NSEC3Rdata>(RRType.NSEC3, example);
    expect(value).toMatchObject({ hashAlgorithm: 1, flags: 1, iterations: 12 });
    expect(hex(value.salt)).toBe('aabbccdd');
    expect(value.nextHashed.length).toBe(20);
    expect(printed).toBe(
      '1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR NS SOA MX RRSIG DNSKEY NSEC3PARAM',
    );
    expect(hex(wire.subarray(0, 10))).toBe('01' + '01' + '000c' + '04' + 'aabbccdd' + '14');
    expect(hex(wire.subarray(30))).toBe('0007' + '22010000000290');
  });

  it("accepts '-' for no salt and an empty type list", () => {
    const { printed, wire } = roundTrip(RRType.NSEC3, '1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr');
    expect(printed).toBe('1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR');
    expect(hex(wire.subarray(0, 6))).toBe('010000000014');
    expect(wire.length).toBe(26);
  });

  it('rejects a bad salt', () => {
    const e = expectDnsError(
      () => parseText(RRType.NSEC3, '1 0 0 zz 2t7b4g4vsa5smi47k61mv5bv1a22bojr'),
      'field.salt',
      /^salt: 'zz' is not a hex salt or '-'$/,
    );
    expect(e.rfc).toBe('RFC 5155 §3.3');
    expectDnsError(() => parseText(RRType.NSEC3, '1 0 0 abc 2t7b4g4vsa5smi47k61mv5bv1a22bojr'), 'field.salt');
    expectDnsError(() => parseText(RRType.NSEC3, '1 0 0 "" 2t7b4g4vsa5smi47k61mv5bv1a22bojr'), 'field.salt');
    expectDnsError(
      () => parseText(RRType.NSEC3, `1 0 0 ${'ab'.repeat(256)} 2t7b4g4vsa5smi47k61mv5bv1a22bojr`),
      'field.salt',
      /salt of 256 octets exceeds 255/,
    );
  });

  it('rejects a next hashed owner that is not base32hex', () => {
    for (const bad of [
      '2t7b4g4vsa5smi47k61mv5bv1a22bojw',
      '2t7b4g4vsa5smi47k61mv5bv1a22boj',
      '-',
      '""',
      '2t7b4g4v=a5smi47k61mv5bv1a22bojr',
    ]) {
      expectDnsError(
        () => parseText(RRType.NSEC3, `1 0 0 - ${bad}`),
        'field.base32hex',
        /^nextHashed: '.*' is not a base32hex hash$/,
      );
    }
  });

  it('rejects bad numbers, missing fields and unknown types', () => {
    expectDnsError(
      () => parseText(RRType.NSEC3, '1 0 65536 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr'),
      'field.integer',
      /^iterations: /,
    );
    expectDnsError(
      () => parseText(RRType.NSEC3, '256 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr'),
      'field.integer',
      /^hashAlgorithm: /,
    );
    expectDnsError(
      () => parseText(RRType.NSEC3, '1 0 0 -'),
      'rdata.missing-field',
      /^nextHashed: NSEC3 is missing its nextHashed field$/,
    );
    expectDnsError(
      () => parseText(RRType.NSEC3, '1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A FOO'),
      'type.unknown',
    );
  });

  it('rejects malformed wire RDATA', () => {
    expectWireError(
      () => decodeBytes(RRType.NSEC3, fromHex('010000000400')),
      /salt: salt overruns the RDATA/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC3, fromHex('01000000' + '00' + '00')),
      /nextHashed: bad hash length 0/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC3, fromHex('01000000' + '00' + '05aabb')),
      /nextHashed: bad hash length 5/,
    );
    expectWireError(() => decodeBytes(RRType.NSEC3, fromHex('010000')), /truncated iterations/);
  });
});

describe('NSEC3PARAM (RFC 5155 §4)', () => {
  it('parses, prints and round-trips with and without salt', () => {
    const a = roundTrip<NSEC3PARAMRdata>(RRType.NSEC3PARAM, '1 0 0 -');
    expect(a.printed).toBe('1 0 0 -');
    expect(hex(a.wire)).toBe('0100000000');
    const b = roundTrip<NSEC3PARAMRdata>(RRType.NSEC3PARAM, '1 0 12 aabbccdd');
    expect(b.printed).toBe('1 0 12 AABBCCDD');
    expect(hex(b.wire)).toBe('0100000c04aabbccdd');
  });

  it('rejects missing and extra fields and bad salts', () => {
    expectDnsError(
      () => parseText(RRType.NSEC3PARAM, '1 0 0'),
      'rdata.missing-field',
      /^salt: NSEC3PARAM is missing its salt field$/,
    );
    expectDnsError(
      () => parseText(RRType.NSEC3PARAM, '1 0 0 - extra'),
      'rdata.extra-field',
      /unexpected 'extra' after the last field of NSEC3PARAM/,
    );
    expectDnsError(() => parseText(RRType.NSEC3PARAM, '1 0 0 xy'), 'field.salt');
  });

  it('rejects RDATA shorter or longer than its fields', () => {
    expectWireError(
      () => decodeBytes(RRType.NSEC3PARAM, fromHex('0100000004aabb')),
      /salt overruns the RDATA/,
    );
    expectWireError(
      () => decodeBytes(RRType.NSEC3PARAM, fromHex('010000000000')),
      /NSEC3PARAM RDATA has 1 octet\(s\) after its last field/,
    );
    expectWireError(() => decodeBytes(RRType.NSEC3PARAM, fromHex('01000000')), /truncated salt/);
  });
});
