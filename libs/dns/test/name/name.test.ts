import { describe, expect, it } from 'vitest';
import { MAX_LABEL_OCTETS, MAX_NAME_OCTETS, Name, labelToText } from '../../src/index.js';
import { expectDnsError, hex, name } from '../support/rdata-assert.js';

const origin = name('example.com.');
const ascii = (l: Uint8Array) => String.fromCharCode(...l);

describe('Name.parse: presentation form', () => {
  it('parses an absolute name into its uncompressed wire form', () => {
    const n = name('www.example.com.');
    expect(hex(n.wire)).toBe('03777777076578616d706c6503636f6d00');
    expect(n.labelCount).toBe(3);
    expect(n.labels().map(ascii)).toEqual(['www', 'example', 'com']);
    expect(n.toString()).toBe('www.example.com.');
    expect(n.isRoot).toBe(false);
  });

  it('parses the root as a single zero octet', () => {
    const root = name('.');
    expect(root).toBe(Name.ROOT);
    expect(hex(root.wire)).toBe('00');
    expect(root.isRoot).toBe(true);
    expect(root.labelCount).toBe(0);
    expect(root.toString()).toBe('.');
  });

  it('appends the origin to relative names', () => {
    expect(Name.parse('www', { origin }).toString()).toBe('www.example.com.');
    expect(Name.parse('a.b', { origin }).toString()).toBe('a.b.example.com.');
    expect(Name.parse('www', { origin: Name.ROOT }).toString()).toBe('www.');
  });

  it('ignores the origin for absolute names', () => {
    expect(Name.parse('www.example.net.', { origin }).toString()).toBe('www.example.net.');
  });

  it("reads '@' as the origin itself", () => {
    expect(Name.parse('@', { origin })).toBe(origin);
  });

  it("rejects '@' and relative names when there is no origin", () => {
    expectDnsError(() => Name.parse('@'), 'name.no-origin', /'@' used without an origin/);
    expectDnsError(() => Name.parse('www'), 'name.no-origin', /'www' is relative/);
  });

  it('rejects the empty string', () => {
    expectDnsError(() => Name.parse(''), 'name.empty', /empty name/);
  });

  it('names the field in error messages', () => {
    const err = expectDnsError(
      () => Name.parse('a..b.', { field: 'exchange' }),
      'name.empty-label',
      /^exchange: /,
    );
    expect(err.field).toBe('exchange');
    expect(err.rfc).toBe('RFC 1035 §3.1');
  });
});

describe('Name.parse: escapes', () => {
  it('keeps an escaped dot inside its label', () => {
    const n = name('a\\.b.example.');
    expect(n.labelCount).toBe(2);
    expect(n.labels().map(ascii)).toEqual(['a.b', 'example']);
    expect(hex(n.wire)).toBe('03612e62076578616d706c6500');
    expect(n.toString()).toBe('a\\.b.example.');
  });

  it('distinguishes an escaped dot from a label boundary', () => {
    expect(name('a\\.b.').equals(name('a.b.'))).toBe(false);
    expect(name('a\\.b.').key).not.toBe(name('a.b.').key);
  });

  it('reads \\DDD as one octet', () => {
    expect(hex(name('\\065\\000\\255.').wire)).toBe('034100ff00');
    expect(name('\\065bc.').toString()).toBe('Abc.');
    expect(name('\\000.').toString()).toBe('\\000.');
    expect(name('\\255.').toString()).toBe('\\255.');
  });

  it('reads \\\\ as a backslash and prints it escaped', () => {
    const n = name('a\\\\b.');
    expect(n.labels().map(ascii)).toEqual(['a\\b']);
    expect(n.toString()).toBe('a\\\\b.');
  });

  it('reads \\X as X for any other character', () => {
    expect(name('\\a\\-\\_.').labels().map(ascii)).toEqual(['a-_']);
    expect(name('\\@.').labels().map(ascii)).toEqual(['@']);
  });

  it('prints characters that are special in master files escaped, and reads them back', () => {
    const label = Uint8Array.from('a"b(c)d;e@f$g. h\\', (c) => c.charCodeAt(0));
    expect(labelToText(label)).toBe('a\\"b\\(c\\)d\\;e\\@f\\$g\\.\\032h\\\\');
    const n = Name.fromLabels([label]);
    expect(name(n.toString()).wire).toEqual(n.wire);
  });

  it('prints control and non-ASCII octets as \\DDD', () => {
    expect(labelToText(Uint8Array.of(0x00, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff))).toBe(
      '\\000\\031\\032\\~\\127\\128\\255',
    );
  });

  it('prints only letters, digits, - _ / * bare and escapes every other character (Knot reads no more)', () => {
    const bare = 'Az09-_/*';
    expect(labelToText(Uint8Array.from(bare, (c) => c.charCodeAt(0)))).toBe(bare);
    for (const c of "#!%,:~+=?[]{}|^`'<>&")
      expect(labelToText(Uint8Array.of(c.charCodeAt(0))), c).toBe(`\\${c}`);
    for (const text of [
      '\\#.example.',
      'a\\!b.example.',
      'a\\%b.example.',
      'a\\,b.example.',
      'a\\:b.example.',
    ])
      expect(name(text).toString()).toBe(text);
    expect(name('a!b~c.example.').toString()).toBe('a\\!b\\~c.example.');
  });

  it('rejects malformed escapes', () => {
    expectDnsError(() => name('a\\25.'), 'name.bad-escape', /three decimal digits/);
    expectDnsError(() => name('a\\2'), 'name.bad-escape', /three decimal digits/);
    expectDnsError(() => name('\\2x5.'), 'name.bad-escape');
    expectDnsError(() => name('\\256.'), 'name.bad-escape', /above 255/);
    expectDnsError(() => name('\\999.'), 'name.bad-escape', /above 255/);
    expectDnsError(() => name('abc\\'), 'name.bad-escape', /lone backslash/);
  });
});

describe('Name: case', () => {
  it('preserves case when printing', () => {
    expect(name('WWW.Example.COM.').toString()).toBe('WWW.Example.COM.');
    expect(hex(name('A.').wire)).toBe('014100');
  });

  it('compares case-insensitively (RFC 4343)', () => {
    const a = name('WWW.Example.COM.');
    const b = name('www.example.com.');
    expect(a.equals(b)).toBe(true);
    expect(a.key).toBe(b.key);
    expect(a.compare(b)).toBe(0);
  });

  it('only folds ASCII letters', () => {
    // 0xC4 and 0xE4 are Ä/ä in Latin-1, but DNS case folding is ASCII only.
    expect(name('\\196.').equals(name('\\228.'))).toBe(false);
    expect(name('[.').equals(name('{.'))).toBe(false);
  });

  it('gives different keys to different names', () => {
    expect(name('a.example.').key).not.toBe(name('b.example.').key);
    expect(name('example.').key).not.toBe(name('example.com.').key);
  });

  it('lowercases to the canonical form (RFC 4034 §6.2)', () => {
    const n = name('WWW.Example.');
    expect(n.toLowerCase().toString()).toBe('www.example.');
    expect(n.toString()).toBe('WWW.Example.');
  });

  it('serialises to JSON as its absolute text', () => {
    expect(JSON.stringify({ n: name('a.B.') })).toBe('{"n":"a.B."}');
  });
});

describe('Name.compare: canonical order (RFC 4034 §6.1)', () => {
  // The example list of RFC 4034 §6.1, in canonical order.
  const ordered = [
    'example.',
    'a.example.',
    'yljkjljk.a.example.',
    'Z.a.example.',
    'zABC.a.EXAMPLE.',
    'z.example.',
    '\\001.z.example.',
    '*.z.example.',
    '\\200.z.example.',
  ];

  it('sorts the RFC 4034 §6.1 example names into the RFC order', () => {
    const shuffled = [5, 2, 8, 0, 7, 3, 1, 6, 4].map((i) => name(ordered[i]!));
    const sorted = [...shuffled].sort((a, b) => a.compare(b));
    expect(sorted.map(String)).toEqual(ordered);
    const reversed = [...ordered].reverse().map(name);
    expect(reversed.sort((a, b) => a.compare(b)).map(String)).toEqual(ordered);
  });

  it('orders each adjacent pair strictly', () => {
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(name(ordered[i]!).compare(name(ordered[i + 1]!))).toBe(-1);
      expect(name(ordered[i + 1]!).compare(name(ordered[i]!))).toBe(1);
    }
  });

  it('puts the root first and a name before its subdomains', () => {
    expect(Name.ROOT.compare(name('a.'))).toBe(-1);
    expect(name('example.').compare(name('\\000.example.'))).toBe(-1);
    expect(name('a.').compare(Name.ROOT)).toBe(1);
  });

  it('compares labels as octet strings, a prefix first', () => {
    expect(name('ab.').compare(name('abc.'))).toBe(-1);
    expect(name('b.').compare(name('abc.'))).toBe(1);
    // Upper-case letters sort as their lower-case forms: 'Z' (0x5a) lowercases to 0x7a, above '_' (0x5f).
    expect(name('_.').compare(name('Z.'))).toBe(-1);
  });
});

describe('Name: limits (RFC 1035 §2.3.4)', () => {
  const label = (n: number, c = 'a') => c.repeat(n);

  it('accepts a 63-octet label and rejects a 64-octet one', () => {
    expect(MAX_LABEL_OCTETS).toBe(63);
    expect(name(`${label(63)}.`).wire.length).toBe(65);
    expectDnsError(() => name(`${label(64)}.`), 'name.label-too-long', /label of 64 octets exceeds 63/);
  });

  it('counts escaped octets, not characters, against the label limit', () => {
    expect(name(`${'\\000'.repeat(63)}.`).labels()[0]!.length).toBe(63);
    expectDnsError(() => name(`${'\\.'.repeat(64)}.`), 'name.label-too-long');
  });

  it('accepts a 255-octet name and rejects a 256-octet one, counting length octets and the root', () => {
    expect(MAX_NAME_OCTETS).toBe(255);
    // 3 × (1 + 63) + (1 + 61) + 1 = 255
    const max = `${label(63)}.${label(63, 'b')}.${label(63, 'c')}.${label(61, 'd')}.`;
    expect(name(max).wire.length).toBe(255);
    const over = `${label(63)}.${label(63, 'b')}.${label(63, 'c')}.${label(62, 'd')}.`;
    expectDnsError(() => name(over), 'name.too-long', /name of 256 octets exceeds 255/);
  });

  it('checks the limit after appending the origin', () => {
    const long = Name.parse(`${label(63)}.${label(63)}.${label(63)}.`);
    expect(Name.parse(label(61), { origin: long }).wire.length).toBe(255);
    expectDnsError(() => Name.parse(label(62), { origin: long }), 'name.too-long');
  });

  it('fails fast on hostile lengths, with a DnsError rather than a stack overflow', () => {
    const started = performance.now();
    expectDnsError(() => name(`ü${'a'.repeat(200_000)}.`), 'name.label-too-long');
    expectDnsError(() => name(`\\065${'a'.repeat(2_000_000)}`), 'name.label-too-long');
    expectDnsError(() => name(`ü${'a.'.repeat(1_000_000)}`), 'name.too-long');
    expectDnsError(() => name(`${'ü'.repeat(300)}.`), 'name.label-too-long', /253 characters/);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('checks the limits in fromLabels too', () => {
    const bytes = (n: number) => new Uint8Array(n).fill(0x61);
    expect(Name.fromLabels([bytes(63)]).toString()).toBe(`${label(63)}.`);
    expectDnsError(() => Name.fromLabels([bytes(64)]), 'name.label-too-long');
    expectDnsError(() => Name.fromLabels([bytes(63), bytes(63), bytes(63), bytes(62)]), 'name.too-long');
    expectDnsError(
      () => Name.fromLabels([bytes(1), new Uint8Array(0)], 'target'),
      'name.empty-label',
      /^target: /,
    );
  });
});

describe('Name: empty labels and wildcards', () => {
  it('rejects empty labels', () => {
    expectDnsError(() => name('a..example.'), 'name.empty-label', /has an empty label/);
    expectDnsError(() => name('.example.'), 'name.empty-label');
    expectDnsError(() => name('..'), 'name.empty-label');
    expectDnsError(() => Name.parse('a..', { origin }), 'name.empty-label');
  });

  it('accepts * as the leftmost label only (RFC 4592 §2.1.1)', () => {
    const w = name('*.example.');
    expect(w.isWildcard).toBe(true);
    expect(Name.parse('*', { origin }).toString()).toBe('*.example.com.');
    expect(Name.parse('*', { origin }).isWildcard).toBe(true);
    expectDnsError(() => name('a.*.example.'), 'name.wildcard-not-leftmost', /leftmost/);
    expectDnsError(() => Name.parse('a.*', { origin }), 'name.wildcard-not-leftmost');
  });

  it('reads \\* as a literal asterisk label anywhere, and prints a non-leftmost * label that way', () => {
    const n = name('a.\\*.example.');
    expect(hex(n.wire)).toBe('0161012a076578616d706c6500');
    expect(n.toString()).toBe('a.\\*.example.');
    expect(name(n.toString()).equals(n)).toBe(true);
    expect(Name.parse('a.\\*', { origin }).toString()).toBe('a.\\*.example.com.');
    expect(name('\\195\\*.x.\\*.').toString()).toBe('\\195*.x.\\*.');
    // From the wire, such a name prints so that it reads back.
    const wire = Name.fromLabels([Uint8Array.of(0x61), Uint8Array.of(0x2a), Uint8Array.of(0x62)]);
    expect(wire.toString()).toBe('a.\\*.b.');
    expect(wire.toRelativeString(name('b.'))).toBe('a.\\*');
    expect(name(wire.toString()).equals(wire)).toBe(true);
    // Leftmost, `\*` and `*` are the same octets: the wildcard.
    expect(name('\\*.example.').isWildcard).toBe(true);
    expect(name('\\*.example.').toString()).toBe('*.example.');
  });

  it('treats labels that merely contain * as ordinary', () => {
    expect(name('*a.example.').isWildcard).toBe(false);
    expect(name('a.b*.example.').toString()).toBe('a.b*.example.');
    expect(name('www.example.').isWildcard).toBe(false);
  });

  it('accepts underscore labels', () => {
    expect(name('_acme-challenge.example.').labels().map(ascii)).toEqual(['_acme-challenge', 'example']);
    const srv = Name.parse('_sip._tcp', { origin });
    expect(srv.toString()).toBe('_sip._tcp.example.com.');
    expect(srv.labelCount).toBe(4);
  });
});

describe('Name: internationalised names', () => {
  it('converts U-labels to A-labels', () => {
    expect(name('bücher.example.').toString()).toBe('xn--bcher-kva.example.');
    expect(name('BÜCHER.example.').toString()).toBe('xn--bcher-kva.example.');
    expect(Name.parse('münchen', { origin }).toString()).toBe('xn--mnchen-3ya.example.com.');
  });

  it('converts an escaped non-ASCII character like an unescaped one', () => {
    expect(name('b\\ücher.example.').toString()).toBe('xn--bcher-kva.example.');
  });

  it('handles characters outside the BMP', () => {
    expect(name('☃.example.').toString()).toBe('xn--n3h.example.');
    expect(name('😀.example.').toString()).toBe('xn--e28h.example.');
  });

  it('leaves A-labels and ASCII labels alone', () => {
    expect(name('xn--bcher-kva.example.').toString()).toBe('xn--bcher-kva.example.');
  });

  it('rejects labels that are not valid IDNs', () => {
    expectDnsError(() => name('xn--ü.example.'), 'name.bad-idn', /not a valid internationalised label/);
  });

  it('rejects U-labels with ASCII other than letters, digits and hyphens, before or after mapping', () => {
    for (const text of [
      'ü$x.example.',
      '_ü.example.',
      'ü*.example.',
      'ü!.example.',
      'ü\\/x.example.',
      'ü%41.',
    ])
      expectDnsError(() => name(text), 'name.bad-idn', /only letters, digits and hyphens/);
    // Fullwidth '＄' maps to '$' under UTS 46.
    expectDnsError(() => name('ü＄.example.'), 'name.bad-idn', /A-label 'xn--\$-dha'/);
  });

  it('rejects a label mixing \\DDD escapes with non-ASCII characters', () => {
    expectDnsError(() => name('\\195ü.example.'), 'name.bad-idn', /mixes \\DDD escapes/);
    expectDnsError(() => name('ü\\065.example.'), 'name.bad-idn', /mixes \\DDD escapes/);
    // Either form alone is fine.
    expect(name('caf\\195\\169.example.').labels()[0]!.length).toBe(5);
    expect(name('café.example.').toString()).toBe('xn--caf-dma.example.');
  });
});

describe('Name: hierarchy', () => {
  it('isSubdomainOf holds for the name itself and names below it', () => {
    expect(name('www.example.').isSubdomainOf(name('example.'))).toBe(true);
    expect(name('a.b.example.').isSubdomainOf(name('example.'))).toBe(true);
    expect(name('example.').isSubdomainOf(name('example.'))).toBe(true);
    expect(name('WWW.EXAMPLE.').isSubdomainOf(name('example.'))).toBe(true);
  });

  it('isSubdomainOf respects label boundaries', () => {
    expect(name('aexample.').isSubdomainOf(name('example.'))).toBe(false);
    expect(name('a.aexample.').isSubdomainOf(name('example.'))).toBe(false);
    // The wire form 08 07 'example' 00 ends with 07 'example' 00, but not on a label boundary.
    expect(name('\\007example.').isSubdomainOf(name('example.'))).toBe(false);
    expect(name('a\\.example.').isSubdomainOf(name('example.'))).toBe(false);
    expect(name('example.').isSubdomainOf(name('www.example.'))).toBe(false);
    expect(name('example.com.').isSubdomainOf(name('example.'))).toBe(false);
  });

  it('every name is under the root', () => {
    expect(name('www.example.').isSubdomainOf(Name.ROOT)).toBe(true);
    expect(name('a.').isSubdomainOf(Name.ROOT)).toBe(true);
    expect(Name.ROOT.isSubdomainOf(Name.ROOT)).toBe(true);
    expect(Name.ROOT.isSubdomainOf(name('a.'))).toBe(false);
  });

  it('parent() removes leftmost labels', () => {
    const n = name('a.b.Example.');
    expect(n.parent().toString()).toBe('b.Example.');
    expect(n.parent(2).toString()).toBe('Example.');
    expect(n.parent(3)).toBe(Name.ROOT);
    expect(n.parent(7)).toBe(Name.ROOT);
    expect(n.parent(0)).toBe(n);
    expect(Name.ROOT.parent()).toBe(Name.ROOT);
    expect(n.parent().labelCount).toBe(2);
    expect(n.parent().equals(name('b.example.'))).toBe(true);
  });

  it('child() prefixes a label', () => {
    expect(Name.ROOT.child('com').child('example').toString()).toBe('example.com.');
    expect(name('example.').child(Uint8Array.of(0x2e)).toString()).toBe('\\..example.');
    expectDnsError(() => name('example.').child('x'.repeat(64)), 'name.label-too-long');
  });
});

describe('Name.toRelativeString', () => {
  it("prints '@' for the origin itself", () => {
    expect(name('example.com.').toRelativeString(origin)).toBe('@');
    expect(name('EXAMPLE.com.').toRelativeString(origin)).toBe('@');
  });

  it('prints names below the origin without it', () => {
    expect(name('www.example.com.').toRelativeString(origin)).toBe('www');
    expect(name('a.B.example.com.').toRelativeString(origin)).toBe('a.B');
    expect(name('WWW.EXAMPLE.COM.').toRelativeString(origin)).toBe('WWW');
    expect(name('a\\.b.example.com.').toRelativeString(origin)).toBe('a\\.b');
    expect(name('*.example.com.').toRelativeString(origin)).toBe('*');
  });

  it('prints names outside the origin absolute', () => {
    expect(name('www.example.net.').toRelativeString(origin)).toBe('www.example.net.');
    expect(name('aexample.com.').toRelativeString(name('example.com.'))).toBe('aexample.com.');
    expect(name('com.').toRelativeString(origin)).toBe('com.');
  });

  it('prints absolute names when the origin is the root', () => {
    expect(name('www.example.').toRelativeString(Name.ROOT)).toBe('www.example.');
    expect(Name.ROOT.toRelativeString(Name.ROOT)).toBe('@');
  });

  it('reads back to the same name with the same origin', () => {
    for (const text of [
      'www.example.com.',
      'example.com.',
      'a\\.b.c.example.com.',
      'other.',
      '\\@.example.com.',
    ]) {
      const n = name(text);
      expect(Name.parse(n.toRelativeString(origin), { origin }).wire).toEqual(n.wire);
    }
  });
});
