import { DnsError } from '../errors.js';

/** Largest TTL a server may hand out (RFC 2181 §8: 31 bits). */
export const MAX_TTL = 0x7fffffff;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** True for a plain number or a BIND-style duration such as `1h30m`, `2d`, `1W`. */
export function isTtlText(text: string): boolean {
  return /^(?:[0-9]+|(?:[0-9]+[smhdwSMHDW])+)$/.test(text);
}

/**
 * Parses a TTL or time period: decimal seconds or units (`1h30m`, `2d`,
 * `1w`), as BIND and Knot read them. Throws when above `max` (2^31-1 for TTLs).
 */
export function parseTtl(text: string, field = 'ttl', max = MAX_TTL): number {
  if (!isTtlText(text))
    throw new DnsError(
      'ttl.syntax',
      `${field}: '${text}' is not a number of seconds or a duration like 1h30m`,
      'RFC 1035 §5.1',
      field,
    );
  let total = 0;
  if (/^[0-9]+$/.test(text)) total = Number(text);
  else
    for (const m of text.matchAll(/([0-9]+)([smhdwSMHDW])/g))
      total += Number(m[1]) * UNIT_SECONDS[m[2]!.toLowerCase()]!;
  if (total > max)
    throw new DnsError(
      'ttl.range',
      `${field}: ${text} (${total} s) is above the maximum ${max}`,
      'RFC 2181 §8',
      field,
    );
  return total;
}
