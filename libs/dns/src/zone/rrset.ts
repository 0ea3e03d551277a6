import type { Name } from '../name/name.js';
import { compareBytes } from '../rdata/rdata.js';
import { CLASS_IN } from '../rdata/rrtype.js';
import { canonicalRdata, type ResourceRecord } from '../rr.js';

/**
 * The records of one owner and type (class is always IN in a zone). An RRset
 * has one TTL (RFC 2181 §5.2). `rdatas` are unique and kept in canonical
 * RDATA order (RFC 4034 §6.3), so records() and diffs need no sorting within
 * a set. RRsets handed out by a Zone are never mutated: changes build new ones.
 */
export interface RRset {
  readonly name: Name;
  readonly type: number;
  readonly ttl: number;
  readonly rdatas: readonly unknown[];
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
 * Sorts `rdatas` canonically and removes duplicates in place; returns the
 * removed duplicates (for the caller's `duplicate` warnings).
 */
export function sortUniqueRdatas(type: number, rdatas: unknown[]): unknown[] {
  if (rdatas.length < 2) return [];
  rdatas.sort((a, b) => compareBytes(rdataBytes(type, a), rdataBytes(type, b)));
  const dropped: unknown[] = [];
  let w = 1;
  for (let r = 1; r < rdatas.length; r++) {
    if (compareBytes(rdataBytes(type, rdatas[r]), rdataBytes(type, rdatas[w - 1])) === 0)
      dropped.push(rdatas[r]);
    else rdatas[w++] = rdatas[r];
  }
  rdatas.length = w;
  return dropped;
}

/** The RRset of `type` in a type-sorted list, or undefined. */
export function findRRset(rrsets: readonly RRset[], type: number): RRset | undefined {
  for (const s of rrsets) if (s.type === type) return s;
  return undefined;
}

/** Same TTL and same RDATA set (both lists are canonically sorted and unique). */
export function sameRRset(a: RRset | undefined, b: RRset | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.type !== b.type || a.ttl !== b.ttl || a.rdatas.length !== b.rdatas.length) return false;
  for (let i = 0; i < a.rdatas.length; i++)
    if (compareBytes(rdataBytes(a.type, a.rdatas[i]), rdataBytes(b.type, b.rdatas[i])) !== 0) return false;
  return true;
}

/** Same RRsets (lists sorted by type). */
export function sameRRsets(a: readonly RRset[], b: readonly RRset[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameRRset(a[i], b[i])) return false;
  return true;
}

export function rrsetRecord(set: RRset, data: unknown): ResourceRecord {
  return { name: set.name, type: set.type, class: CLASS_IN, ttl: set.ttl, data };
}

/** The RRset as records, in canonical RDATA order. */
export function rrsetRecords(set: RRset): ResourceRecord[] {
  return set.rdatas.map((d) => rrsetRecord(set, d));
}
