// Stage 1 of every query: the header, the question and the OPT record, read
// into one reusable state object. Nothing else of the message is parsed, and
// nothing is allocated for a well-formed query.
import { HASH_SEED, hashLabel } from '../engine/name-hash.js';

export const PARSE_OK = 0;
/** Too broken to answer (shorter than a header, or a response): silence. */
export const PARSE_DROP = 1;
export const PARSE_FORMERR = 2;
export const PARSE_NOTIMP = 3;
/** EDNS version above 0 (RFC 6891 §6.1.3). */
export const PARSE_BADVERS = 4;

export const OPT = 41;
const OPTION_NSID = 3;
const OPTION_COOKIE = 10;

export class Query {
  opcode = 0;
  /** Octets of the question section as received (name + type + class), or 0 when not parsed. */
  questionLength = 0;
  /** The question name, lowercase, uncompressed. */
  readonly lower = new Uint8Array(256);
  qlen = 0;
  /** Label count and the offset of each label in `lower`; labelOff[labels] is the root octet. */
  labels = 0;
  readonly labelOff = new Int32Array(129);
  /** hash[i]: hash of the suffix starting at label i (hash[labels] is the root). */
  readonly hash = new Int32Array(129);
  qtype = 0;
  qclass = 0;
  edns = false;
  payload = 0;
  dnssecOk = false;
  nsid = false;
  /** The client's COOKIE option data (8 to 40 octets) at `cookieAt` in the message, or cookieLength 0. */
  cookieAt = 0;
  cookieLength = 0;
}

function skipName(msg: Uint8Array, p: number): number {
  // Skipping never follows pointers, so loops cannot trap it.
  for (let hops = 0; hops < 128; hops++) {
    if (p >= msg.length) return -1;
    const len = msg[p]!;
    if (len === 0) return p + 1;
    if ((len & 0xc0) === 0xc0) return p + 2 <= msg.length ? p + 2 : -1;
    if (len > 63) return -1;
    p += len + 1;
  }
  return -1;
}

/** Parses `msg` into `q`; returns a PARSE_ code. */
export function parseQuery(msg: Uint8Array, q: Query): number {
  const n = msg.length;
  q.questionLength = 0;
  q.edns = false;
  q.dnssecOk = false;
  q.nsid = false;
  q.cookieLength = 0;
  if (n < 12 || msg[2]! & 0x80) return PARSE_DROP;
  q.opcode = (msg[2]! >>> 3) & 0x0f;
  const qd = (msg[4]! << 8) | msg[5]!;
  if (qd !== 1) return q.opcode !== 0 ? PARSE_NOTIMP : PARSE_FORMERR;

  // The question name: plain labels only (a pointer cannot precede it).
  const lower = q.lower;
  let p = 12;
  let labels = 0;
  for (;;) {
    if (p >= n) return PARSE_FORMERR;
    const len = msg[p]!;
    if (len === 0) break;
    if (len > 63) return PARSE_FORMERR;
    const at = p - 12;
    if (at + len + 2 > 255 || p + len >= n) return PARSE_FORMERR;
    q.labelOff[labels++] = at;
    lower[at] = len;
    for (let i = 1; i <= len; i++) {
      const c = msg[p + i]!;
      lower[at + i] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    }
    p += len + 1;
  }
  lower[p - 12] = 0;
  q.qlen = p - 12 + 1;
  q.labels = labels;
  q.labelOff[labels] = p - 12;
  p++;
  if (p + 4 > n) return PARSE_FORMERR;
  q.qtype = (msg[p]! << 8) | msg[p + 1]!;
  q.qclass = (msg[p + 2]! << 8) | msg[p + 3]!;
  p += 4;
  q.questionLength = p - 12;
  let h = HASH_SEED;
  q.hash[labels] = h;
  for (let i = labels - 1; i >= 0; i--) q.hash[i] = h = hashLabel(h, lower, q.labelOff[i]!);
  if (q.opcode !== 0) return PARSE_NOTIMP;

  // Skip answer and authority records; look for OPT among the additional ones.
  const an = (msg[6]! << 8) | msg[7]!;
  const ns = (msg[8]! << 8) | msg[9]!;
  const ar = (msg[10]! << 8) | msg[11]!;
  if (an + ns + ar === 0) return PARSE_OK;
  let badvers = false;
  for (let i = 0; i < an + ns + ar; i++) {
    const nameAt = p;
    p = skipName(msg, p);
    if (p < 0 || p + 10 > n) return PARSE_FORMERR;
    const type = (msg[p]! << 8) | msg[p + 1]!;
    const rdlen = (msg[p + 8]! << 8) | msg[p + 9]!;
    const rdata = p + 10;
    if (rdata + rdlen > n) return PARSE_FORMERR;
    if (type === OPT && i >= an + ns) {
      // RFC 6891 §6.1.1: one OPT, owned by the root.
      if (q.edns || msg[nameAt] !== 0) return PARSE_FORMERR;
      q.edns = true;
      q.payload = (msg[p + 2]! << 8) | msg[p + 3]!;
      if (msg[p + 5]! !== 0) badvers = true;
      q.dnssecOk = (msg[p + 6]! & 0x80) !== 0;
      let o = rdata;
      while (o < rdata + rdlen) {
        if (o + 4 > rdata + rdlen) return PARSE_FORMERR;
        const code = (msg[o]! << 8) | msg[o + 1]!;
        const len = (msg[o + 2]! << 8) | msg[o + 3]!;
        if (o + 4 + len > rdata + rdlen) return PARSE_FORMERR;
        if (code === OPTION_NSID) q.nsid = true;
        else if (code === OPTION_COOKIE) {
          // RFC 7873 §5.2.2: a client cookie of 8 octets, plus a server cookie of 8 to 32.
          if (len !== 8 && (len < 16 || len > 40)) return PARSE_FORMERR;
          q.cookieAt = o + 4;
          q.cookieLength = len;
        }
        o += 4 + len;
      }
    }
    p = rdata + rdlen;
  }
  return badvers ? PARSE_BADVERS : PARSE_OK;
}
