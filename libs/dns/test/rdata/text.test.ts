import { describe, expect, it } from 'vitest';
import {
  RRType,
  WireReader,
  WireWriter,
  decodeRdata,
  encodeRecord,
  parseMasterFile,
  parseRdata,
  printRdata,
  rdataToWire,
  tokenize,
  type HINFORdata,
  type TXTRdata,
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

const lengths = (v: TXTRdata) => v.strings.map((s) => s.length);

describe.each([
  ['TXT', RRType.TXT],
  ['SPF', RRType.SPF],
] as const)('%s (RFC 1035 §3.3.14, RFC 7208 §3.1)', (mnemonic, type) => {
  it('parses one string, prints it quoted and round-trips', () => {
    const { value, printed, wire } = roundTrip<TXTRdata>(type, '"v=spf1 -all"');
    expect(value.strings).toHaveLength(1);
    expect(printed).toBe('"v=spf1 -all"');
    expect(hex(wire)).toBe('0b' + '763d73706631202d616c6c');
  });

  it('keeps several strings apart, quoted or not', () => {
    const { value, printed, wire } = roundTrip<TXTRdata>(type, '"a" "b c" d');
    expect(lengths(value)).toEqual([1, 3, 1]);
    expect(printed).toBe('"a" "b c" "d"');
    expect(hex(wire)).toBe('0161' + '03622063' + '0164');
  });

  it('reads escapes: quotes, backslashes, \\DDD', () => {
    const { value, printed } = roundTrip<TXTRdata>(
      type,
      '"say \\"hi\\"" "back\\\\slash" "\\065\\000\\255" a\\ b',
    );
    expect(new TextDecoder().decode(value.strings[0])).toBe('say "hi"');
    expect(new TextDecoder().decode(value.strings[1])).toBe('back\\slash');
    expect(hex(value.strings[2]!)).toBe('4100ff');
    expect(new TextDecoder().decode(value.strings[3])).toBe('a b');
    expect(printed).toBe('"say \\"hi\\"" "back\\\\slash" "A\\000\\255" "a b"');
  });

  it('writes non-ASCII text as UTF-8 and prints those octets as \\DDD', () => {
    const { value, printed } = roundTrip<TXTRdata>(type, '"grüß"');
    expect(hex(value.strings[0]!)).toBe('6772c3bcc39f');
    expect(printed).toBe('"gr\\195\\188\\195\\159"');
  });

  it('accepts an empty string', () => {
    const { value, printed, wire } = roundTrip<TXTRdata>(type, '""');
    expect(lengths(value)).toEqual([0]);
    expect(printed).toBe('""');
    expect(hex(wire)).toBe('00');
  });

  it('splits a string longer than 255 octets into 255-octet strings', () => {
    const { value, printed, wire } = roundTrip<TXTRdata>(type, `"${'a'.repeat(300)}"`);
    expect(lengths(value)).toEqual([255, 45]);
    expect(printed).toBe(`"${'a'.repeat(255)}" "${'a'.repeat(45)}"`);
    expect(wire.length).toBe(302);
    expect(wire[0]).toBe(255);
    expect(wire[256]).toBe(45);
    expect(lengths(parseText(type, `"${'b'.repeat(255)}"`))).toEqual([255]);
    expect(lengths(parseText(type, `"${'b'.repeat(256)}"`))).toEqual([255, 1]);
    expect(lengths(parseText(type, `"${'b'.repeat(510)}" "c"`))).toEqual([255, 255, 1]);
    // Octets are counted after escapes: 300 × \000 is 300 octets.
    expect(lengths(parseText(type, `"${'\\000'.repeat(300)}"`))).toEqual([255, 45]);
  });

  it('reads strings across parentheses and lines', () => {
    const v = parseText<TXTRdata>(type, '( "part one"\n  "part two" ) ; comment');
    expect(printRdata(type, v)).toBe('"part one" "part two"');
  });

  it('prints the same with an origin (no names)', () => {
    expect(printRdata(type, parseText(type, '"x"'), { origin: name('example.') })).toBe('"x"');
  });

  it('rejects bad escapes, unterminated quotes and empty values', () => {
    const bad = expectDnsError(
      () => parseText(type, '"a" \n "\\300"'),
      'string.bad-escape',
      /^strings: '\\300' is not a \\DDD escape/,
    );
    expect(bad.position).toEqual({ line: 2, column: 2 });
    expectDnsError(() => parseText(type, '"abc'), 'syntax', /unterminated quoted string/);
    expectDnsError(() => parseText(type, ''), 'rdata.empty', new RegExp(`^${mnemonic} value is empty$`));
    expectDnsError(
      () => parseRdata(type, []),
      'rdata.missing-field',
      /^strings: needs at least one character-string$/,
    );
  });

  it('rejects RDATA without strings or with a string that overruns it', () => {
    expectWireError(
      () => decodeBytes(type, new Uint8Array(0)),
      /strings: needs at least one character-string/,
    );
    expectWireError(() => decodeBytes(type, fromHex('0561')), /strings: character-string overruns the RDATA/);
    expectWireError(() => decodeBytes(type, fromHex('0161' + '02')), /overruns the RDATA/);
  });

  it('decodes several strings, empty ones included', () => {
    const v = decodeBytes<TXTRdata>(type, fromHex('00' + '0161' + '00'));
    expect(lengths(v)).toEqual([0, 1, 0]);
    expect(printRdata(type, v)).toBe('"" "a" ""');
  });
});

describe('HINFO (RFC 1035 §3.3.2)', () => {
  it('parses two strings, prints them quoted and round-trips', () => {
    const { value, printed, wire } = roundTrip<HINFORdata>(RRType.HINFO, '"PC" Linux');
    expect(new TextDecoder().decode(value.cpu)).toBe('PC');
    expect(new TextDecoder().decode(value.os)).toBe('Linux');
    expect(printed).toBe('"PC" "Linux"');
    expect(hex(wire)).toBe('025043' + '054c696e7578');
  });

  it('accepts empty strings and spaces in quotes', () => {
    expect(roundTrip(RRType.HINFO, '"" "Debian GNU/Linux"').printed).toBe('"" "Debian GNU/Linux"');
  });

  it('rejects a missing OS and an extra field', () => {
    const e = expectDnsError(
      () => parseText(RRType.HINFO, '"PC"'),
      'rdata.missing-field',
      /^os: HINFO is missing its os field$/,
    );
    expect(e.field).toBe('os');
    expectDnsError(
      () => parseText(RRType.HINFO, 'a b c'),
      'rdata.extra-field',
      /unexpected 'c' after the last field of HINFO/,
    );
  });

  it('rejects a string over 255 octets (no splitting for single strings)', () => {
    const e = expectDnsError(
      () => parseText(RRType.HINFO, `"${'x'.repeat(256)}" os`),
      'field.string-too-long',
      /^cpu: string of 256 octets exceeds 255$/,
    );
    expect(e.position).toEqual({ line: 1, column: 1 });
    expect(parseText<HINFORdata>(RRType.HINFO, `"${'x'.repeat(255)}" os`).cpu.length).toBe(255);
  });

  it('rejects RDATA shorter or longer than its fields', () => {
    expectWireError(() => decodeBytes(RRType.HINFO, fromHex('025043')), /truncated os/);
    expectWireError(
      () => decodeBytes(RRType.HINFO, fromHex('02504305')),
      /os: character-string overruns the RDATA/,
    );
    expectWireError(
      () => decodeBytes(RRType.HINFO, fromHex('0000ff')),
      /HINFO RDATA has 1 octet\(s\) after its last field/,
    );
  });

  it('keeps strings intact through the canonical form', () => {
    const v = parseText(RRType.HINFO, '"PC" "LINUX"');
    expect(hex(rdataToWire(RRType.HINFO, v, true))).toBe('025043' + '054c494e5558');
  });

  it('reports the position of a bad escape', () => {
    const e = expectDnsError(
      () => parseRdata(RRType.HINFO, tokenize('"PC" "\\999"')),
      'string.bad-escape',
      /^os: /,
    );
    expect(e.field).toBe('os');
    expect(e.position).toEqual({ line: 1, column: 6 });
  });
});

describe('RDATA length (RFC 1035 §3.2.1: RDLENGTH is 16 bits)', () => {
  const strings = (n: number) => `"${'a'.repeat(255)}" `.repeat(n);

  it('accepts TXT data of up to 65535 octets and rejects more, at the record', () => {
    // 256 octets per string: 255 strings are 65280 octets, 256 would be 65536.
    expect(rdataToWire(RRType.TXT, parseText(RRType.TXT, strings(255))).length).toBe(65280);
    const e = expectDnsError(
      () => parseText(RRType.TXT, strings(275)),
      'rdata.too-long',
      /TXT RDATA of 70400 octets exceeds 65535/,
    );
    expect(e.rfc).toBe('RFC 1035 §3.2.1');
    expect(e.position).toEqual({ line: 1, column: 1 });
    expectDnsError(() => parseText(RRType.TXT, strings(256)), 'rdata.too-long');
    // One long string is split (RFC 1035 §3.3.14), and the split form counts.
    expectDnsError(() => parseText(RRType.TXT, `"${'a'.repeat(65_300)}"`), 'rdata.too-long');
  });

  it('rejects too-long data from a master file with its line', () => {
    const r = parseMasterFile(`$TTL 1\n@ SOA a. b. 1 2 3 4 5\nwww TXT ${strings(275)}\n`, {
      origin: name('example.'),
    });
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([[3, 'rdata.too-long']]);
  });

  it('rejects a decode length above 65535, and never encodes a record with a wrapped RDLENGTH', () => {
    expectDnsError(
      () => decodeRdata(RRType.TXT, new WireReader(new Uint8Array(70_000)), 70_000),
      'rdata.too-long',
    );
    const long = { strings: Array.from({ length: 275 }, () => new Uint8Array(255).fill(0x61)) };
    const rr = { name: name('www.example.'), type: RRType.TXT, class: 1, ttl: 1, data: long };
    expectDnsError(() => encodeRecord(rr, new WireWriter()), 'rdata.too-long', /70400 octets/);
    expectDnsError(() => rdataToWire(RRType.TXT, long), 'rdata.too-long');
  });
});
