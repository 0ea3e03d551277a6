import { DnsError } from '../errors.js';
import { Name } from '../name/name.js';
import { EntryLexer, LexError, atToken, type Entry, type Token } from '../presentation/lexer.js';
import { isTtlText, parseTtl } from '../presentation/ttl.js';
import { isMetaType, parseRdata } from '../rdata/rdata.js';
import { CLASS_IN, classFromString, classToString, typeFromString, typeToString } from '../rdata/rrtype.js';
import type { ResourceRecord } from '../rr.js';

/** A record read from a master file, with the line its entry started on. */
export interface ParsedRecord extends ResourceRecord {
  readonly line: number;
}

/** A rejected line: where, what, and the rule it breaks. */
export interface MasterFileError {
  line: number;
  column: number;
  code: string;
  message: string;
  rfc?: string;
}

export interface MasterFileOptions {
  /** Initial origin (the zone's name); `$ORIGIN` lines change it. */
  origin?: Name;
  /** Stop collecting after this many errors (default 100). */
  maxErrors?: number;
}

export interface MasterFileResult {
  records: ParsedRecord[];
  errors: MasterFileError[];
}

/**
 * The longest physical line read (1 MiB). Real zones stay far below it (a
 * 16 kbit key in base64 is under 3 KB); the bound keeps memory per line finite
 * for input from users.
 */
export const MAX_LINE_LENGTH = 1 << 20;

class EntryError extends Error {
  constructor(readonly detail: MasterFileError) {
    super(detail.message);
  }
}

function errorAt(
  token: Token | undefined,
  entry: Entry,
  code: string,
  message: string,
  rfc?: string,
): EntryError {
  return new EntryError({
    line: token?.line ?? entry.line,
    column: token?.column ?? 1,
    code,
    message,
    ...(rfc ? { rfc } : {}),
  });
}

/**
 * Reads RFC 1035 §5 master files the way BIND and Knot do: `$ORIGIN`, `$TTL`
 * (RFC 2308 §4), `@`, relative owners, a blank owner repeating the previous
 * one, optional class, TTL before or after the class, TTL units, parentheses,
 * comments and quoted strings. `$INCLUDE` and `$GENERATE` are refused: input
 * comes from users, and a zone must be one self-contained file.
 *
 * Streaming: `write()` takes chunks of any size and returns the records
 * completed so far, so a large import never holds the whole text twice.
 * Errors are collected (with line and column) and parsing resumes at the next
 * entry, so one pass reports every bad line.
 */
export class MasterFileParser {
  readonly errors: MasterFileError[] = [];
  private readonly lexer = new EntryLexer();
  private readonly maxErrors: number;
  private origin: Name | undefined;
  private defaultTtl: number | undefined;
  private lastTtl: number | undefined;
  private lastOwner: Name | undefined;
  private lastOwnerText = '';
  private lineNo = 0;
  /** The unfinished last line of the input so far, in parts. */
  private pending: string[] = [];
  private pendingLength = 0;
  /** The current line went over MAX_LINE_LENGTH: its text is dropped up to the next newline. */
  private skipping = false;

  constructor(options: MasterFileOptions = {}) {
    this.origin = options.origin;
    this.maxErrors = options.maxErrors ?? 100;
  }

  /** True once the error limit is reached; further input is ignored. */
  get full(): boolean {
    return this.errors.length >= this.maxErrors;
  }

  write(chunk: string): ParsedRecord[] {
    const out: ParsedRecord[] = [];
    let start = 0;
    // Only the new chunk is searched, and the start of an unfinished line is kept
    // in parts, so a long line costs time in proportion to its length.
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (this.pendingLength === 0 && !this.skipping && nl - start <= MAX_LINE_LENGTH)
        this.line(chunk.slice(start, nl), out);
      else {
        this.hold(chunk, start, nl);
        this.finishHeld(out);
      }
      start = nl + 1;
    }
    this.hold(chunk, start, chunk.length);
    return out;
  }

  end(): ParsedRecord[] {
    const out: ParsedRecord[] = [];
    if (this.pendingLength > 0 || this.skipping) this.finishHeld(out);
    try {
      this.lexer.end();
    } catch (e) {
      if (e instanceof LexError)
        this.report({
          line: e.line,
          column: e.column,
          code: e.code,
          message: e.message,
          rfc: 'RFC 1035 §5.1',
        });
      else throw e;
    }
    return out;
  }

  /** Keeps chunk[from..to) as part of the current line, or drops the line once it is over the limit. */
  private hold(chunk: string, from: number, to: number): void {
    if (from === to || this.skipping) return;
    if (this.pendingLength + (to - from) > MAX_LINE_LENGTH) {
      this.skipping = true;
      this.pending = [];
      this.pendingLength = 0;
      return;
    }
    this.pending.push(chunk.slice(from, to));
    this.pendingLength += to - from;
  }

  /** The held line is complete: parse it, or report it as too long and resume at the next line. */
  private finishHeld(out: ParsedRecord[]): void {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.skipping) {
      this.line(text, out);
      return;
    }
    this.skipping = false;
    this.lineNo++;
    this.report({
      line: this.lineNo,
      column: 1,
      code: 'line.too-long',
      message: `line ${this.lineNo} is longer than ${MAX_LINE_LENGTH} characters; long data can continue over several lines inside parentheses`,
    });
    // Whatever entry the line was part of is lost: resume cleanly at the next line.
    this.lexer.reset();
  }

  private report(detail: MasterFileError): void {
    if (this.errors.length < this.maxErrors) this.errors.push(detail);
  }

  private line(text: string, out: ParsedRecord[]): void {
    this.lineNo++;
    if (this.full) return;
    let entry: Entry | undefined;
    try {
      entry = this.lexer.pushLine(text, this.lineNo);
    } catch (e) {
      if (!(e instanceof LexError)) throw e;
      this.report({ line: e.line, column: e.column, code: e.code, message: e.message, rfc: 'RFC 1035 §5.1' });
      // Resynchronise on the next line: drop whatever the broken entry held.
      this.lexer.reset();
      return;
    }
    if (!entry || entry.tokens.length === 0) return;
    try {
      const rr = this.entry(entry);
      if (rr) out.push(rr);
    } catch (e) {
      if (e instanceof EntryError) this.report(e.detail);
      else if (e instanceof DnsError) {
        this.report({
          line: e.position?.line ?? entry.line,
          column: e.position?.column ?? 1,
          code: e.code,
          message: e.message,
          ...(e.rfc ? { rfc: e.rfc } : {}),
        });
      } else throw e;
    }
  }

  private entry(entry: Entry): ParsedRecord | undefined {
    const tokens = entry.tokens;
    const first = tokens[0]!;
    if (!entry.blankOwner && !first.quoted && first.text.startsWith('$')) {
      this.directive(first, tokens, entry);
      return undefined;
    }

    let i = 0;
    let owner: Name;
    if (entry.blankOwner) {
      if (!this.lastOwner)
        throw errorAt(
          first,
          entry,
          'owner.missing',
          'the first record has no owner name (the line starts with blank space)',
          'RFC 1035 §5.1',
        );
      owner = this.lastOwner;
    } else {
      owner = this.ownerName(first, entry);
      i = 1;
    }

    let ttl: number | undefined;
    let cls: number | undefined;
    for (let k = 0; k < 2; k++) {
      const t = tokens[i];
      if (!t || t.quoted) break;
      if (ttl === undefined && isTtlText(t.text)) {
        ttl = this.parseTtlToken(t);
        i++;
      } else if (cls === undefined && classFromString(t.text) !== undefined) {
        cls = classFromString(t.text)!;
        if (cls !== CLASS_IN)
          throw errorAt(
            t,
            entry,
            'class.unsupported',
            `class ${classToString(cls)} is not supported: zones hold class IN data`,
            'RFC 1035 §3.2.4',
          );
        i++;
      } else break;
    }

    const typeTok = tokens[i];
    if (!typeTok) throw errorAt(tokens[i - 1], entry, 'type.missing', 'record has no type', 'RFC 1035 §5.1');
    const type = typeFromString(typeTok.text);
    if (type === undefined || typeTok.quoted)
      throw errorAt(
        typeTok,
        entry,
        'type.unknown',
        `'${typeTok.text}' is not a record type (expected a mnemonic such as A or MX, or TYPEnnn)`,
        'RFC 3597 §5',
      );

    if (isMetaType(type))
      throw errorAt(
        typeTok,
        entry,
        'type.meta',
        `${typeToString(type)} is a meta-type and cannot be record data`,
        'RFC 6895 §3.1',
      );

    if (ttl === undefined) {
      ttl = this.defaultTtl ?? this.lastTtl;
      if (ttl === undefined)
        throw errorAt(
          typeTok,
          entry,
          'ttl.missing',
          'record has no TTL and no $TTL precedes it',
          'RFC 2308 §4',
        );
    } else this.lastTtl = ttl;

    const origin = this.origin;
    if (tokens.length === i + 1)
      throw errorAt(
        typeTok,
        entry,
        'rdata.missing',
        `${typeToString(type)} record has no data`,
        'RFC 1035 §5.1',
      );
    const data = parseRdata(type, tokens.slice(i + 1), origin ? { origin } : {});
    return { name: owner, type, class: CLASS_IN, ttl, data, line: entry.line };
  }

  private ownerName(token: Token, entry: Entry): Name {
    // Consecutive records usually share an owner; $ORIGIN clears this cache.
    if (token.text === this.lastOwnerText && this.lastOwner) return this.lastOwner;
    if (token.quoted)
      throw errorAt(token, entry, 'owner.quoted', 'an owner name cannot be a quoted string', 'RFC 1035 §5.1');
    const origin = this.origin;
    const name = atToken(token, () =>
      Name.parse(token.text, origin ? { origin, field: 'owner' } : { field: 'owner' }),
    );
    this.lastOwnerText = token.text;
    this.lastOwner = name;
    return name;
  }

  private parseTtlToken(t: Token): number {
    return atToken(t, () => parseTtl(t.text));
  }

  private directive(first: Token, tokens: Token[], entry: Entry): void {
    const name = first.text.toUpperCase();
    const arg = tokens[1];
    // A directive with an error changes nothing: extra tokens are checked before the value is taken.
    const noExtra = (directive: string) => {
      const extra = tokens[2];
      if (extra)
        throw errorAt(extra, entry, 'directive.extra', `unexpected '${extra.text}' after ${directive}`);
    };
    switch (name) {
      case '$ORIGIN': {
        if (!arg)
          throw errorAt(first, entry, 'directive.origin', '$ORIGIN needs a domain name', 'RFC 1035 §5.1');
        noExtra('$ORIGIN');
        const current = this.origin;
        this.origin = atToken(arg, () =>
          Name.parse(arg.text, current ? { origin: current, field: '$ORIGIN' } : { field: '$ORIGIN' }),
        );
        this.lastOwnerText = '';
        return;
      }
      case '$TTL': {
        if (!arg) throw errorAt(first, entry, 'directive.ttl', '$TTL needs a TTL', 'RFC 2308 §4');
        noExtra('$TTL');
        this.defaultTtl = this.parseTtlToken(arg);
        return;
      }
      case '$INCLUDE':
        throw errorAt(
          first,
          entry,
          'directive.include',
          '$INCLUDE is refused: a zone must be a single self-contained file',
          'RFC 1035 §5.1',
        );
      case '$GENERATE':
        throw errorAt(
          first,
          entry,
          'directive.generate',
          '$GENERATE is refused: expand the records before importing',
        );
      default:
        throw errorAt(
          first,
          entry,
          'directive.unknown',
          `unknown directive ${first.text} (known: $ORIGIN, $TTL)`,
          'RFC 1035 §5.1',
        );
    }
  }
}

/** Parses a whole master file held in memory. */
export function parseMasterFile(text: string, options: MasterFileOptions = {}): MasterFileResult {
  const parser = new MasterFileParser(options);
  const records = parser.write(text);
  for (const rr of parser.end()) records.push(rr);
  return { records, errors: parser.errors };
}
