import { DnsError } from '../errors.js';
import { Name } from '../name/name.js';
import { EntryLexer, LexError, type Entry, type Token } from '../presentation/lexer.js';
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
  private pending = '';

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
    let text = chunk;
    if (this.pending) {
      text = this.pending + chunk;
      this.pending = '';
    }
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.line(text.slice(start, nl), out);
      start = nl + 1;
    }
    this.pending = text.slice(start);
    return out;
  }

  end(): ParsedRecord[] {
    const out: ParsedRecord[] = [];
    if (this.pending) {
      this.line(this.pending, out);
      this.pending = '';
    }
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
    const name = Name.parse(token.text, origin ? { origin, field: 'owner' } : { field: 'owner' });
    this.lastOwnerText = token.text;
    this.lastOwner = name;
    return name;
  }

  private parseTtlToken(t: Token): number {
    try {
      return parseTtl(t.text);
    } catch (e) {
      if (e instanceof DnsError) e.position = { line: t.line, column: t.column };
      throw e;
    }
  }

  private directive(first: Token, tokens: Token[], entry: Entry): void {
    const name = first.text.toUpperCase();
    const arg = tokens[1];
    switch (name) {
      case '$ORIGIN': {
        if (!arg)
          throw errorAt(first, entry, 'directive.origin', '$ORIGIN needs a domain name', 'RFC 1035 §5.1');
        const current = this.origin;
        this.origin = Name.parse(
          arg.text,
          current ? { origin: current, field: '$ORIGIN' } : { field: '$ORIGIN' },
        );
        this.lastOwnerText = '';
        if (tokens.length > 2)
          throw errorAt(tokens[2], entry, 'directive.extra', `unexpected '${tokens[2]!.text}' after $ORIGIN`);
        return;
      }
      case '$TTL': {
        if (!arg) throw errorAt(first, entry, 'directive.ttl', '$TTL needs a TTL', 'RFC 2308 §4');
        this.defaultTtl = this.parseTtlToken(arg);
        if (tokens.length > 2)
          throw errorAt(tokens[2], entry, 'directive.extra', `unexpected '${tokens[2]!.text}' after $TTL`);
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
