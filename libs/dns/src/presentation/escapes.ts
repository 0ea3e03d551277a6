import { DnsError } from '../errors.js';

const utf8 = new TextEncoder();

/**
 * Decodes a <character-string> as written (quotes removed, escapes kept):
 * `\DDD` is one octet, `\X` is X, anything else is its UTF-8 octets.
 */
export function decodeCharString(raw: string, field: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x5c) {
      const next = raw.charCodeAt(i + 1);
      if (Number.isNaN(next))
        throw new DnsError(
          'string.bad-escape',
          `${field}: string ends with a lone backslash`,
          'RFC 1035 §5.1',
          field,
        );
      if (next >= 0x30 && next <= 0x39) {
        const digits = raw.slice(i + 1, i + 4);
        if (!/^[0-9]{3}$/.test(digits) || Number(digits) > 255)
          throw new DnsError(
            'string.bad-escape',
            `${field}: '\\${digits}' is not a \\DDD escape of a value 0-255`,
            'RFC 1035 §5.1',
            field,
          );
        out.push(Number(digits));
        i += 3;
      } else if (next > 0x7f) {
        const cp = raw.codePointAt(i + 1)!;
        for (const b of utf8.encode(String.fromCodePoint(cp))) out.push(b);
        i += cp > 0xffff ? 2 : 1;
      } else {
        out.push(next);
        i += 1;
      }
    } else if (c > 0x7f) {
      const cp = raw.codePointAt(i)!;
      for (const b of utf8.encode(String.fromCodePoint(cp))) out.push(b);
      if (cp > 0xffff) i++;
    } else out.push(c);
  }
  return Uint8Array.from(out);
}

/** Prints octets as a quoted <character-string>: printable ASCII as is, `"` and `\` escaped, the rest `\DDD`. */
export function quoteCharString(bytes: Uint8Array): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x22 || b === 0x5c) s += '\\' + String.fromCharCode(b);
    else if (b < 0x20 || b >= 0x7f) s += '\\' + String(b).padStart(3, '0');
    else s += String.fromCharCode(b);
  }
  return s + '"';
}
