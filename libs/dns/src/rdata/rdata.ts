import { DnsError, WireError } from '../errors.js';
import { tokenize, type Token } from '../presentation/lexer.js';
import { WireReader } from '../wire/reader.js';
import { WireWriter } from '../wire/writer.js';
import { hexDecode, hexEncode } from './binary.js';
import type { EncodeOptions, ParseContext, PrintOptions } from './codec.js';
import { fieldError } from './fields.js';
import { codecFor } from './registry.js';
import { RRType, typeToString } from './rrtype.js';
// Every codec registers itself on import; parseRdata and friends must see them all.
import './types/index.js';

/** The most octets RDATA can have: RDLENGTH is a 16-bit field (RFC 1035 §3.2.1). */
export const MAX_RDATA_OCTETS = 0xffff;

export function rdataTooLong(type: number, length: number): DnsError {
  return new DnsError(
    'rdata.too-long',
    `rdata: ${typeToString(type)} RDATA of ${length} octets exceeds ${MAX_RDATA_OCTETS}, the most RDLENGTH can hold`,
    'RFC 1035 §3.2.1',
    'rdata',
  );
}

// For measuring and checking RDATA without allocating; never used re-entrantly.
const scratch = new WireWriter({ initialSize: 512 });
const PLAIN: EncodeOptions = {};

/** Octets of the RDATA in wire form (uncompressed). */
function encodedLength(type: number, value: unknown): number {
  scratch.reset();
  encodeRdata(type, value, scratch, PLAIN);
  return scratch.length;
}

/**
 * A sufficient condition for RDATA parsed from `tokens` to fit RDLENGTH,
 * without encoding it: no token's text turns into more than 8 octets per
 * character plus 256 (a name is at most 255 octets; `::` is 16 octets), so
 * only records with several kilobytes of text need measuring.
 */
function surelyFits(tokens: readonly Token[]): boolean {
  let bound = 0;
  for (const t of tokens) bound += 8 * t.text.length + 256;
  return bound <= MAX_RDATA_OCTETS;
}

/** RDATA of a type this library has no codec for: kept as opaque octets (RFC 3597). */
export interface OpaqueRdata {
  bytes: Uint8Array;
}

/** Meta-types and QTYPEs that exist only in messages, never in zone data (RFC 6895 §3.1). */
const META = new Set<number>([
  RRType.OPT,
  RRType.TKEY,
  RRType.TSIG,
  RRType.IXFR,
  RRType.AXFR,
  RRType.ANY,
  128,
  253,
  254,
]);

export function isMetaType(type: number): boolean {
  return META.has(type);
}

function parseGeneric(type: number, tokens: readonly Token[]): Uint8Array {
  const field = 'rdata';
  const lenTok = tokens[1];
  if (!lenTok || !/^[0-9]+$/.test(lenTok.text) || Number(lenTok.text) > 0xffff)
    throw fieldError(
      'rdata.generic',
      `'\\#' must be followed by the RDATA length in octets`,
      field,
      lenTok ?? tokens[0],
      'RFC 3597 §5',
    );
  const len = Number(lenTok.text);
  const hex = tokens
    .slice(2)
    .map((t) => t.text)
    .join('');
  const bytes = hexDecode(hex);
  if (!bytes)
    throw fieldError('rdata.generic', `'${hex}' is not hex`, field, tokens[2] ?? lenTok, 'RFC 3597 §5');
  if (bytes.length !== len)
    throw fieldError(
      'rdata.generic',
      `length ${len} does not match the ${bytes.length} octet(s) of hex data for ${typeToString(type)}`,
      field,
      lenTok,
      'RFC 3597 §5',
    );
  return bytes;
}

/**
 * Parses RDATA tokens of `type`: the type's own syntax, or the generic
 * `\# <length> <hex>` form (RFC 3597 §5), which is accepted for known types
 * too and then checked by decoding it as that type.
 */
export function parseRdata(type: number, tokens: readonly Token[], ctx: ParseContext = {}): unknown {
  if (isMetaType(type))
    throw new DnsError(
      'type.meta',
      `${typeToString(type)} is a meta-type and cannot be record data`,
      'RFC 6895 §3.1',
      'type',
    );
  const codec = codecFor(type);
  if (tokens[0] && !tokens[0].quoted && tokens[0].text === '\\#') {
    const bytes = parseGeneric(type, tokens);
    if (!codec) return { bytes } satisfies OpaqueRdata;
    try {
      // Generic RDATA is never compressed (RFC 3597 §5), whatever the type.
      return decodeRdata(type, new WireReader(bytes, 0, { compression: false }), bytes.length);
    } catch (e) {
      if (e instanceof WireError)
        throw fieldError(
          'rdata.generic',
          `the generic RDATA is not valid ${codec.mnemonic}: ${e.message}`,
          'rdata',
          tokens[0],
          'RFC 3597 §5',
        );
      throw e;
    }
  }
  if (!codec)
    throw fieldError(
      'rdata.unknown-type',
      `${typeToString(type)} has no text format here; write its RDATA as \\# <length> <hex>`,
      'rdata',
      tokens[0],
      'RFC 3597 §5',
    );
  const value = codec.parse(tokens, ctx);
  if (!surelyFits(tokens)) {
    const length = encodedLength(type, value);
    if (length > MAX_RDATA_OCTETS) {
      const e = rdataTooLong(type, length);
      e.position = { line: tokens[0]!.line, column: tokens[0]!.column };
      throw e;
    }
  }
  return value;
}

/** Parses a complete RDATA text, e.g. an API record's `value`. */
export function rdataFromText(type: number, text: string, ctx: ParseContext = {}): unknown {
  const tokens = tokenize(text);
  if (tokens.length === 0)
    throw new DnsError('rdata.empty', `${typeToString(type)} value is empty`, undefined, 'value');
  return parseRdata(type, tokens, ctx);
}

export function printRdata(type: number, value: unknown, options: PrintOptions = {}): string {
  const codec = codecFor(type);
  if (codec) return codec.print(value, options);
  const bytes = (value as OpaqueRdata).bytes;
  return bytes.length === 0 ? '\\# 0' : `\\# ${bytes.length} ${hexEncode(bytes)}`;
}

export function encodeRdata(type: number, value: unknown, w: WireWriter, options: EncodeOptions = {}): void {
  const codec = codecFor(type);
  if (codec) codec.encode(value, w, options);
  else w.bytes((value as OpaqueRdata).bytes);
}

export function decodeRdata(type: number, r: WireReader, length: number): unknown {
  if (length > MAX_RDATA_OCTETS) throw rdataTooLong(type, length);
  const codec = codecFor(type);
  if (codec) return codec.decode(r, length);
  return { bytes: r.bytes(length, 'rdata') } satisfies OpaqueRdata;
}

/** The RDATA on its own, uncompressed; `canonical` lowercases names as RFC 4034 §6.2 says. */
export function rdataToWire(type: number, value: unknown, canonical = false): Uint8Array {
  const w = new WireWriter({ initialSize: 64 });
  encodeRdata(type, value, w, { canonical });
  if (w.length > MAX_RDATA_OCTETS) throw rdataTooLong(type, w.length);
  return w.finish();
}

/**
 * Checks RDATA built by code rather than parsed (a zone admits records from
 * API callers): it must encode as `type` (fields of the right kind and in
 * range, at most 65535 octets) and those octets must pass every check that
 * decoding applies, the same as RFC 3597 generic input. The decoding step is
 * skipped for types where encoding is check enough (A, AAAA, NS, MX, SOA...:
 * most of a zone). Throws DnsError.
 */
export function checkRdata(type: number, value: unknown): void {
  const codec = codecFor(type);
  if (!codec) {
    if (!((value as OpaqueRdata | undefined)?.bytes instanceof Uint8Array))
      throw new DnsError('rdata.invalid', `rdata: ${typeToString(type)} data must be { bytes: Uint8Array }`);
  }
  let length: number;
  try {
    length = encodedLength(type, value);
  } catch (e) {
    if (e instanceof DnsError) throw e;
    throw new DnsError(
      'rdata.invalid',
      `rdata: the data is not ${typeToString(type)} RDATA (${(e as Error).message})`,
    );
  }
  if (length > MAX_RDATA_OCTETS) throw rdataTooLong(type, length);
  if (codec && !codec.encodingChecks)
    decodeRdata(type, new WireReader(scratch.written(), 0, { compression: false }), length);
}

/** Octet-wise comparison (RFC 4034 §6.3 orders RDATA this way in canonical form). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
