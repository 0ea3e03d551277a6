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
      return decodeRdata(type, new WireReader(bytes), bytes.length);
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
  return codec.parse(tokens, ctx);
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
  const codec = codecFor(type);
  if (codec) return codec.decode(r, length);
  return { bytes: r.bytes(length, 'rdata') } satisfies OpaqueRdata;
}

/** The RDATA on its own, uncompressed; `canonical` lowercases names as RFC 4034 §6.2 says. */
export function rdataToWire(type: number, value: unknown, canonical = false): Uint8Array {
  const w = new WireWriter({ initialSize: 64 });
  encodeRdata(type, value, w, { canonical });
  return w.finish();
}

/** Octet-wise comparison (RFC 4034 §6.3 orders RDATA this way in canonical form). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
