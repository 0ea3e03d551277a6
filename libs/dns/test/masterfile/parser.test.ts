import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  MAX_LINE_LENGTH,
  MasterFileParser,
  Name,
  RRType,
  parseMasterFile,
  printMasterFile,
  printRdata,
  recordToString,
  type MasterFileError,
  type ParsedRecord,
} from '../../src/index.js';

const origin = Name.parse('example.com.');
const parse = (text: string) => parseMasterFile(text, { origin });
const lines = (records: readonly ParsedRecord[]) => records.map((r) => recordToString(r));
const only = (errors: MasterFileError[]) => {
  expect(errors).toHaveLength(1);
  return errors[0]!;
};

describe('entries', () => {
  test('$ORIGIN, $TTL, @, relative owners and blank owners', () => {
    const r = parse(`$TTL 300
@ IN SOA ns1 hostmaster 1 2 3 4 5
  IN NS ns1
www A 192.0.2.1
    AAAA 2001:db8::1
$ORIGIN sub.example.com.
host A 192.0.2.2
`);
    expect(r.errors).toEqual([]);
    expect(lines(r.records)).toEqual([
      'example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 1 2 3 4 5',
      'example.com. 300 IN NS ns1.example.com.',
      'www.example.com. 300 IN A 192.0.2.1',
      'www.example.com. 300 IN AAAA 2001:db8::1',
      'host.sub.example.com. 300 IN A 192.0.2.2',
    ]);
    expect(r.records.map((x) => x.line)).toEqual([2, 3, 4, 5, 7]);
  });

  test('TTL and class in either order, optional class, TTL units', () => {
    const r = parse(`a 1h IN A 192.0.2.1
b IN 1h30m A 192.0.2.2
c 2d A 192.0.2.3
d IN A 192.0.2.4
e 1W TXT "x"
`);
    expect(r.errors).toEqual([]);
    expect(r.records.map((x) => x.ttl)).toEqual([3600, 5400, 172800, 172800, 604800]);
  });

  test('without $TTL a record takes the last explicit TTL (RFC 1035 §5.1)', () => {
    const r = parse('a 600 A 192.0.2.1\nb A 192.0.2.2\n');
    expect(r.records.map((x) => x.ttl)).toEqual([600, 600]);
  });

  test('$TTL changes mid-file apply to what follows', () => {
    const r = parse('$TTL 60\na A 192.0.2.1\n$TTL 120\nb A 192.0.2.2\nc 5 A 192.0.2.3\nd A 192.0.2.4\n');
    expect(r.records.map((x) => x.ttl)).toEqual([60, 120, 5, 120]);
  });

  test('parentheses span lines; comments anywhere; quoted strings keep ; and ()', () => {
    const r = parse(`$TTL 1
@ SOA ns1 hostmaster ( 1 ; serial
   2 ; refresh
   3 4 5 ) ; done
t TXT ( "a ; b" ; comment
        "(c)" )
`);
    expect(r.errors).toEqual([]);
    expect(lines(r.records)[1]).toBe('t.example.com. 1 IN TXT "a ; b" "(c)"');
  });

  test('strings over 255 octets are split; UTF-8 is kept as octets', () => {
    const long = 'x'.repeat(300);
    const r = parse(`$TTL 1\nt TXT "${long}"\nu TXT "café"\n`);
    expect(r.errors).toEqual([]);
    expect(printRdata(RRType.TXT, r.records[0]!.data)).toBe(`"${'x'.repeat(255)}" "${'x'.repeat(45)}"`);
    expect(printRdata(RRType.TXT, r.records[1]!.data)).toBe('"caf\\195\\169"');
  });

  test('CRLF line endings read the same as LF', () => {
    const r = parse('$TTL 1\r\na A 192.0.2.1\r\nb TXT "x y"\r\n');
    expect(r.errors).toEqual([]);
    expect(lines(r.records)).toEqual(['a.example.com. 1 IN A 192.0.2.1', 'b.example.com. 1 IN TXT "x y"']);
  });

  test('IDN owners become A-labels', () => {
    const r = parse('$TTL 1\nbücher A 192.0.2.1\n');
    expect(r.records[0]!.name.toString()).toBe('xn--bcher-kva.example.com.');
  });
});

describe('errors carry line, column and rule; parsing goes on', () => {
  const cases: [string, string, number, number, RegExp][] = [
    ['$INCLUDE', '$TTL 1\n$INCLUDE other.zone\n', 2, 1, /\$INCLUDE is refused/],
    ['$GENERATE', '$TTL 1\n$GENERATE 1-10 host$ A 192.0.2.$\n', 2, 1, /\$GENERATE is refused/],
    ['unknown directive', '$FOO bar\n', 1, 1, /unknown directive \$FOO/],
    ['$ORIGIN without name', '$ORIGIN\n', 1, 1, /\$ORIGIN needs a domain name/],
    ['$TTL junk', '$TTL soon\n', 1, 6, /not a number of seconds/],
    ['no TTL at all', 'a A 192.0.2.1\n', 1, 3, /no TTL and no \$TTL/],
    ['blank owner first', '$TTL 1\n  A 192.0.2.1\n', 2, 3, /has no owner name/],
    ['bad type', '$TTL 1\na AX 192.0.2.1\n', 2, 3, /'AX' is not a record type/],
    ['no type', '$TTL 1\na 300\n', 2, 3, /record has no type/],
    ['no rdata', '$TTL 1\na A\n', 2, 3, /A record has no data/],
    ['bad address', '$TTL 1\na A 192.0.2.300\n', 2, 5, /'192.0.2.300' is not an IPv4 address/],
    ['class CH', '$TTL 1\na CH TXT "x"\n', 2, 3, /class CH is not supported/],
    ['label too long', `$TTL 1\n${'a'.repeat(64)} A 192.0.2.1\n`, 2, 1, /exceeds 63/],
    ['wildcard not leftmost', '$TTL 1\na.*.b A 192.0.2.1\n', 2, 1, /leftmost/],
    ['empty label', '$TTL 1\na..b A 192.0.2.1\n', 2, 1, /empty label/],
    ['unterminated quote', '$TTL 1\nt TXT "abc\n', 2, 7, /unterminated quoted string/],
    ['unclosed parenthesis', '$TTL 1\n@ SOA ns1 hostmaster ( 1 2 3\n', 2, 22, /'\(' is never closed/],
    ['stray parenthesis', '$TTL 1\na A 192.0.2.1 )\n', 2, 15, /'\)' without a matching '\('/],
    ['extra field', '$TTL 1\na A 192.0.2.1 192.0.2.2\n', 2, 15, /unexpected '192.0.2.2'/],
    ['missing MX field', '$TTL 1\nm MX 10\n', 2, 6, /MX is missing its exchange field/],
    ['TTL over 2^31-1', '$TTL 1\na 2147483648 A 192.0.2.1\n', 2, 3, /above the maximum/],
    ['meta type', '$TTL 1\na ANY \\# 0\n', 2, 3, /meta-type/],
    [
      'generic length mismatch',
      '$TTL 1\na TYPE65534 \\# 3 0a00\n',
      2,
      16,
      /length 3 does not match the 2 octet/,
    ],
    ['generic bad hex', '$TTL 1\na TYPE65534 \\# 2 0g00\n', 2, 18, /'0g00' is not hex/],
  ];
  test.each(cases)('%s', (_what, text, line, column, message) => {
    const e = only(parse(text).errors);
    expect(e.message).toMatch(message);
    expect(e.line).toBe(line);
    expect(e.column).toBe(column);
  });

  test('every bad line is reported, good lines still parse', () => {
    const r = parse('$TTL 1\na A 1.2.3\nb A 192.0.2.2\nc MX x y\nd A 192.0.2.4\n');
    expect(r.errors.map((e) => e.line)).toEqual([2, 4]);
    expect(r.records.map((x) => x.name.toRelativeString(origin))).toEqual(['b', 'd']);
  });

  test('errors stop being collected at maxErrors', () => {
    const text = '$TTL 1\n' + 'a A x\n'.repeat(50);
    expect(parseMasterFile(text, { origin, maxErrors: 5 }).errors).toHaveLength(5);
  });

  test('a directive with an error changes nothing', () => {
    const r = parse('$TTL 300\n$ORIGIN other. junk\n$TTL 60 junk\nwww A 192.0.2.1\n');
    expect(r.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, 16, 'directive.extra'],
      [3, 9, 'directive.extra'],
    ]);
    expect(lines(r.records)).toEqual(['www.example.com. 300 IN A 192.0.2.1']);
  });

  test('errors in a name or TTL point at that token', () => {
    expect(only(parse('$ORIGIN a..b.\n').errors)).toMatchObject({
      line: 1,
      column: 9,
      code: 'name.empty-label',
    });
    expect(only(parse('$TTL 1\n$TTL 1x\n').errors)).toMatchObject({ line: 2, column: 6, code: 'ttl.syntax' });
  });

  test('hostile input gives errors, not exceptions', () => {
    const r = parse(`ü${'a'.repeat(200_000)} 300 A 1.2.3.4\nb 300 A 192.0.2.1\n`);
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([[1, 'name.label-too-long']]);
    expect(r.records).toHaveLength(1);
  });

  test('a relative name without any origin is an error', () => {
    const e = only(parseMasterFile('$TTL 1\nwww A 192.0.2.1\n').errors);
    expect(e.message).toMatch(/relative/);
  });
});

describe('streaming', () => {
  const text = `$ORIGIN example.com.
$TTL 1h
@ SOA ns1 hostmaster ( 2024 1h 15m 1w 5m )
  NS ns1
ns1 A 192.0.2.1
t TXT "one" ( "two"
   "three" )
bad A nope
x MX 10 ns1
`;
  test('any chunking gives the same records and errors as one write', () => {
    const whole = parseMasterFile(text);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const parser = new MasterFileParser();
        const got: ParsedRecord[] = [];
        let at = 0;
        for (const p of [...points, text.length]) {
          got.push(...parser.write(text.slice(at, p)));
          at = p;
        }
        got.push(...parser.end());
        expect(lines(got)).toEqual(lines(whole.records));
        expect(parser.errors).toEqual(whole.errors);
      }),
    );
  });
});

describe('long lines', () => {
  const chunked = (text: string, size: number) => {
    const parser = new MasterFileParser({ origin });
    const got: ParsedRecord[] = [];
    for (let at = 0; at < text.length; at += size) got.push(...parser.write(text.slice(at, at + size)));
    got.push(...parser.end());
    return { records: got, errors: parser.errors };
  };

  test('a line over MAX_LINE_LENGTH is reported with its number, and parsing resumes after it', () => {
    const long = `x TXT "${'a'.repeat(MAX_LINE_LENGTH)}"`;
    const text = `$TTL 1\n${long}\na A 192.0.2.1\n( b A 192.0.2.2\n${long}\n)\nc A 192.0.2.3\n${long}`;
    for (const r of [parse(text), chunked(text, 1024), chunked(text, 7)]) {
      expect(r.errors.map((e) => [e.line, e.code])).toEqual([
        [2, 'line.too-long'],
        [5, 'line.too-long'],
        [6, 'syntax'],
        [8, 'line.too-long'],
      ]);
      expect(r.errors[0]!.message).toMatch(/line 2 is longer than 1048576 characters/);
      expect(lines(r.records)).toEqual([
        'a.example.com. 1 IN A 192.0.2.1',
        'c.example.com. 1 IN A 192.0.2.3',
      ]);
    }
  });

  test('a long line streamed in small chunks takes time in proportion to its length', () => {
    // Both ran in seconds when every chunk was joined to the held text and searched again.
    const near = `$TTL 1\nt TXT "x" ; ${'a'.repeat(1_000_000)}\nu A 192.0.2.1\n`;
    let started = performance.now();
    const r = chunked(near, 128);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.errors).toEqual([]);
    expect(lines(r.records)).toEqual(['t.example.com. 1 IN TXT "x"', 'u.example.com. 1 IN A 192.0.2.1']);

    const over = `$TTL 1\nt TXT "x" ; ${'a'.repeat(5_000_000)}\nu A 192.0.2.1\n`;
    started = performance.now();
    const o = chunked(over, 1024);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(o.errors.map((e) => [e.line, e.code])).toEqual([[2, 'line.too-long']]);
    expect(lines(o.records)).toEqual(['u.example.com. 1 IN A 192.0.2.1']);
  });
});

describe('printing', () => {
  test('SOA first, canonical order, every field explicit', () => {
    const r = parse('$TTL 60\nz A 192.0.2.3\n@ NS ns1\nA A 192.0.2.1\n@ SOA ns1 h 1 2 3 4 5\n*.z TXT "w"\n');
    expect(printMasterFile(r.records, { origin })).toBe(
      [
        '$ORIGIN example.com.',
        '@\t60\tIN\tSOA\tns1 h 1 2 3 4 5',
        '@\t60\tIN\tNS\tns1',
        'A\t60\tIN\tA\t192.0.2.1',
        'z\t60\tIN\tA\t192.0.2.3',
        '*.z\t60\tIN\tTXT\t"w"',
        '',
      ].join('\n'),
    );
    expect(printMasterFile(r.records).split('\n')[1]).toBe('example.com.\t60\tIN\tNS\tns1.example.com.');
  });

  test('names outside the origin stay absolute', () => {
    const r = parse('$TTL 1\n@ MX 10 mail.example.net.\n');
    expect(printMasterFile(r.records, { origin })).toContain('MX\t10 mail.example.net.');
  });
});

describe('property: print -> parse is the identity', () => {
  const label = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
  const owner = fc.array(label, { minLength: 0, maxLength: 3 }).map((ls) => (ls.length ? ls.join('.') : '@'));
  const rdata = fc.oneof(
    fc.tuple(fc.constant('A'), fc.ipV4()),
    fc.tuple(fc.constant('AAAA'), fc.ipV6()),
    fc.tuple(
      fc.constant('MX'),
      fc.tuple(fc.integer({ min: 0, max: 65535 }), label).map(([p, n]) => `${p} ${n}`),
    ),
    fc.tuple(
      fc.constant('TXT'),
      fc
        .array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 3 })
        .map((ss) =>
          ss.map((s) => '"' + [...s].map((b) => '\\' + String(b).padStart(3, '0')).join('') + '"').join(' '),
        ),
    ),
    fc.tuple(
      fc.constant('SRV'),
      fc.tuple(fc.nat(65535), fc.nat(65535), fc.nat(65535), label).map((v) => v.join(' ')),
    ),
    fc.tuple(
      fc.constant('TYPE65400'),
      fc.uint8Array({ maxLength: 20 }).map((b) => `\\# ${b.length} ${Buffer.from(b).toString('hex')}`),
    ),
  );
  test('random zones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(owner, fc.nat(86400), rdata), { minLength: 1, maxLength: 30 }),
        (rows) => {
          const text = rows.map(([o, ttl, [type, value]]) => `${o} ${ttl} IN ${type} ${value}`).join('\n');
          const first = parse(text);
          expect(first.errors).toEqual([]);
          for (const opts of [{ origin }, {}]) {
            const again = parseMasterFile(printMasterFile(first.records, opts));
            expect(again.errors).toEqual([]);
            expect(lines(again.records).sort()).toEqual(lines(first.records).sort());
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
