// The last stage: copy header, question and a prepared template into a new
// response, move compression pointers when the template was built for a name
// of another length, append the negative-answer SOA and the OPT record, and
// truncate to what the transport allows (RFC 1035 §4.2.1, RFC 6891 §7).
import { u16 } from '../engine/bytes.js';
import { T_AA, T_NEG_TAIL, T_REFERRAL, T_SUFFIX, T_TOO_BIG, TEMPLATE_HEADER } from '../engine/template.js';
import type { Query } from './query.js';

/** Our EDNS payload size (the DNS Flag Day 2020 value). */
export const EDNS_PAYLOAD = 1232;

/** What the OPT record of a response carries. */
export interface OptOut {
  extendedRcode: number;
  nsid?: Uint8Array;
  /** Full COOKIE option data (client cookie + server cookie). */
  cookie?: Uint8Array;
}

function shift(
  out: Uint8Array,
  ans: Uint8Array,
  from: number,
  count: number,
  base: number,
  limit: number,
  delta: number,
): void {
  for (let i = 0; i < count; i++) {
    const at = u16(ans, from + i * 2);
    if (at >= limit) continue;
    const pos = base + at;
    const v = (((out[pos]! & 0x3f) << 8) | out[pos + 1]!) + delta;
    out[pos] = 0xc0 | (v >>> 8);
    out[pos + 1] = v & 0xff;
  }
}

function optLength(opt: OptOut | undefined): number {
  if (!opt) return 0;
  return 11 + (opt.nsid ? 4 + opt.nsid.length : 0) + (opt.cookie ? 4 + opt.cookie.length : 0);
}

function writeOpt(out: Uint8Array, p: number, q: Query, opt: OptOut): number {
  out[p] = 0;
  out[p + 1] = 0;
  out[p + 2] = 41;
  out[p + 3] = EDNS_PAYLOAD >>> 8;
  out[p + 4] = EDNS_PAYLOAD & 0xff;
  out[p + 5] = opt.extendedRcode;
  out[p + 6] = 0; // version 0
  out[p + 7] = q.dnssecOk ? 0x80 : 0; // DO copied (RFC 3225 §3)
  out[p + 8] = 0;
  let o = p + 11;
  if (opt.nsid) {
    out[o] = 0;
    out[o + 1] = 3;
    out[o + 2] = opt.nsid.length >>> 8;
    out[o + 3] = opt.nsid.length & 0xff;
    out.set(opt.nsid, o + 4);
    o += 4 + opt.nsid.length;
  }
  if (opt.cookie) {
    out[o] = 0;
    out[o + 1] = 10;
    out[o + 2] = 0;
    out[o + 3] = opt.cookie.length;
    out.set(opt.cookie, o + 4);
    o += 4 + opt.cookie.length;
  }
  const rdlen = o - p - 11;
  out[p + 9] = rdlen >>> 8;
  out[p + 10] = rdlen & 0xff;
  return o;
}

/** Largest response the client accepts on this transport. */
export function sizeLimit(q: Query, tcp: boolean): number {
  if (tcp) return 65535;
  if (!q.edns) return 512;
  return Math.max(512, Math.min(q.payload, EDNS_PAYLOAD));
}

/** No proof chunks (the common case). */
const NO_CHUNKS = new Int32Array(0);

/**
 * Builds the response from template `t` in `ans`. `tail` is the zone's SOA
 * template for negative answers (or -1), in `tailAns`. `chunks[0..nchunks)`
 * are proof templates in `tailAns` (NSEC/NSEC3 records chosen per query),
 * appended to the authority section like the tail. Returns the response octets.
 */
export function emit(
  msg: Uint8Array,
  q: Query,
  ans: Uint8Array,
  t: number,
  tailAns: Uint8Array,
  tail: number,
  opt: OptOut | undefined,
  limit: number,
  chunks: Int32Array = NO_CHUNKS,
  nchunks = 0,
): Buffer {
  const flags = ans[t]!;
  const rcode = ans[t + 1]!;
  const delta = q.qlen - u16(ans, t + 2);
  let an = u16(ans, t + 4);
  let ns = u16(ans, t + 6);
  let ar = u16(ans, t + 8);
  const restLen = u16(ans, t + 10);
  const arStart = u16(ans, t + 12);
  const nself = u16(ans, t + 14);
  const nother = u16(ans, t + 16);
  const fix = t + TEMPLATE_HEADER;
  const rest = fix + (nself + nother) * 2;
  let tailLen = flags & T_NEG_TAIL ? u16(tailAns, tail + 10) : 0;
  let extraNs = 0;
  for (let i = 0; i < nchunks; i++) {
    tailLen += u16(tailAns, chunks[i]! + 10);
    extraNs += u16(tailAns, chunks[i]! + 6);
  }
  const base = 12 + q.questionLength;
  const optLen = optLength(opt);
  let use = restLen;
  let tc = flags & T_TOO_BIG ? 2 : 0;
  if (base + use + tailLen + optLen > limit) {
    // Additional data is optional (RFC 2181 §9) except a referral's glue (RFC 9471).
    use = arStart;
    ar = 0;
    if (flags & T_REFERRAL) tc = 2;
    if (base + use + tailLen + optLen > limit) {
      // Never part of an answer: not the records without their signatures or proofs (RFC 4035 §3.1.1).
      use = 0;
      an = ns = 0;
      tailLen = 0;
      nchunks = 0;
      extraNs = 0;
      tc = 2;
    }
  }
  const total = base + use + tailLen + optLen;
  const out = Buffer.allocUnsafe(total);
  out[0] = msg[0]!;
  out[1] = msg[1]!;
  out[2] = 0x80 | (q.opcode << 3) | (flags & T_AA ? 4 : 0) | tc | (msg[2]! & 1);
  out[3] = (msg[3]! & 0x10) | (rcode & 0x0f);
  out[4] = 0;
  out[5] = 1;
  const nsAll = ns + (tailLen > 0 && flags & T_NEG_TAIL ? u16(tailAns, tail + 6) : 0) + extraNs;
  out[6] = an >>> 8;
  out[7] = an & 0xff;
  out[8] = nsAll >>> 8;
  out[9] = nsAll & 0xff;
  const arAll = ar + (opt ? 1 : 0);
  out[10] = arAll >>> 8;
  out[11] = arAll & 0xff;
  out.set(msg.subarray(12, base), 12);
  // The tail and proofs go after the authority section: before the additional one, if any.
  const head = tailLen > 0 && use > arStart ? arStart : use;
  if (use > 0) {
    out.set(ans.subarray(rest, rest + head), base);
    if (head < use) out.set(ans.subarray(rest + head, rest + use), base + head + tailLen);
    if (head < use) moveAdditional(out, ans, t, base, use, delta, tailLen);
    else if (delta !== 0) {
      if (flags & T_SUFFIX) shift(out, ans, fix, nself, base, use, delta);
      shift(out, ans, fix + nself * 2, nother, base, use, delta);
    }
  }
  let p = base + head;
  if (tailLen > 0 && flags & T_NEG_TAIL) p = appendChunk(out, p, q, tailAns, tail);
  for (let i = 0; i < nchunks; i++) p = appendChunk(out, p, q, tailAns, chunks[i]!);
  if (opt) writeOpt(out, base + use + tailLen, q, opt);
  return out;
}

/** Copies a tail or proof template (pointers only into the question's apex suffix) to `p`; returns the end. */
function appendChunk(out: Uint8Array, p: number, q: Query, src: Uint8Array, c: number): number {
  const len = u16(src, c + 10);
  const cRest = c + TEMPLATE_HEADER + (u16(src, c + 14) + u16(src, c + 16)) * 2;
  out.set(src.subarray(cRest, cRest + len), p);
  const d = q.qlen - u16(src, c + 2);
  if (d !== 0) shift(out, src, c + TEMPLATE_HEADER, u16(src, c + 14) + u16(src, c + 16), p, len, d);
  return p + len;
}

/**
 * Pointer fix-up when `ins` octets were inserted before the additional
 * section (a signed wildcard answer with additional addresses): pointers
 * after the insertion point move, and so do their targets there.
 */
function moveAdditional(
  out: Uint8Array,
  ans: Uint8Array,
  t: number,
  base: number,
  use: number,
  delta: number,
  ins: number,
): void {
  const flags = ans[t]!;
  const arStart = u16(ans, t + 12);
  const nself = u16(ans, t + 14);
  const nother = u16(ans, t + 16);
  const tRest = 12 + u16(ans, t + 2) + 4;
  const fix = t + TEMPLATE_HEADER;
  for (let i = 0; i < nself + nother; i++) {
    const at = u16(ans, fix + i * 2);
    if (at >= use) continue;
    const pos = base + at + (at >= arStart ? ins : 0);
    let v = ((out[pos]! & 0x3f) << 8) | out[pos + 1]!;
    if (v - tRest >= arStart) v += ins;
    if (i >= nself || flags & T_SUFFIX) v += delta;
    out[pos] = 0xc0 | (v >>> 8);
    out[pos + 1] = v & 0xff;
  }
}

/** A response with no records: FORMERR, NOTIMP, REFUSED, BADVERS (question echoed when it was read). */
export function emitEmpty(
  msg: Uint8Array,
  q: Query,
  rcode: number,
  opt: OptOut | undefined,
  aa = false,
): Buffer {
  const base = 12 + q.questionLength;
  const out = Buffer.allocUnsafe(base + optLength(opt));
  out[0] = msg[0]!;
  out[1] = msg[1]!;
  out[2] = 0x80 | (((msg[2]! >>> 3) & 0x0f) << 3) | (aa ? 4 : 0) | (msg[2]! & 1);
  out[3] = (msg[3]! & 0x10) | (rcode & 0x0f);
  out[4] = 0;
  out[5] = q.questionLength > 0 ? 1 : 0;
  out.fill(0, 6, 12);
  if (opt) out[11] = 1;
  if (q.questionLength > 0) out.set(msg.subarray(12, base), 12);
  if (opt) writeOpt(out, base, q, opt);
  return out;
}
