/** OPCODE values of the message header (IANA "DNS OpCodes"). */
export const Opcode = {
  QUERY: 0,
  IQUERY: 1,
  STATUS: 2,
  NOTIFY: 4,
  UPDATE: 5,
  DSO: 6,
} as const;

/**
 * RCODE values (IANA "DNS RCODEs"). Codes above 15 only exist as the
 * extended RCODE of an OPT record (RFC 6891 §6.1.3) or in TSIG/TKEY.
 */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
  DSOTYPENI: 11,
  BADVERS: 16,
  BADKEY: 17,
  BADTIME: 18,
  BADMODE: 19,
  BADNAME: 20,
  BADALG: 21,
  BADTRUNC: 22,
  BADCOOKIE: 23,
} as const;

const rcodeNames = new Map<number, string>(Object.entries(Rcode).map(([k, v]) => [v, k]));
const opcodeNames = new Map<number, string>(Object.entries(Opcode).map(([k, v]) => [v, k]));

/** Mnemonic of an RCODE (`NXDOMAIN`), or `RCODE<n>` for unassigned values. */
export function rcodeToString(code: number): string {
  return rcodeNames.get(code) ?? `RCODE${code}`;
}

/** Mnemonic of an OPCODE (`QUERY`), or `OPCODE<n>` for unassigned values. */
export function opcodeToString(code: number): string {
  return opcodeNames.get(code) ?? `OPCODE${code}`;
}
