import { describe, expect, it } from 'vitest';
import { RRType, SRV, printRdata, rdataToWire, type NAPTRRdata, type SRVRdata } from '../../src/index.js';
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

const ascii = (s: string) => hex(Uint8Array.from(s, (c) => c.charCodeAt(0)));

describe('SRV (RFC 2782)', () => {
  it('parses, prints and round-trips through the wire', () => {
    const { value, printed, wire } = roundTrip<SRVRdata>(RRType.SRV, '10 60 5060 SIP.Example.com.');
    expect(value).toMatchObject({ priority: 10, weight: 60, port: 5060 });
    expect(printed).toBe('10 60 5060 SIP.Example.com.');
    expect(hex(wire)).toBe('000a' + '003c' + '13c4' + '03534950074578616d706c6503636f6d00');
  });

  it('resolves and prints relative targets', () => {
    const origin = name('example.com.');
    const v = parseText<SRVRdata>(RRType.SRV, '0 0 443 www', 'example.com.');
    expect(v.target.toString()).toBe('www.example.com.');
    expect(printRdata(RRType.SRV, v, { origin })).toBe('0 0 443 www');
    expect(printRdata(RRType.SRV, v)).toBe('0 0 443 www.example.com.');
  });

  it("accepts '.' as 'service not available', which names no target", () => {
    const { value, printed } = roundTrip<SRVRdata>(RRType.SRV, '0 0 0 .');
    expect(printed).toBe('0 0 0 .');
    expect(SRV.targets!(value)).toEqual([]);
    expect(SRV.targets!(parseText<SRVRdata>(RRType.SRV, '0 0 1 a.example.')).map(String)).toEqual([
      'a.example.',
    ]);
  });

  it('lowercases the target in canonical form', () => {
    expect(hex(rdataToWire(RRType.SRV, parseText(RRType.SRV, '1 2 3 A.B.'), true))).toBe(
      '000100020003' + '0161016200',
    );
  });

  it('rejects out-of-range numbers, naming the field', () => {
    expectDnsError(
      () => parseText(RRType.SRV, '65536 0 1 a.'),
      'field.integer',
      /^priority: '65536' is not an integer from 0 to 65535$/,
    );
    expectDnsError(() => parseText(RRType.SRV, '0 -1 1 a.'), 'field.integer', /^weight: /);
    const e = expectDnsError(() => parseText(RRType.SRV, '0 0 70000 a.'), 'field.integer', /^port: /);
    expect(e.position).toEqual({ line: 1, column: 5 });
  });

  it('rejects missing and extra fields', () => {
    expectDnsError(
      () => parseText(RRType.SRV, '0 0 5060'),
      'rdata.missing-field',
      /^target: SRV is missing its target field$/,
    );
    expectDnsError(() => parseText(RRType.SRV, '0 0'), 'rdata.missing-field', /missing its port field/);
    expectDnsError(() => parseText(RRType.SRV, '0 0 1 a. b.'), 'rdata.extra-field', /unexpected 'b\.'/);
  });

  it('rejects RDATA shorter or longer than its fields', () => {
    expectWireError(() => decodeBytes(RRType.SRV, fromHex('000a003c13')), /truncated port/);
    expectWireError(() => decodeBytes(RRType.SRV, fromHex('000a003c13c4')), /truncated target/);
    expectWireError(() => decodeBytes(RRType.SRV, fromHex('000a003c13c40000')), /after its last field/);
  });
});

describe('NAPTR (RFC 3403 §4.1)', () => {
  const rfcExample = '100 10 "u" "E2U+sip" "!^.*$!sip:information@foo.se!i" .';

  it('parses, prints and round-trips the RFC 3403 example', () => {
    const { value, printed, wire } = roundTrip<NAPTRRdata>(RRType.NAPTR, rfcExample);
    expect(value.order).toBe(100);
    expect(value.preference).toBe(10);
    expect(value.replacement.isRoot).toBe(true);
    expect(printed).toBe(rfcExample);
    const regexp = '!^.*$!sip:information@foo.se!i';
    expect(hex(wire)).toBe(
      '0064' +
        '000a' +
        '01' +
        ascii('u') +
        '07' +
        ascii('E2U+sip') +
        regexp.length.toString(16) +
        ascii(regexp) +
        '00',
    );
  });

  it('accepts empty flags, services and regexp with a replacement', () => {
    const { printed } = roundTrip(RRType.NAPTR, '10 0 "" "" "" _sip._udp.example.com.');
    expect(printed).toBe('10 0 "" "" "" _sip._udp.example.com.');
  });

  it('accepts letter and digit flags in either case', () => {
    expect(roundTrip(RRType.NAPTR, '1 1 "S" "SIP+D2U" "" _sip._udp.example.').printed).toBe(
      '1 1 "S" "SIP+D2U" "" _sip._udp.example.',
    );
    expect(roundTrip(RRType.NAPTR, '1 1 "a9" "" "" a.example.').printed).toBe('1 1 "a9" "" "" a.example.');
  });

  it('resolves and prints a relative replacement', () => {
    const origin = name('example.com.');
    const v = parseText<NAPTRRdata>(RRType.NAPTR, '1 1 "s" "SIP+D2T" "" _sip._tcp', 'example.com.');
    expect(v.replacement.toString()).toBe('_sip._tcp.example.com.');
    expect(printRdata(RRType.NAPTR, v, { origin })).toBe('1 1 "s" "SIP+D2T" "" _sip._tcp');
  });

  it('lowercases the replacement in canonical form but keeps the strings', () => {
    const v = parseText(RRType.NAPTR, '1 1 "S" "X" "" A.');
    expect(hex(rdataToWire(RRType.NAPTR, v, true))).toBe('00010001' + '0153' + '0158' + '00' + '016100');
  });

  it('rejects flags that are not letters or digits', () => {
    for (const flags of ['"u!"', '"+"', '" "', '"\\000"']) {
      const e = expectDnsError(
        () => parseText(RRType.NAPTR, `1 1 ${flags} "" "" .`),
        'rdata.naptr-flags',
        /^flags: NAPTR flags must be letters or digits$/,
      );
      expect(e.rfc).toBe('RFC 3403 §4.1');
    }
  });

  it('rejects missing and extra fields and bad numbers', () => {
    expectDnsError(
      () => parseText(RRType.NAPTR, '1 1 "u" "E2U+sip" "!x!y!"'),
      'rdata.missing-field',
      /^replacement: /,
    );
    expectDnsError(() => parseText(RRType.NAPTR, '1 1 "u"'), 'rdata.missing-field', /^services: /);
    expectDnsError(() => parseText(RRType.NAPTR, `${rfcExample} extra`), 'rdata.extra-field');
    expectDnsError(() => parseText(RRType.NAPTR, '65536 1 "" "" "" .'), 'field.integer', /^order: /);
    expectDnsError(() => parseText(RRType.NAPTR, '1 x "" "" "" .'), 'field.integer', /^preference: /);
    expectDnsError(
      () => parseText(RRType.NAPTR, `1 1 "" "" "${'r'.repeat(256)}" .`),
      'field.string-too-long',
      /^regexp: /,
    );
  });

  it('rejects bad wire data, flags included', () => {
    const good = rdataToWire(RRType.NAPTR, parseText(RRType.NAPTR, '1 1 "u" "" "" .'));
    expect(hex(good)).toBe('00010001017500' + '0000');
    expectWireError(
      () => decodeBytes(RRType.NAPTR, fromHex('000100010121000000')),
      /flags: NAPTR flags must be letters or digits/,
    );
    expectWireError(
      () => decodeBytes(RRType.NAPTR, good.subarray(0, good.length - 1)),
      /truncated replacement/,
    );
    expectWireError(() => decodeBytes(RRType.NAPTR, Uint8Array.from([...good, 0])), /after its last field/);
    expectWireError(
      () => decodeBytes(RRType.NAPTR, fromHex('000100010575')),
      /flags: character-string overruns the RDATA/,
    );
  });
});
