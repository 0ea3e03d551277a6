import { DnsError } from '../errors.js';

/** Type codes (IANA "Resource Record (RR) TYPEs"). */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  AAAA: 28,
  LOC: 29,
  SRV: 33,
  NAPTR: 35,
  KX: 36,
  CERT: 37,
  DNAME: 39,
  OPT: 41,
  APL: 42,
  DS: 43,
  SSHFP: 44,
  IPSECKEY: 45,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  DHCID: 49,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  SMIMEA: 53,
  HIP: 55,
  CDS: 59,
  CDNSKEY: 60,
  OPENPGPKEY: 61,
  CSYNC: 62,
  ZONEMD: 63,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  NID: 104,
  L32: 105,
  L64: 106,
  LP: 107,
  EUI48: 108,
  EUI64: 109,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  URI: 256,
  CAA: 257,
} as const;

export type RRTypeName = keyof typeof RRType;

const byCode = new Map<number, string>(Object.entries(RRType).map(([k, v]) => [v, k]));
// A Map, not RRType[text]: text such as `toString` must not find Object.prototype.
const byName = new Map<string, number>(Object.entries(RRType));

/** Mnemonic of a type code, or `TYPEnnn` (RFC 3597 §5). */
export function typeToString(code: number): string {
  return byCode.get(code) ?? `TYPE${code}`;
}

/** Type code of a mnemonic or `TYPEnnn`, case-insensitive; undefined if neither. */
export function typeFromString(text: string): number | undefined {
  const exact = byName.get(text);
  if (exact !== undefined) return exact;
  const upper = text.toUpperCase();
  const known = byName.get(upper);
  if (known !== undefined) return known;
  const m = /^TYPE([0-9]{1,5})$/.exec(upper);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v <= 0xffff ? v : undefined;
}

/** Like typeFromString, but throws a specific error. */
export function parseType(text: string, field = 'type'): number {
  const t = typeFromString(text);
  if (t === undefined)
    throw new DnsError(
      'type.unknown',
      `${field}: '${text}' is not a record type mnemonic or TYPEnnn`,
      'RFC 3597 §5',
      field,
    );
  return t;
}

export const CLASS_IN = 1;

/** Class code of `IN`, `CH`, `HS`, `CLASSnnn`; undefined if not a class. */
export function classFromString(text: string): number | undefined {
  if (text === 'IN') return 1;
  const upper = text.toUpperCase();
  if (upper === 'IN') return 1;
  if (upper === 'CH') return 3;
  if (upper === 'HS') return 4;
  const m = /^CLASS([0-9]{1,5})$/.exec(upper);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v <= 0xffff ? v : undefined;
}

export function classToString(code: number): string {
  return code === 1 ? 'IN' : code === 3 ? 'CH' : code === 4 ? 'HS' : `CLASS${code}`;
}
