import { describe, expect, it } from 'vitest';
import {
  DnsError,
  EntryLexer,
  LexError,
  atToken,
  tokenize,
  type Entry,
  type Token,
} from '../../src/index.js';
import { thrown } from '../support/rdata-assert.js';

const texts = (tokens: Token[]) => tokens.map((t) => t.text);

/** Feeds lines to a fresh lexer and collects the entries it completes. */
function lex(lines: string[]): Entry[] {
  const lexer = new EntryLexer();
  const out: Entry[] = [];
  lines.forEach((line, i) => {
    const e = lexer.pushLine(line, i + 1);
    if (e) out.push(e);
  });
  lexer.end();
  return out;
}

function lexError(fn: () => unknown): LexError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(LexError);
  expect(e).toBeInstanceOf(DnsError);
  expect((e as LexError).code).toBe('syntax');
  return e as LexError;
}

describe('EntryLexer: tokens', () => {
  it('splits on blanks and records 1-based positions', () => {
    const [e] = lex(['www  300\tIN A 192.0.2.1']);
    expect(e!.tokens).toEqual([
      { text: 'www', quoted: false, line: 1, column: 1 },
      { text: '300', quoted: false, line: 1, column: 6 },
      { text: 'IN', quoted: false, line: 1, column: 10 },
      { text: 'A', quoted: false, line: 1, column: 13 },
      { text: '192.0.2.1', quoted: false, line: 1, column: 15 },
    ]);
    expect(e!.line).toBe(1);
  });

  it('treats a carriage return as blank space', () => {
    expect(texts(tokenize('a b\r\nc\r'))).toEqual(['a', 'b', 'c']);
  });

  it('drops comments', () => {
    expect(texts(tokenize('a b ; a comment "with quotes" (and parens'))).toEqual(['a', 'b']);
    expect(texts(tokenize('a;b'))).toEqual(['a']);
    expect(lex(['; only a comment'])[0]!.tokens).toEqual([]);
  });

  it('keeps backslash escapes in the token text', () => {
    expect(texts(tokenize('a\\ b c\\;d e\\(f \\"g'))).toEqual(['a\\ b', 'c\\;d', 'e\\(f', '\\"g']);
    expect(texts(tokenize('\\065\\.x'))).toEqual(['\\065\\.x']);
  });

  it('ends a word at a parenthesis or a quote', () => {
    expect(texts(tokenize('a(b)c'))).toEqual(['a', 'b', 'c']);
    const ts = tokenize('ab"c d"e');
    expect(ts.map((t) => [t.text, t.quoted])).toEqual([
      ['ab', false],
      ['c d', true],
      ['e', false],
    ]);
  });

  it('rejects a line that ends with a lone backslash', () => {
    const e = lexError(() => tokenize('abc\\'));
    expect(e.message).toMatch(/lone backslash/);
    expect(e.line).toBe(1);
  });
});

describe('EntryLexer: quoted strings', () => {
  it('keeps spaces, semicolons and parentheses inside quotes', () => {
    const [t] = tokenize('"v=spf1 a ; (b) -all"');
    expect(t).toEqual({ text: 'v=spf1 a ; (b) -all', quoted: true, line: 1, column: 1 });
  });

  it('keeps escaped quotes inside the string, escapes and all', () => {
    expect(texts(tokenize('"say \\"hi\\"" next'))).toEqual(['say \\"hi\\"', 'next']);
    expect(texts(tokenize('"back\\\\" x'))).toEqual(['back\\\\', 'x']);
  });

  it('reads an empty quoted string as an empty quoted token', () => {
    expect(tokenize('""')).toEqual([{ text: '', quoted: true, line: 1, column: 1 }]);
  });

  it('reports an unterminated string at its opening quote', () => {
    const e = lexError(() => tokenize('TXT "abc'));
    expect(e.message).toMatch(/unterminated quoted string/);
    expect([e.line, e.column]).toEqual([1, 5]);
    expect(e.rfc).toBe('RFC 1035 §5.1');
  });

  it('treats a quote escaped at the end as not closing the string', () => {
    const e = lexError(() => tokenize('"abc\\"'));
    expect(e.message).toMatch(/unterminated/);
  });

  it('does not continue a quoted string onto the next line', () => {
    const e = lexError(() => tokenize('x (\n "abc\n def" )'));
    expect([e.line, e.column]).toEqual([2, 2]);
  });
});

describe('EntryLexer: parentheses', () => {
  const soa = [
    '@ IN SOA ns1.example.com. hostmaster.example.com. (',
    '         2024010101 ; serial',
    '         7200       ; refresh',
    '\t3600 1209600',
    '   300 )          ; minimum',
    'www A 192.0.2.1',
  ];

  it('continues an entry across lines and skips comments inside', () => {
    const entries = lex(soa);
    expect(entries).toHaveLength(2);
    expect(texts(entries[0]!.tokens)).toEqual([
      '@',
      'IN',
      'SOA',
      'ns1.example.com.',
      'hostmaster.example.com.',
      '2024010101',
      '7200',
      '3600',
      '1209600',
      '300',
    ]);
    expect(entries[0]!.line).toBe(1);
    expect(entries[0]!.blankOwner).toBe(false);
    expect(entries[0]!.tokens[6]).toMatchObject({ line: 3, column: 10 });
    expect(entries[1]!.line).toBe(6);
  });

  it('returns nothing until the parenthesis closes', () => {
    const lexer = new EntryLexer();
    expect(lexer.pushLine('a ( b', 1)).toBeUndefined();
    expect(lexer.pushLine('c', 2)).toBeUndefined();
    const e = lexer.pushLine(') d', 3);
    expect(texts(e!.tokens)).toEqual(['a', 'b', 'c', 'd']);
    expect(e!.line).toBe(1);
  });

  it('allows several parenthesised groups on one entry', () => {
    expect(texts(tokenize('a (b) (c\nd) e'))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('rejects nested parentheses with the line and column of the inner one', () => {
    const e = lexError(() => lex(['a ( b', '  c ( d )']));
    expect(e.message).toMatch(/nested parentheses/);
    expect([e.line, e.column]).toEqual([2, 5]);
  });

  it("rejects ')' without '('", () => {
    const e = lexError(() => tokenize('a b )'));
    expect(e.message).toMatch(/'\)' without a matching '\('/);
    expect([e.line, e.column]).toEqual([1, 5]);
  });

  it("rejects a '(' that is never closed, at the '('", () => {
    const e = lexError(() => lex(['x', 'a b (', ' c']));
    expect(e.message).toMatch(/never closed/);
    expect([e.line, e.column]).toEqual([2, 5]);
    expect(e.position).toBeUndefined();
  });

  it('does not count parentheses inside quotes or escaped', () => {
    expect(texts(tokenize('"(" \\( \\)'))).toEqual(['(', '\\(', '\\)']);
  });
});

describe('EntryLexer: blank owner', () => {
  it('flags entries whose first line starts with a space or tab', () => {
    const entries = lex(['www A 192.0.2.1', ' A 192.0.2.2', '\tAAAA ::1', 'mail A 192.0.2.3']);
    expect(entries.map((e) => e.blankOwner)).toEqual([false, true, true, false]);
    expect(texts(entries[1]!.tokens)).toEqual(['A', '192.0.2.2']);
  });

  it('takes the flag from the first line of a parenthesised entry only', () => {
    const entries = lex(['www TXT (', ' "a"', ')', ' TXT ( "b"', 'x )']);
    expect(entries.map((e) => e.blankOwner)).toEqual([false, true]);
  });

  it('does not flag an empty line', () => {
    const [e] = lex(['']);
    expect(e).toEqual({ tokens: [], blankOwner: false, line: 1 });
  });
});

describe('tokenize', () => {
  it('tokenises a multi-line value', () => {
    const ts = tokenize('10 (\n mail.example.com. ) ; exchange');
    expect(texts(ts)).toEqual(['10', 'mail.example.com.']);
    expect(ts[1]).toMatchObject({ line: 2, column: 2 });
  });

  it('returns no tokens for blank input', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('  ; nothing')).toEqual([]);
  });

  it('takes a value of 200,000 tokens without overflowing the stack', () => {
    expect(tokenize('"a" '.repeat(200_000))).toHaveLength(200_000);
  });
});

describe('atToken', () => {
  const token: Token = { text: 'x', quoted: false, line: 3, column: 7 };

  it('returns what the function returns', () => {
    expect(atToken(token, () => 42)).toBe(42);
  });

  it('places a DnsError without a position at the token, and keeps a more precise one', () => {
    const placed = thrown(() =>
      atToken(token, () => {
        throw new DnsError('c', 'm');
      }),
    ) as DnsError;
    expect(placed.position).toEqual({ line: 3, column: 7 });
    const inner = new DnsError('c', 'm');
    inner.position = { line: 3, column: 9 };
    const kept = thrown(() =>
      atToken(token, () => {
        throw inner;
      }),
    ) as DnsError;
    expect(kept.position).toEqual({ line: 3, column: 9 });
  });

  it('lets other errors through untouched', () => {
    const e = new TypeError('boom');
    expect(
      thrown(() =>
        atToken(token, () => {
          throw e;
        }),
      ),
    ).toBe(e);
  });
});
