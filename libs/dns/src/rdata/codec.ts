import type { Name } from '../name/name.js';
import type { Token } from '../presentation/lexer.js';
import type { WireReader } from '../wire/reader.js';
import type { WireWriter } from '../wire/writer.js';

export interface ParseContext {
  /** Origin for relative names in the RDATA. */
  origin?: Name;
}

export interface PrintOptions {
  /** When set, names inside the zone are printed relative to it. */
  origin?: Name;
}

export interface EncodeOptions {
  /**
   * Canonical form (RFC 4034 §6.2): no compression, and the embedded names of
   * the types RFC 4034 §6.2 (as amended by RFC 6840 §5.1) lists in lower case.
   */
  canonical?: boolean;
}

/**
 * Everything the library knows about one record type's RDATA: presentation
 * parse and print, wire encode and decode, and the domain names it holds.
 * `T` is a plain object of the type's fields (names as Name, binary as Uint8Array).
 */
export interface RdataCodec<T = unknown> {
  readonly type: number;
  readonly mnemonic: string;
  /** Parses the RDATA tokens (everything after the type). Throws DnsError naming the field. */
  parse(tokens: readonly Token[], ctx: ParseContext): T;
  /** Canonical presentation form. */
  print(value: T, options?: PrintOptions): string;
  /** Appends the RDATA (without RDLENGTH). */
  encode(value: T, w: WireWriter, options?: EncodeOptions): void;
  /** Decodes `length` octets of RDATA at the reader's position; must consume exactly them. */
  decode(r: WireReader, length: number): T;
  /**
   * Encoding a value is check enough: decoding the octets it writes cannot
   * fail (no semantic checks, no field stricter on decode than on encode),
   * so checkRdata need not decode them.
   */
  readonly encodingChecks?: boolean;
  /** Domain names in the RDATA that name other hosts (targets), for zone rules and additional processing. */
  targets?(value: T): Name[];
}
