import { compareBytes } from '../rdata/rdata.js';
import { compareRecords, type ResourceRecord } from '../rr.js';
import type { Touched } from './affected.js';
import { pushRecords, rdataBytes, recordTtl, rrsetRecord, type RRset } from './rrset.js';
import type { Zone } from './zone.js';

/**
 * What changed between two versions of a zone, both lists in canonical order.
 * As in IXFR (RFC 1995), a record whose TTL changed is removed and added
 * again, so a TTL change lists the whole RRset on both sides.
 */
export interface ZoneDiff {
  removed: ResourceRecord[];
  added: ResourceRecord[];
}

/** Diff of one name's RRsets (both lists sorted by type), appended to `out`. */
function diffRRsets(before: readonly RRset[], after: readonly RRset[], out: ZoneDiff): void {
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = before[i];
    const b = after[j];
    if (!b || (a && a.type < b.type)) {
      pushRecords(a!, out.removed);
      i++;
    } else if (!a || b.type < a.type) {
      pushRecords(b, out.added);
      j++;
    } else {
      diffRRset(a, b, out);
      i++;
      j++;
    }
  }
}

function diffRRset(a: RRset, b: RRset, out: ZoneDiff): void {
  if (a === b) return;
  // A shared TTL that changed changes every record; RRSIGs (own TTLs) are compared one by one below.
  if (!a.ttls && a.ttl !== b.ttl) {
    pushRecords(a, out.removed);
    pushRecords(b, out.added);
    return;
  }
  // Both RDATA lists are in canonical order: merge them.
  let i = 0;
  let j = 0;
  while (i < a.rdatas.length || j < b.rdatas.length) {
    const c =
      i >= a.rdatas.length
        ? 1
        : j >= b.rdatas.length
          ? -1
          : compareBytes(rdataBytes(a.type, a.rdatas[i]), rdataBytes(b.type, b.rdatas[j]));
    if (c < 0) out.removed.push(rrsetRecord(a, i++));
    else if (c > 0) out.added.push(rrsetRecord(b, j++));
    else {
      if (recordTtl(a, i) !== recordTtl(b, j)) {
        out.removed.push(rrsetRecord(a, i));
        out.added.push(rrsetRecord(b, j));
      }
      i++;
      j++;
    }
  }
}

function sorted(out: ZoneDiff): ZoneDiff {
  out.removed.sort(compareRecords);
  out.added.sort(compareRecords);
  return out;
}

/** The diff a change set made, from the before and after data of the names it touched. */
export function diffTouched(touched: readonly Touched[]): ZoneDiff {
  const out: ZoneDiff = { removed: [], added: [] };
  for (const t of touched) diffRRsets(t.before, t.after, out);
  return sorted(out);
}

/** Records to remove from `a` and add to it to get `b`. */
export function diffZones(a: Zone, b: Zone): ZoneDiff {
  const out: ZoneDiff = { removed: [], added: [] };
  for (const name of a.names()) diffRRsets(a.rrsetsAt(name), b.rrsetsAt(name), out);
  for (const name of b.names()) if (!a.has(name)) diffRRsets([], b.rrsetsAt(name), out);
  return sorted(out);
}
