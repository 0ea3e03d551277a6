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

/** Touched names in canonical order (RFC 4034 §6.1): as given when they already are. */
function canonicalOrder(touched: readonly Touched[]): readonly Touched[] {
  let sorted = true;
  for (let i = 1; i < touched.length && sorted; i++)
    if (touched[i - 1]!.name.compare(touched[i]!.name) > 0) sorted = false;
  if (sorted) return touched;
  // Sorting hundreds of thousands of names (a full DNSSEC sign) by string keys is several times faster.
  const keyed = touched.map((t) => ({ t, k: orderKey(t.key) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((e) => e.t);
}

/**
 * A string whose code-unit order is the canonical order of the name whose
 * key (lower-case wire form, see Name.key) is given: labels from the root
 * down, each octet + 1, each label ended by U+0000, so a label sorts before
 * any longer label it is a prefix of and a parent before its children.
 */
function orderKey(key: string): string {
  const labels: string[] = [];
  for (let p = 0; p < key.length;) {
    const len = key.charCodeAt(p);
    if (len === 0) break;
    let label = '';
    for (let i = p + 1; i <= p + len; i++) label += String.fromCharCode(key.charCodeAt(i) + 1);
    labels.push(label);
    p += len + 1;
  }
  let out = '';
  for (let i = labels.length - 1; i >= 0; i--) out += labels[i] + '\u0000';
  return out;
}

/** The diff a change set made, from the before and after data of the names it touched. */
export function diffTouched(touched: readonly Touched[]): ZoneDiff {
  const out: ZoneDiff = { removed: [], added: [] };
  // Names in canonical order, each diffed by type and RDATA order: the lists come out
  // canonical without sorting records (whose ties within an RRset need canonical octets).
  const ordered = canonicalOrder(touched);
  for (const t of ordered) diffRRsets(t.before, t.after, out);
  return out;
}

/** Records to remove from `a` and add to it to get `b`. */
export function diffZones(a: Zone, b: Zone): ZoneDiff {
  const out: ZoneDiff = { removed: [], added: [] };
  for (const name of a.names()) diffRRsets(a.rrsetsAt(name), b.rrsetsAt(name), out);
  for (const name of b.names()) if (!a.has(name)) diffRRsets([], b.rrsetsAt(name), out);
  return sorted(out);
}
