import { DnsError, WireError } from '../errors.js';
import { Name } from '../name/name.js';
import { decodeCharString, quoteCharString } from '../presentation/escapes.js';
import { atToken, type Token } from '../presentation/lexer.js';
import { parseTtl } from '../presentation/ttl.js';
import type { WireReader } from '../wire/reader.js';
import type { WireWriter } from '../wire/writer.js';
import type { EncodeOptions, ParseContext, PrintOptions } from './codec.js';
import { parseType, typeToString } from './rrtype.js';
import {
  base32HexDecode,
  base32HexEncode,
  base64Decode,
  base64Encode,
  hexDecode,
  hexEncode,
} from './binary.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip.js';

/**
 * One field kind of RDATA (RFC 1035 §3.3 and successors): how it reads from
 * tokens, prints, and goes to and from the wire. Most record types are a
 * sequence of these (see define.ts), as in Knot's and ldns's descriptors.
 */
export interface FieldKind<V> {
  /** Takes all remaining tokens and all remaining RDATA octets. */
  readonly rest?: boolean;
  /**
   * Decoding whatever encode writes cannot fail (the writer already refuses
   * values out of range), so a value that encodes is valid; see checkRdata.
   */
  readonly alwaysDecodes?: boolean;
  parse(tokens: readonly Token[], ctx: ParseContext, field: string): V;
  print(value: V, options: PrintOptions): string;
  encode(value: V, w: WireWriter, options: EncodeOptions): void;
  /** Decodes from the reader, not past `end` (the end of the RDATA). */
  decode(r: WireReader, end: number, field: string): V;
}

export function fieldError(
  code: string,
  message: string,
  field: string,
  token?: Token,
  rfc?: string,
): DnsError {
  const e = new DnsError(code, `${field}: ${message}`, rfc, field);
  if (token) e.position = { line: token.line, column: token.column };
  return e;
}

function one(tokens: readonly Token[]): Token {
  return tokens[0]!;
}

/** Decodes a character-string token, placing any error at the token. */
function charStringAt(t: Token, field: string): Uint8Array {
  return atToken(t, () => decodeCharString(t.text, field));
}

function unsigned(bits: 8 | 16 | 32): FieldKind<number> {
  const max = 2 ** bits - 1;
  return {
    alwaysDecodes: true,
    parse(tokens, _ctx, field) {
      const t = one(tokens);
      if (!/^[0-9]+$/.test(t.text) || Number(t.text) > max)
        throw fieldError('field.integer', `'${t.text}' is not an integer from 0 to ${max}`, field, t);
      return Number(t.text);
    },
    print: (v) => String(v),
    encode(v, w) {
      if (bits === 8) w.u8(v);
      else if (bits === 16) w.u16(v);
      else w.u32(v);
    },
    decode: (r, _end, field) => (bits === 8 ? r.u8(field) : bits === 16 ? r.u16(field) : r.u32(field)),
  };
}

export const u8 = unsigned(8);
export const u16 = unsigned(16);
export const u32 = unsigned(32);

/** A 32-bit time period that also accepts units (SOA timers: `1h`, `2w`), printed in seconds. */
export const period: FieldKind<number> = {
  alwaysDecodes: true,
  parse(tokens, _ctx, field) {
    const t = one(tokens);
    return atToken(t, () => parseTtl(t.text, field, 0xffffffff));
  },
  print: (v) => String(v),
  encode: (v, w) => void w.u32(v),
  decode: (r, _end, field) => r.u32(field),
};

/** A type code printed as its mnemonic (RRSIG's type covered). */
export const rrtype: FieldKind<number> = {
  alwaysDecodes: true,
  parse(tokens, _ctx, field) {
    const t = one(tokens);
    return atToken(t, () => parseType(t.text, field));
  },
  print: (v) => typeToString(v),
  encode: (v, w) => void w.u16(v),
  decode: (r, _end, field) => r.u16(field),
};

export const ipv4: FieldKind<string> = {
  alwaysDecodes: true,
  parse(tokens, _ctx, field) {
    const t = one(tokens);
    if (!parseIPv4(t.text))
      throw fieldError(
        'field.ipv4',
        `'${t.text}' is not an IPv4 address in dotted-decimal form`,
        field,
        t,
        'RFC 1035 §3.4.1',
      );
    // The strict parser accepts only the canonical form, so the text itself is the value.
    return t.text;
  },
  print: (v) => v,
  encode: (v, w) => void w.bytes(parseIPv4(v)!),
  decode: (r, _end, field) => formatIPv4(r.bytes(4, field)),
};

export const ipv6: FieldKind<string> = {
  alwaysDecodes: true,
  parse(tokens, _ctx, field) {
    const t = one(tokens);
    const bytes = parseIPv6(t.text);
    if (!bytes)
      throw fieldError('field.ipv6', `'${t.text}' is not an IPv6 address`, field, t, 'RFC 4291 §2.2');
    return formatIPv6(bytes);
  },
  print: (v) => v,
  encode: (v, w) => void w.bytes(parseIPv6(v)!),
  decode: (r, _end, field) => formatIPv6(r.bytes(16, field)),
};

/**
 * A domain name. `compress`: may be compressed on the wire (only the RFC 1035
 * types, RFC 3597 §4). `lower`: lowercased in canonical form (RFC 4034 §6.2).
 */
export function name(options: { compress?: boolean; lower?: boolean } = {}): FieldKind<Name> {
  // Decoding enforces the same rule: a pointer where compression is not allowed is malformed data.
  const read = { compression: !!options.compress };
  return {
    alwaysDecodes: true,
    parse(tokens, ctx, field) {
      const t = one(tokens);
      return atToken(t, () => Name.parse(t.text, ctx.origin ? { origin: ctx.origin, field } : { field }));
    },
    print: (v, o) => (o.origin ? v.toRelativeString(o.origin) : v.toString()),
    encode(v, w, o) {
      w.name(v, { compress: !o.canonical && !!options.compress, lower: !!o.canonical && !!options.lower });
    },
    decode: (r, _end, field) => r.name(field, read),
  };
}

/** One <character-string>: up to 255 octets, quoted or not. */
export const charString: FieldKind<Uint8Array> = {
  alwaysDecodes: true,
  parse(tokens, _ctx, field) {
    const t = one(tokens);
    const bytes = charStringAt(t, field);
    if (bytes.length > 255)
      throw fieldError(
        'field.string-too-long',
        `string of ${bytes.length} octets exceeds 255`,
        field,
        t,
        'RFC 1035 §3.3',
      );
    return bytes;
  },
  print: (v) => quoteCharString(v),
  encode: (v, w) => void w.u8(v.length).bytes(v),
  decode(r, end, field) {
    const len = r.u8(field);
    if (r.pos + len > end) throw new WireError(`${field}: character-string overruns the RDATA`);
    return r.bytes(len, field);
  },
};

/**
 * One or more <character-string>s to the end of the RDATA (TXT, SPF). A
 * string written longer than 255 octets is split into 255-octet strings, as
 * Knot does, since the wire cannot hold it whole.
 */
export const charStrings: FieldKind<Uint8Array[]> = {
  rest: true,
  parse(tokens, _ctx, field) {
    if (tokens.length === 0)
      throw fieldError(
        'rdata.missing-field',
        'needs at least one character-string',
        field,
        undefined,
        'RFC 1035 §3.3.14',
      );
    const out: Uint8Array[] = [];
    for (const t of tokens) {
      const bytes = charStringAt(t, field);
      if (bytes.length === 0) out.push(bytes);
      for (let i = 0; i < bytes.length; i += 255) out.push(bytes.subarray(i, i + 255));
    }
    return out;
  },
  print: (v) => v.map(quoteCharString).join(' '),
  encode(v, w) {
    for (const s of v) w.u8(s.length).bytes(s);
  },
  decode(r, end, field) {
    const out: Uint8Array[] = [];
    while (r.pos < end) out.push(charString.decode(r, end, field));
    if (out.length === 0) throw new WireError(`${field}: needs at least one character-string`);
    return out;
  },
};

function restOf(
  what: string,
  decodeText: (text: string) => Uint8Array | undefined,
  encodeText: (b: Uint8Array) => string,
  options: { allowEmpty?: boolean; rfc?: string } = {},
): FieldKind<Uint8Array> {
  return {
    rest: true,
    parse(tokens, _ctx, field) {
      const text = tokens.map((t) => t.text).join('');
      if (text.length === 0 && !options.allowEmpty)
        throw fieldError('field.missing', `missing ${what} data`, field, undefined, options.rfc);
      const bytes = decodeText(text);
      if (!bytes)
        throw fieldError(
          `field.${what}`,
          `'${text.length > 40 ? text.slice(0, 40) + '…' : text}' is not valid ${what}`,
          field,
          tokens[0],
          options.rfc,
        );
      return bytes;
    },
    print: (v) => (v.length === 0 ? '' : encodeText(v)),
    encode: (v, w) => void w.bytes(v),
    decode: (r, end, field) => {
      if (end === r.pos && !options.allowEmpty) throw new WireError(`${field}: missing ${what} data`);
      return r.bytes(end - r.pos, field);
    },
  };
}

/** Base64 to the end of the RDATA (keys, signatures); whitespace inside is allowed. */
export const base64Rest = restOf('base64', base64Decode, base64Encode, { rfc: 'RFC 4648 §4' });
/** Hex to the end of the RDATA (digests, fingerprints); whitespace inside is allowed. */
export const hexRest = restOf('hex', hexDecode, hexEncode, { rfc: 'RFC 4648 §8' });

/** NSEC3/NSEC3PARAM salt: a length octet then octets, written as hex or `-` for none (RFC 5155 §3.3). */
export const saltHex: FieldKind<Uint8Array> = {
  alwaysDecodes: true,
  parse(tokens, _ctx, field) {
    const t = one(tokens);
    if (t.text === '-') return new Uint8Array(0);
    const b = hexDecode(t.text);
    if (!b || b.length === 0)
      throw fieldError('field.salt', `'${t.text}' is not a hex salt or '-'`, field, t, 'RFC 5155 §3.3');
    if (b.length > 255)
      throw fieldError('field.salt', `salt of ${b.length} octets exceeds 255`, field, t, 'RFC 5155 §3.3');
    return b;
  },
  print: (v) => (v.length === 0 ? '-' : hexEncode(v)),
  encode: (v, w) => void w.u8(v.length).bytes(v),
  decode(r, end, field) {
    const len = r.u8(field);
    if (r.pos + len > end) throw new WireError(`${field}: salt overruns the RDATA`);
    return r.bytes(len, field);
  },
};

/** NSEC3 next hashed owner: a length octet then octets, written in base32hex without padding (RFC 5155 §3.3). */
export const nextHashed: FieldKind<Uint8Array> = {
  parse(tokens, _ctx, field) {
    const t = one(tokens);
    const b = base32HexDecode(t.text);
    if (!b || b.length === 0 || b.length > 255)
      throw fieldError('field.base32hex', `'${t.text}' is not a base32hex hash`, field, t, 'RFC 5155 §3.3');
    return b;
  },
  print: (v) => base32HexEncode(v),
  encode: (v, w) => void w.u8(v.length).bytes(v),
  decode(r, end, field) {
    const len = r.u8(field);
    if (len === 0 || r.pos + len > end) throw new WireError(`${field}: bad hash length ${len}`);
    return r.bytes(len, field);
  },
};

/**
 * The type bit maps of NSEC, NSEC3 and CSYNC (RFC 4034 §4.1.2): a set of type
 * codes, printed as mnemonics in ascending order, may be empty.
 */
export const typeBitmap: FieldKind<number[]> = {
  rest: true,
  parse(tokens, _ctx, field) {
    const set = new Set<number>();
    for (const t of tokens) set.add(atToken(t, () => parseType(t.text, field)));
    return [...set].sort((a, b) => a - b);
  },
  print: (v) => v.map(typeToString).join(' '),
  encode(v, w) {
    let i = 0;
    while (i < v.length) {
      const win = v[i]! >> 8;
      const bits = new Uint8Array(32);
      let maxByte = 0;
      for (; i < v.length && v[i]! >> 8 === win; i++) {
        const low = v[i]! & 0xff;
        bits[low >> 3]! |= 0x80 >> (low & 7);
        maxByte = Math.max(maxByte, (low >> 3) + 1);
      }
      w.u8(win).u8(maxByte).bytes(bits.subarray(0, maxByte));
    }
  },
  decode(r, end, field) {
    const out: number[] = [];
    let lastWindow = -1;
    while (r.pos < end) {
      const win = r.u8(field);
      const len = r.u8(field);
      if (win <= lastWindow) throw new WireError(`${field}: type bitmap windows out of order`);
      if (len === 0 || len > 32 || r.pos + len > end)
        throw new WireError(`${field}: bad type bitmap window length ${len}`);
      lastWindow = win;
      const bits = r.bytes(len, field);
      // RFC 4034 §4.1.2: trailing zero octets (and so empty windows) MUST be omitted; re-encoding would change the RDATA.
      if (bits[len - 1] === 0)
        throw new WireError(`${field}: type bitmap window ${win} ends in a zero octet`);
      for (let b = 0; b < len; b++)
        for (let bit = 0; bit < 8; bit++) if (bits[b]! & (0x80 >> bit)) out.push((win << 8) | (b * 8 + bit));
    }
    return out;
  },
};

/**
 * RRSIG times (RFC 4034 §3.2): YYYYMMDDHHmmSS in UTC, or seconds since the
 * epoch; printed as YYYYMMDDHHmmSS.
 */
export const sigTime: FieldKind<number> = {
  alwaysDecodes: true,
  parse(tokens, _ctx, field) {
    const t = one(tokens);
    const m = /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(t.text);
    if (m) {
      const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
      const ms = Date.UTC(y, mo - 1, d, h, mi, s);
      const back = new Date(ms);
      // Before 1970 there is no 32-bit count of seconds to wrap to (BIND also refuses it).
      if (y < 1970 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
        throw fieldError(
          'field.time',
          `'${t.text}' is not a valid YYYYMMDDHHmmSS time`,
          field,
          t,
          'RFC 4034 §3.2',
        );
      return (ms / 1000) >>> 0;
    }
    if (/^[0-9]{1,10}$/.test(t.text) && Number(t.text) <= 0xffffffff) return Number(t.text);
    throw fieldError(
      'field.time',
      `'${t.text}' is neither YYYYMMDDHHmmSS nor seconds since 1970`,
      field,
      t,
      'RFC 4034 §3.2',
    );
  },
  print(v) {
    const d = new Date(v * 1000);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  },
  encode: (v, w) => void w.u32(v),
  decode: (r, _end, field) => r.u32(field),
};
