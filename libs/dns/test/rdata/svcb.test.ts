import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DnsError,
  HTTPS,
  Name,
  RRType,
  SVCB,
  WireError,
  WireReader,
  decodeRdata,
  hexDecode,
  hexEncode,
  parseRdata,
  printRdata,
  rdataFromText,
  rdataToWire,
  tokenize,
  type SVCBRdata,
} from '../../src/index.js';

const origin = Name.parse('example.com.');

function parse(text: string, type: number = RRType.HTTPS): SVCBRdata {
  return rdataFromText(type, text, { origin }) as SVCBRdata;
}

function toHex(text: string, type: number = RRType.HTTPS): string {
  return hexEncode(rdataToWire(type, parse(text, type)));
}

const hexBytes = (hex: string): Uint8Array => hexDecode(hex.replace(/\s+/g, ''))!;

function decodeHex(hex: string, type: number = RRType.HTTPS): SVCBRdata {
  const bytes = hexBytes(hex);
  return decodeRdata(type, new WireReader(bytes), bytes.length) as SVCBRdata;
}

/** Text -> print is `printed`, text -> wire is `hex`, and wire -> print -> parse -> wire is stable. */
function roundTrip(text: string, printed: string, hex: string, type: number = RRType.HTTPS): void {
  const value = parse(text, type);
  expect(printRdata(type, value)).toBe(printed);
  expect(hexEncode(rdataToWire(type, value))).toBe(hex.replace(/\s+/g, '').toUpperCase());
  const back = decodeHex(hex, type);
  expect(printRdata(type, back)).toBe(printed);
  expect(toHex(printRdata(type, back), type)).toBe(hex.replace(/\s+/g, '').toUpperCase());
}

/** The DnsError `f` throws; fails the test when it throws nothing or something else. */
function errorOf(f: () => unknown): DnsError {
  try {
    f();
  } catch (e) {
    if (e instanceof DnsError) return e;
    throw e;
  }
  throw new Error('expected a DnsError');
}

const textError = (text: string, type: number = RRType.HTTPS) => errorOf(() => parse(text, type));
const wireError = (hex: string) => errorOf(() => decodeHex(hex));

// Priority 1, target '.', then the SvcParams given in hex.
const ROOT1 = '0001 00';

describe('SVCB/HTTPS: each SvcParamKey round-trips text, print and wire', () => {
  it('mandatory (0): any order in text, sorted keys on the wire', () => {
    roundTrip(
      '1 . mandatory=port,alpn alpn=h2 port=443',
      '1 . mandatory=alpn,port alpn=h2 port=443',
      `${ROOT1} 0000 0004 0001 0003  0001 0003 026832  0003 0002 01BB`,
    );
  });

  it('alpn (1): a comma-separated list of length-prefixed ids', () => {
    roundTrip('1 . alpn=h2,h3', '1 . alpn=h2,h3', `${ROOT1} 0001 0006 026832 026833`);
    roundTrip('1 . alpn=http/1.1', '1 . alpn=http/1.1', `${ROOT1} 0001 0009 08 687474702F312E31`);
  });

  it('alpn ids with commas, backslashes or spaces print quoted and read back the same', () => {
    roundTrip('1 . alpn="a\\\\,b,c d"', '1 . alpn="a\\\\,b,c d"', `${ROOT1} 0001 0008 03 612C62 03 632064`);
  });

  it('no-default-alpn (2): a flag, with alpn', () => {
    roundTrip(
      '1 . no-default-alpn alpn=h3',
      '1 . alpn=h3 no-default-alpn',
      `${ROOT1} 0001 0003 026833 0002 0000`,
    );
    expect(printRdata(RRType.HTTPS, parse('1 . alpn=h3 no-default-alpn=""'))).toBe(
      '1 . alpn=h3 no-default-alpn',
    );
  });

  it('port (3)', () => {
    roundTrip('1 . port=8443', '1 . port=8443', `${ROOT1} 0003 0002 20FB`);
    roundTrip('1 . port=0', '1 . port=0', `${ROOT1} 0003 0002 0000`);
    roundTrip('1 . port=65535', '1 . port=65535', `${ROOT1} 0003 0002 FFFF`);
  });

  it('ipv4hint (4)', () => {
    roundTrip(
      '1 . ipv4hint=192.0.2.1,192.0.2.2',
      '1 . ipv4hint=192.0.2.1,192.0.2.2',
      `${ROOT1} 0004 0008 C0000201 C0000202`,
    );
  });

  it('ech (5): base64, quoted or not', () => {
    roundTrip('1 . ech=AAEC/w==', '1 . ech=AAEC/w==', `${ROOT1} 0005 0004 000102FF`);
    roundTrip('1 . ech="AAEC/w=="', '1 . ech=AAEC/w==', `${ROOT1} 0005 0004 000102FF`);
  });

  it('ipv6hint (6): printed in RFC 5952 form', () => {
    roundTrip(
      '1 . ipv6hint=2001:DB8:0:0:0:0:0:1,2001:db8::2',
      '1 . ipv6hint=2001:db8::1,2001:db8::2',
      `${ROOT1} 0006 0020 20010DB8000000000000000000000001 20010DB8000000000000000000000002`,
    );
  });

  // Read by name or as keyNNNNN; printed as key7/key8, which Knot 3.2 reads (it refuses the names).
  it('dohpath (7, RFC 9461): read by name, printed as key7', () => {
    const wire = `0001 03646E73076578616D706C6503636F6D00 0001 0003 026832 0007 0010 2F646E732D71756572797B3F646E737D`;
    const printed = '1 dns.example.com. alpn=h2 key7="/dns-query{?dns}"';
    roundTrip('1 dns.example.com. alpn=h2 dohpath=/dns-query{?dns}', printed, wire, RRType.SVCB);
    roundTrip('1 dns.example.com. alpn=h2 key7=/dns-query{?dns}', printed, wire, RRType.SVCB);
    roundTrip('1 dns.example.com. alpn=h2 dohpath="/dns-query{?dns}"', printed, wire, RRType.SVCB);
  });

  it('ohttp (8, RFC 9540): a flag, read by name, printed as key8', () => {
    roundTrip('1 . alpn=h2 ohttp', '1 . alpn=h2 key8', `${ROOT1} 0001 0003 026832 0008 0000`, RRType.SVCB);
    roundTrip('1 . alpn=h2 key8', '1 . alpn=h2 key8', `${ROOT1} 0001 0003 026832 0008 0000`, RRType.SVCB);
    // The generic form is still checked as the key: ohttp takes no value.
    expect(textError('1 . alpn=h2 key8=x', RRType.SVCB).code).toBe('rdata.svcb-value-not-allowed');
  });

  it('mandatory with many keys is checked in linear time (a Set, not a list scan)', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `key${i + 10}`).join(',');
    const started = performance.now();
    expect(textError(`1 . mandatory=${keys}`).code).toBe('rdata.svcb-value-too-long');
    expect(performance.now() - started).toBeLessThan(500);
    expect(textError(`1 . mandatory=${keys},key10`).message).toMatch(/lists 'key10' twice/);
  });

  it('unregistered keys use keyNNNNN and print their value quoted', () => {
    roundTrip('1 . key667=hello', '1 . key667="hello"', `${ROOT1} 029B 0005 68656C6C6F`);
    roundTrip('1 . key65280="a b\\"c\\\\"', '1 . key65280="a b\\"c\\\\"', `${ROOT1} FF00 0006 6120622263 5C`);
    roundTrip('1 . key9 key10=', '1 . key9 key10', `${ROOT1} 0009 0000 000A 0000`);
  });

  it('keyNNNNN of a registered key is its wire value and prints by name', () => {
    roundTrip('1 . key3="\\001\\187"', '1 . port=443', `${ROOT1} 0003 0002 01BB`);
    roundTrip('1 . key1="\\002h2"', '1 . alpn=h2', `${ROOT1} 0001 0003 026832`);
    roundTrip(
      '1 . key2 key1="\\002h3"',
      '1 . alpn=h3 no-default-alpn',
      `${ROOT1} 0001 0003 026833 0002 0000`,
    );
  });

  it('takes a quoted value after key= as one SvcParam', () => {
    const v = parse('1 . alpn="h2,h3" port="443"');
    expect(printRdata(RRType.HTTPS, v)).toBe('1 . alpn=h2,h3 port=443');
  });

  it('prints every key in ascending order', () => {
    const text =
      '1 . alpn=h2,h3 port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech=AAEC/w== ipv6hint=2001:db8::1 mandatory=alpn,port no-default-alpn';
    const printed =
      '1 . mandatory=alpn,port alpn=h2,h3 no-default-alpn port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech=AAEC/w== ipv6hint=2001:db8::1';
    expect(printRdata(RRType.HTTPS, parse(text))).toBe(printed);
    expect(toHex(printed)).toBe(toHex(text));
    expect(parse(text).params.map((p) => p.key)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('spans lines in parentheses', () => {
    const v = parse('1 svc.example.net. (\n  alpn=h2   ; HTTP/2\n  port=8443\n)');
    expect(printRdata(RRType.HTTPS, v)).toBe('1 svc.example.net. alpn=h2 port=8443');
  });

  it('prints a target relative to the origin when asked', () => {
    const v = parse('1 svc alpn=h2');
    expect(v.target.toString()).toBe('svc.example.com.');
    expect(printRdata(RRType.HTTPS, v, { origin })).toBe('1 svc alpn=h2');
    expect(printRdata(RRType.HTTPS, v)).toBe('1 svc.example.com. alpn=h2');
  });

  it('keeps the target case in canonical form and never compresses it', () => {
    const v = parse('1 Svc.Example.COM. alpn=h2');
    const canonical = rdataToWire(RRType.HTTPS, v, true);
    expect(canonical).toEqual(rdataToWire(RRType.HTTPS, v, false));
    expect(hexEncode(canonical)).toContain(hexEncode(new TextEncoder().encode('Svc')));
  });

  it('targets(): the target, or nothing for "."', () => {
    expect(HTTPS.targets!(parse('1 svc.example.net. alpn=h2')).map(String)).toEqual(['svc.example.net.']);
    expect(HTTPS.targets!(parse('0 alias.example.net.')).map(String)).toEqual(['alias.example.net.']);
    expect(HTTPS.targets!(parse('1 . alpn=h2'))).toEqual([]);
    expect(SVCB.targets!(parse('1 .', RRType.SVCB))).toEqual([]);
  });

  it('registers both SVCB (64) and HTTPS (65)', () => {
    expect([SVCB.type, SVCB.mnemonic, HTTPS.type, HTTPS.mnemonic]).toEqual([64, 'SVCB', 65, 'HTTPS']);
  });
});

// RFC 9460 Appendix D (Figures 2-10): presentation form and expected wire form.
const VECTORS: [string, number, string, string][] = [
  ['D.1 Figure 2: AliasMode', RRType.HTTPS, '0 foo.example.com.', '0000 03666F6F076578616D706C6503636F6D00'],
  ['D.2 Figure 3: TargetName is "."', RRType.SVCB, '1 .', '0001 00'],
  [
    'D.2 Figure 4: port',
    RRType.SVCB,
    '16 foo.example.com. port=53',
    '0010 03666F6F076578616D706C6503636F6D00 0003 0002 0035',
  ],
  [
    'D.2 Figure 5: generic key, unquoted value',
    RRType.SVCB,
    '1 foo.example.com. key667=hello',
    '0001 03666F6F076578616D706C6503636F6D00 029B 0005 68656C6C6F',
  ],
  [
    'D.2 Figure 6: generic key, quoted value with a decimal escape',
    RRType.SVCB,
    '1 foo.example.com. key667="hello\\210qoo"',
    '0001 03666F6F076578616D706C6503636F6D00 029B 0009 68656C6C6FD2716F6F',
  ],
  [
    'D.2 Figure 7: two quoted IPv6 hints',
    RRType.SVCB,
    '1 foo.example.com. (\n  ipv6hint="2001:db8::1,2001:db8::53:1"\n  )',
    '0001 03666F6F076578616D706C6503636F6D00 0006 0020 20010DB8000000000000000000000001 20010DB8000000000000000000530001',
  ],
  [
    'D.2 Figure 8: IPv6 hint with embedded IPv4',
    RRType.SVCB,
    '1 example.com. (\n  ipv6hint="2001:db8:122:344::192.0.2.33"\n  )',
    '0001 076578616D706C6503636F6D00 0006 0010 20010DB801220344 00000000C0000221',
  ],
  [
    'D.2 Figure 9: keys sorted on the wire',
    RRType.SVCB,
    '16 foo.example.org. (\n  alpn=h2,h3-19 mandatory=ipv4hint,alpn\n  ipv4hint=192.0.2.1\n  )',
    '0010 03666F6F076578616D706C65036F726700 0000 0004 0001 0004 0001 0009 026832 056833 2D3139 0004 0004 C0000201',
  ],
  [
    'D.2 Figure 10: alpn with escaped comma and backslash (quoted)',
    RRType.SVCB,
    '16 foo.example.org. alpn="f\\\\\\\\oo\\\\,bar,h2"',
    '0010 03666F6F076578616D706C65036F726700 0001 000C 08665C6F6F2C626172 026832',
  ],
  [
    'D.2 Figure 10: alpn with escaped comma and backslash (decimal escapes)',
    RRType.SVCB,
    '16 foo.example.org. alpn=f\\\\\\092oo\\092,bar,h2',
    '0010 03666F6F076578616D706C65036F726700 0001 000C 08665C6F6F2C626172 026832',
  ],
];

describe('RFC 9460 Appendix D test vectors', () => {
  it.each(VECTORS)('%s: presentation -> wire', (_name, type, text, hex) => {
    expect(toHex(text, type)).toBe(hex.replace(/\s+/g, ''));
  });

  it.each(VECTORS)('%s: wire -> presentation -> wire', (_name, type, text, hex) => {
    const printed = printRdata(type, decodeHex(hex, type));
    expect(toHex(printed, type)).toBe(hex.replace(/\s+/g, ''));
    // Printing is canonical: printing the parse of the print changes nothing.
    expect(printRdata(type, parse(printed, type))).toBe(printed);
    expect(printed).toBe(printRdata(type, parse(text, type)));
  });

  it('prints the vectors in canonical form', () => {
    expect(VECTORS.map(([, type, text]) => printRdata(type, parse(text, type)))).toEqual([
      '0 foo.example.com.',
      '1 .',
      '16 foo.example.com. port=53',
      '1 foo.example.com. key667="hello"',
      '1 foo.example.com. key667="hello\\210qoo"',
      '1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1',
      '1 example.com. ipv6hint=2001:db8:122:344::c000:221',
      '16 foo.example.org. mandatory=alpn,ipv4hint alpn=h2,h3-19 ipv4hint=192.0.2.1',
      '16 foo.example.org. alpn="f\\\\\\\\oo\\\\,bar,h2"',
      '16 foo.example.org. alpn="f\\\\\\\\oo\\\\,bar,h2"',
    ]);
  });
});

describe('SVCB/HTTPS presentation errors', () => {
  it.each([
    [
      'duplicate key',
      '1 . alpn=h2 port=1 alpn=h3',
      'rdata.svcb-duplicate-key',
      /^alpn: appears more than once$/,
      20,
    ],
    [
      'duplicate key spelled two ways',
      '1 . port=1 key3="\\000\\002"',
      'rdata.svcb-duplicate-key',
      /^port: appears more than once$/,
      12,
    ],
    ['unknown key name', '1 . alpn=h2 foo=bar', 'rdata.svcb-unknown-key', /'foo' is not a SvcParamKey/, 13],
    ['key name in upper case', '1 . ALPN=h2', 'rdata.svcb-unknown-key', /'ALPN'/, 5],
    ['keyNNNNN with a leading zero', '1 . key01=x', 'rdata.svcb-unknown-key', /'key01'/, 5],
    ['keyNNNNN above 65535', '1 . key65536=x', 'rdata.svcb-unknown-key', /'key65536'/, 5],
    ['key65535', '1 . key65535=x', 'rdata.svcb-reserved-key', /^key65535: reserved as "Invalid key"/, 5],
    [
      'mandatory lists itself',
      '1 . mandatory=mandatory',
      'rdata.svcb-mandatory',
      /must not list 'mandatory' itself/,
      5,
    ],
    [
      'mandatory lists an absent key',
      '1 . mandatory=port alpn=h2',
      'rdata.svcb-mandatory',
      /lists 'port', which the record does not have/,
      5,
    ],
    [
      'mandatory lists a key twice',
      '1 . mandatory=alpn,alpn alpn=h2',
      'rdata.svcb-mandatory',
      /lists 'alpn' twice/,
      5,
    ],
    [
      'mandatory lists a key twice, two spellings',
      '1 . mandatory=alpn,key1 alpn=h2',
      'rdata.svcb-mandatory',
      /lists 'key1' twice/,
      5,
    ],
    [
      'mandatory lists an unknown key',
      '1 . mandatory=foo',
      'rdata.svcb-mandatory',
      /'foo' is not a SvcParamKey/,
      5,
    ],
    [
      'mandatory without a value',
      '1 . mandatory',
      'rdata.svcb-missing-value',
      /^mandatory: needs a value$/,
      5,
    ],
    [
      'no-default-alpn without alpn',
      '1 . no-default-alpn port=1',
      'rdata.svcb-no-default-alpn',
      /^no-default-alpn: needs alpn in the same record/,
      5,
    ],
    [
      'no-default-alpn with a value',
      '1 . alpn=h2 no-default-alpn=x',
      'rdata.svcb-value-not-allowed',
      /^no-default-alpn: takes no value/,
      13,
    ],
    ['ohttp with a value', '1 . ohttp="x"', 'rdata.svcb-value-not-allowed', /^ohttp: takes no value$/, 5],
    ['alpn without a value', '1 . alpn', 'rdata.svcb-missing-value', /^alpn: needs a value/, 5],
    ['alpn with an empty value', '1 . alpn=""', 'rdata.svcb-missing-value', /^alpn: needs a value/, 5],
    ['alpn with an empty id', '1 . alpn=h2,,h3', 'rdata.svcb-alpn', /empty protocol id/, 5],
    ['alpn with a trailing comma', '1 . alpn=h2,', 'rdata.svcb-alpn', /empty protocol id/, 5],
    [
      'alpn id longer than 255',
      `1 . alpn=${'x'.repeat(256)}`,
      'rdata.svcb-alpn',
      /256 octets exceeds 255/,
      5,
    ],
    ['alpn with a bad list escape', '1 . alpn="a\\\\b"', 'rdata.svcb-alpn', /'\\b' is not an escape/, 5],
    ['port that is too large', '1 . port=65536', 'rdata.svcb-port', /'65536' is not a port number/, 5],
    ['port that is not a number', '1 . port=http', 'rdata.svcb-port', /'http' is not a port number/, 5],
    ['port list', '1 . port=80,443', 'rdata.svcb-port', /'80,443'/, 5],
    ['port without a value', '1 . port', 'rdata.svcb-missing-value', /^port: needs a value$/, 5],
    [
      'bad ipv4hint',
      '1 . ipv4hint=192.0.2.1,192.0.2',
      'rdata.svcb-ipv4hint',
      /'192.0.2' is not an IPv4 address/,
      5,
    ],
    ['IPv6 in ipv4hint', '1 . ipv4hint=2001:db8::1', 'rdata.svcb-ipv4hint', /is not an IPv4 address/, 5],
    [
      'bad ipv6hint',
      '1 . ipv6hint=2001:db8::g',
      'rdata.svcb-ipv6hint',
      /'2001:db8::g' is not an IPv6 address/,
      5,
    ],
    ['ipv6hint without a value', '1 . ipv6hint', 'rdata.svcb-missing-value', /^ipv6hint: needs a value$/, 5],
    ['bad base64 in ech', '1 . ech=not*base64', 'rdata.svcb-ech', /is not base64/, 5],
    ['ech without a value', '1 . ech=', 'rdata.svcb-missing-value', /^ech: needs a value$/, 5],
    [
      'generic port of the wrong size',
      '1 . key3="\\001"',
      'rdata.svcb-port',
      /1 octets is not a 2-octet port/,
      5,
    ],
    ['generic alpn that overruns', '1 . key1=h2', 'rdata.svcb-alpn', /overruns/, 5],
    [
      'AliasMode with SvcParams',
      '0 foo.example.com. alpn=h2',
      'rdata.svcb-alias-params',
      /AliasMode records carry no SvcParams/,
      20,
    ],
    ['quoted key', '1 . "alpn=h2"', 'rdata.svcb-quoted-key', /is quoted/, 5],
    ['quoted value not attached to its key', '1 . alpn= "h2"', 'rdata.svcb-quoted-key', /is quoted/, 11],
  ])('%s', (_name, text, code, message, column) => {
    const e = textError(text);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.position).toEqual({ line: 1, column });
  });

  it('cites the RFC section', () => {
    expect(textError('0 foo.example.com. alpn=h2').rfc).toBe('RFC 9460 §2.4.2');
    expect(textError('1 . no-default-alpn').rfc).toBe('RFC 9460 §7.1.1');
    expect(textError('1 . mandatory=port').rfc).toBe('RFC 9460 §8');
    expect(textError('1 . port=x').rfc).toBe('RFC 9460 §7.2');
    expect(textError('1 . ipv4hint=x').rfc).toBe('RFC 9460 §7.3');
    expect(textError('1 . key65535').rfc).toBe('RFC 9460 §14.3.2');
    expect(textError('1 . port=1 port=2').rfc).toBe('RFC 9460 §2.1');
    expect(textError('1 . foo').field).toBe('foo');
  });

  it('reports the line of a SvcParam inside parentheses', () => {
    expect(textError('1 . (\n alpn=h2\n   port=99999 )').position).toEqual({ line: 3, column: 4 });
  });

  it('rejects a bad escape in a value, with its position', () => {
    const e = textError('1 . alpn=h2 key9="\\999"');
    expect(e.code).toBe('string.bad-escape');
    expect(e.position).toEqual({ line: 1, column: 13 });
  });

  it('rejects a missing or bad priority and target', () => {
    expect(textError('1').code).toBe('rdata.missing-field');
    expect(textError('1').message).toMatch(/HTTPS is missing its target field/);
    expect(textError('65536 .').code).toBe('field.integer');
    expect(textError('1 foo..example.').field).toBe('target');
  });
});

describe('SVCB/HTTPS wire errors', () => {
  it.each([
    [
      'keys out of order',
      `${ROOT1} 0003 0002 01BB 0001 0003 026832`,
      /increasing key order \(RFC 9460 §2\.2\)/,
    ],
    ['duplicate keys', `${ROOT1} 0003 0002 01BB 0003 0002 0050`, /^port: appears more than once/],
    [
      'ipv4hint not a multiple of 4',
      `${ROOT1} 0004 0005 C000020101`,
      /ipv4hint: value of 5 octets is not a list of 4-octet/,
    ],
    ['empty ipv4hint', `${ROOT1} 0004 0000`, /^ipv4hint: needs a value/],
    [
      'ipv6hint not a multiple of 16',
      `${ROOT1} 0006 0004 20010DB8`,
      /ipv6hint: value of 4 octets is not a list of 16-octet/,
    ],
    ['port not 2 octets', `${ROOT1} 0003 0003 01BB00`, /port: value of 3 octets is not a 2-octet port/],
    [
      'mandatory not a multiple of 2',
      `${ROOT1} 0000 0003 000100 0001 0003 026832`,
      /mandatory: value of 3 octets/,
    ],
    [
      'mandatory out of order',
      `${ROOT1} 0000 0004 0003 0001 0001 0003 026832 0003 0002 01BB`,
      /increasing order/,
    ],
    ['mandatory with a duplicate', `${ROOT1} 0000 0004 0001 0001 0001 0003 026832`, /lists 'alpn' twice/],
    ['mandatory listing itself', `${ROOT1} 0000 0002 0000`, /must not list 'mandatory' itself/],
    [
      'mandatory listing an absent key',
      `${ROOT1} 0000 0002 0003`,
      /lists 'port', which the record does not have/,
    ],
    ['alpn with an empty id', `${ROOT1} 0001 0004 026832 00`, /alpn: empty protocol id/],
    ['alpn id overrunning the value', `${ROOT1} 0001 0003 056832`, /alpn: protocol id overruns the value/],
    ['alpn with no ids', `${ROOT1} 0001 0000`, /^alpn: needs a value/],
    [
      'no-default-alpn with a value',
      `${ROOT1} 0001 0003 026832 0002 0001 00`,
      /^no-default-alpn: takes no value/,
    ],
    ['no-default-alpn without alpn', `${ROOT1} 0002 0000`, /^no-default-alpn: needs alpn in the same record/],
    ['key65535', `${ROOT1} FFFF 0000`, /^key65535: reserved as "Invalid key"/],
    [
      'AliasMode with SvcParams',
      '0000 00 0003 0002 01BB',
      /AliasMode records carry no SvcParams \(RFC 9460 §2\.4\.2\)/,
    ],
    ['a value that overruns the RDATA', `${ROOT1} 0003 0002 1E`, /port: value overruns the RDATA/],
    ['RDATA ending inside a SvcParam', `${ROOT1} 0003`, /RDATA ends inside a SvcParam/],
    ['RDATA too short for a target', '0001', /too short/],
  ])('%s', (_name, hex, message) => {
    const e = wireError(hex);
    expect(e).toBeInstanceOf(WireError);
    expect(e.code).toBe('wire');
    expect(e.message).toMatch(message);
  });

  it('rejects a compressed target', () => {
    // "foo." at offset 0, then RDATA whose target is a pointer to it.
    const buf = hexBytes('03666F6F00 0001 C000');
    const e = errorOf(() => decodeRdata(RRType.SVCB, new WireReader(buf, 5), 4));
    expect(e.message).toMatch(/target at offset 7 is compressed, which this field does not allow/);
  });

  it('rejects RDATA longer than the message', () => {
    expect(errorOf(() => decodeRdata(RRType.HTTPS, new WireReader(hexDecode('000100')!), 9)).message).toMatch(
      /overruns the message/,
    );
  });

  it('consumes exactly its RDATA inside a larger buffer', () => {
    const buf = hexBytes('FFFF 0001 00 0003 0002 01BB EEEE');
    const r = new WireReader(buf, 2);
    const v = decodeRdata(RRType.HTTPS, r, 9) as SVCBRdata;
    expect(r.pos).toBe(11);
    expect(printRdata(RRType.HTTPS, v)).toBe('1 . port=443');
  });
});

describe('SVCB/HTTPS in the generic \\# form (RFC 3597)', () => {
  it('decodes and checks it as HTTPS', () => {
    const v = rdataFromText(RRType.HTTPS, '\\# 25 001003666f6f076578616d706c6503636f6d00000300020035');
    expect(printRdata(RRType.HTTPS, v)).toBe('16 foo.example.com. port=53');
  });

  it('accepts it split across tokens, as in a master file', () => {
    const v = parseRdata(RRType.HTTPS, tokenize('\\# 3 ( 00 01\n 00 )'));
    expect(printRdata(RRType.HTTPS, v)).toBe('1 .');
  });

  it('rejects keys out of order', () => {
    const e = errorOf(() => rdataFromText(RRType.HTTPS, '\\# 16 000100000300021e6100010003026833'));
    expect(e.code).toBe('rdata.generic');
    expect(e.message).toMatch(/not valid HTTPS: .*increasing key order/);
  });

  it('rejects a truncated SvcParam', () => {
    const e = errorOf(() => rdataFromText(RRType.HTTPS, '\\# 8 000100000300021e'));
    expect(e.code).toBe('rdata.generic');
    expect(e.message).toMatch(/value overruns the RDATA/);
  });

  it('rejects AliasMode with SvcParams', () => {
    const e = errorOf(() => rdataFromText(RRType.SVCB, '\\# 9 0000 00 0003 0002 01BB'));
    expect(e.message).toMatch(/AliasMode records carry no SvcParams/);
  });
});

describe('SVCB/HTTPS property: wire -> print -> parse -> wire is stable', () => {
  const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
  it('holds for arbitrary alpn ids, dohpath and unregistered values', () => {
    fc.assert(
      fc.property(
        fc.array(bytes(1, 12), { minLength: 1, maxLength: 4 }),
        bytes(1, 20),
        fc.uniqueArray(fc.integer({ min: 9, max: 65534 }), { maxLength: 3 }),
        bytes(0, 20),
        (ids, dohpath, keys, generic) => {
          const params = [
            { key: 1, value: Uint8Array.from(ids.flatMap((id) => [id.length, ...id])) },
            { key: 7, value: dohpath },
            ...keys.map((key) => ({ key, value: generic })),
          ].sort((a, b) => a.key - b.key);
          const value: SVCBRdata = { priority: 1, target: Name.parse('svc.example.'), params };
          const wire = rdataToWire(RRType.HTTPS, value);
          const text = printRdata(RRType.HTTPS, decodeRdata(RRType.HTTPS, new WireReader(wire), wire.length));
          expect(rdataToWire(RRType.HTTPS, parse(text))).toEqual(wire);
        },
      ),
    );
  });
});
