import { DnsError } from '../errors.js';

/**
 * One word of presentation text. `text` keeps backslash escapes as written
 * (the consumer decides what they mean: a name keeps `\.` inside a label, a
 * character-string turns `\DDD` into an octet); quotes are removed.
 */
export interface Token {
  text: string;
  quoted: boolean;
  line: number;
  column: number;
}

/** A logical line: tokens up to the end of a line outside parentheses. */
export interface Entry {
  tokens: Token[];
  /** The first physical line started with blank space: the owner is the previous one. */
  blankOwner: boolean;
  line: number;
}

/**
 * Runs `f` (which reads `token`) and places a DnsError it throws at the token,
 * unless the error already has a more precise position.
 */
export function atToken<T>(token: Token, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DnsError && !e.position) e.position = { line: token.line, column: token.column };
    throw e;
  }
}

export class LexError extends DnsError {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super('syntax', message, 'RFC 1035 §5.1');
    this.name = 'LexError';
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const QUOTE = 0x22;
const LPAREN = 0x28;
const RPAREN = 0x29;
const SEMI = 0x3b;
const BACKSLASH = 0x5c;

/**
 * Splits master-file text into logical lines one physical line at a time, so
 * input can be streamed: parentheses continue an entry across lines (RFC 1035
 * §5.1), `;` starts a comment, quoted strings keep spaces.
 */
export class EntryLexer {
  private tokens: Token[] = [];
  private depth = 0;
  private entryLine = 0;
  private blankOwner = false;
  private parenLine = 0;
  private parenColumn = 0;

  /** Feeds one physical line (without its newline); returns the entry it completes, if any. */
  pushLine(text: string, lineNo: number): Entry | undefined {
    const continuing = this.depth > 0;
    if (!continuing) {
      this.tokens = [];
      this.entryLine = lineNo;
      const c = text.charCodeAt(0);
      this.blankOwner = c === SPACE || c === TAB;
    }
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB || c === CR) {
        i++;
        continue;
      }
      if (c === SEMI) break;
      if (c === LPAREN) {
        if (this.depth > 0) throw new LexError('nested parentheses are not allowed', lineNo, i + 1);
        this.depth = 1;
        this.parenLine = lineNo;
        this.parenColumn = i + 1;
        i++;
        continue;
      }
      if (c === RPAREN) {
        if (this.depth === 0) throw new LexError("')' without a matching '('", lineNo, i + 1);
        this.depth = 0;
        i++;
        continue;
      }
      if (c === QUOTE) {
        const start = i + 1;
        let j = start;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === BACKSLASH) j += 2;
          else if (d === QUOTE) break;
          else j++;
        }
        if (j >= n) throw new LexError('unterminated quoted string', lineNo, i + 1);
        this.tokens.push({ text: text.slice(start, j), quoted: true, line: lineNo, column: i + 1 });
        i = j + 1;
        continue;
      }
      const start = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) {
          i += 2;
          continue;
        }
        if (d === SPACE || d === TAB || d === CR || d === SEMI || d === LPAREN || d === RPAREN) break;
        if (d === QUOTE && i > start) break;
        i++;
      }
      if (i > n) throw new LexError('line ends with a lone backslash', lineNo, n);
      this.tokens.push({ text: text.slice(start, i), quoted: false, line: lineNo, column: start + 1 });
    }
    if (this.depth > 0) return undefined;
    return { tokens: this.tokens, blankOwner: this.blankOwner, line: this.entryLine };
  }

  /** Abandons a broken entry so lexing resumes cleanly at the next line. */
  reset(): void {
    this.depth = 0;
    this.tokens = [];
  }

  /** Call at end of input: an entry still inside parentheses is an error. */
  end(): void {
    if (this.depth > 0) throw new LexError("'(' is never closed", this.parenLine, this.parenColumn);
  }
}

/** Tokenises a single value (e.g. an API record's `value`), parentheses and comments allowed. */
export function tokenize(text: string): Token[] {
  const lexer = new EntryLexer();
  const out: Token[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const entry = lexer.pushLine(lines[i]!, i + 1);
    // A loop, not push(...tokens): a spread of a long value's tokens overflows the call stack.
    if (entry) for (const t of entry.tokens) out.push(t);
  }
  lexer.end();
  return out;
}
