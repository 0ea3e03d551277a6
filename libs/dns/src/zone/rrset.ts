import type { Name } from '../name/name.js';
import { compareBytes } from '../rdata/rdata.js';
import { CLASS_IN, RRType } from '../rdata/rrtype.js';
import { canonicalRdata, type ResourceRecord } from '../rr.js';

/**
 * The records of one owner and type (class is always IN in a zone). An RRset
 * has one TTL (RFC 2181 §5.2), except RRSIG: each signature has the TTL of
 * the RRset it covers (RFC 4034 §3), so the RRSIGs at a name keep their own
 * TTLs in `ttls`. `rdatas` are unique and kept in canonical RDATA order
 * (RFC 4034 §6.3), so records() and diffs need no sorting within a set.
 * RRsets handed out by a Zone are never mutated: changes build new ones.
 */
export interface RRset {
  readonly name: Name;
  readonly type: number;
  /** The TTL of every record; for RRSIG, the lowest of `ttls`. */
  readonly ttl: number;
  readonly rdatas: readonly unknown[];
  /** RRSIG only: each record's TTL, in step with `rdatas`. */
  readonly ttls?: readonly number[];
}

/** Types whose records keep their own TTLs instead of sharing the RRset's: RRSIG (RFC 4034 §3). */
export function hasRecordTtls(type: number): boolean {
  return type === RRType.RRSIG;
}

/** The TTL of the record at `i` in `set`. */
export function recordTtl(set: RRset, i: number): number {
  return set.ttls ? set.ttls[i]! : set.ttl;
}

export function lowestTtl(ttls: readonly number[]): number {
  let low = ttls[0]!;
  for (const t of ttls) if (t < low) low = t;
  return low;
}

/** Canonical RDATA octets of `data` as `type`, cached per RDATA object by canonicalRdata. */
export function rdataBytes(type: number, data: unknown): Uint8Array {
  // canonicalRdata only reads type and data; the other fields are placeholders.
  return canonicalRdata({ type, data });
}

/**
 * Where `data` sits in canonically sorted `rdatas`: its index when present,
 * otherwise `-(insertionPoint) - 1` (so a negative result means absent).
 */
export function searchRdata(type: number, rdatas: readonly unknown[], data: unknown): number {
  const want = rdataBytes(type, data);
  let lo = 0;
  let hi = rdatas.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareBytes(rdataBytes(type, rdatas[mid]), want);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/**
 * Sorts `rdatas` canonically and removes duplicates in place, keeping the
 * first of each; `ttls` (RRSIG), when given, is permuted along. Returns the
 * removed duplicates (for the caller's `duplicate` warnings).
 */
export function sortUniqueRdatas(type: number, rdatas: unknown[], ttls?: number[]): unknown[] {
  if (rdatas.length < 2) return [];
  const compare = (a: unknown, b: unknown) => compareBytes(rdataBytes(type, a), rdataBytes(type, b));
  if (ttls) {
    // Sort positions (a stable sort keeps the first of equal records first), then apply them to both lists.
    const order = rdatas.map((_, i) => i).sort((a, b) => compare(rdatas[a], rdatas[b]));
    const sortedRdatas = order.map((i) => rdatas[i]);
    const sortedTtls = order.map((i) => ttls[i]!);
    for (let i = 0; i < order.length; i++) {
      rdatas[i] = sortedRdatas[i];
      ttls[i] = sortedTtls[i]!;
    }
  } else rdatas.sort(compare);
  const dropped: unknown[] = [];
  let w = 1;
  for (let r = 1; r < rdatas.length; r++) {
    if (compare(rdatas[r], rdatas[w - 1]) === 0) dropped.push(rdatas[r]);
    else {
      if (ttls) ttls[w] = ttls[r]!;
      rdatas[w++] = rdatas[r];
    }
  }
  rdatas.length = w;
  if (ttls) ttls.length = w;
  return dropped;
}

/** The RRset of `type` in a type-sorted list, or undefined. */
export function findRRset(rrsets: readonly RRset[], type: number): RRset | undefined {
  for (const s of rrsets) if (s.type === type) return s;
  return undefined;
}

/** Same TTLs and same RDATA set (both lists are canonically sorted and unique). */
export function sameRRset(a: RRset | undefined, b: RRset | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.type !== b.type || a.ttl !== b.ttl || a.rdatas.length !== b.rdatas.length) return false;
  for (let i = 0; i < a.rdatas.length; i++) {
    if (recordTtl(a, i) !== recordTtl(b, i)) return false;
    if (compareBytes(rdataBytes(a.type, a.rdatas[i]), rdataBytes(b.type, b.rdatas[i])) !== 0) return false;
  }
  return true;
}

/** Same RRsets (lists sorted by type). */
export function sameRRsets(a: readonly RRset[], b: readonly RRset[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameRRset(a[i], b[i])) return false;
  return true;
}

/** The record at `i` in `set`. */
export function rrsetRecord(set: RRset, i: number): ResourceRecord {
  return { name: set.name, type: set.type, class: CLASS_IN, ttl: recordTtl(set, i), data: set.rdatas[i] };
}

/** Appends the RRset's records, in canonical RDATA order, to `out` (a loop: RRsets can be huge). */
export function pushRecords(set: RRset, out: ResourceRecord[]): void {
  for (let i = 0; i < set.rdatas.length; i++) out.push(rrsetRecord(set, i));
}
