import type { Name } from '../name/name.js';
import type { ResourceRecord } from '../rr.js';
import type { ProblemSink } from './problem.js';
import { hasRecordTtls, lowestTtl, sortUniqueRdatas, type RRset } from './rrset.js';
import { admitRecord } from './rules/admission.js';
import { reportDuplicate } from './rules/duplicate.js';
import { reconcileTtls, type TtlPolicy } from './rules/ttl.js';
import { NameTree, type ZoneNode } from './tree.js';

/** An RRset while records are still arriving. */
interface Growing {
  name: Name;
  type: number;
  ttl: number;
  rdatas: unknown[];
  /** RRSIG: every record's own TTL (see RRset). */
  ttls?: number[];
}

function growing(name: Name, rr: ResourceRecord): Growing {
  const set: Growing = { name, type: rr.type, ttl: rr.ttl, rdatas: [rr.data] };
  if (hasRecordTtls(rr.type)) set.ttls = [rr.ttl];
  return set;
}

/**
 * Groups records into RRsets straight in the tree's nodes, then counts each
 * name in once. Records failing the record-level rules are left out (and
 * reported); duplicates collapse; TTLs that disagree within an RRset follow
 * `policy` (RRSIGs keep their own, see RRset). Sorting and de-duplicating happen once per RRset at the end, so
 * large RRsets cost n log n. Built for a million records: one map lookup per
 * record, no per-record closures.
 */
export function buildTree(
  origin: Name,
  records: Iterable<ResourceRecord>,
  policy: TtlPolicy,
  sink: ProblemSink,
): NameTree {
  const tree = new NameTree(origin);
  const filled: ZoneNode[] = [];
  // Every TTL seen for an RRset, kept only once a second one turns up (rare).
  const ttls = new Map<Growing, Set<number>>();
  for (const rr of records) {
    if (!admitRecord(tree, rr, sink)) continue;
    const node = tree.ensure(rr.name);
    const sets = node.rrsets as Growing[];
    if (sets.length === 0) {
      node.name = rr.name;
      node.rrsets = [growing(rr.name, rr)];
      filled.push(node);
      continue;
    }
    let set: Growing | undefined;
    for (const s of sets)
      if (s.type === rr.type) {
        set = s;
        break;
      }
    if (!set) {
      sets.push(growing(node.name, rr));
      continue;
    }
    if (set.ttls) set.ttls.push(rr.ttl);
    else if (rr.ttl !== set.ttl || ttls.has(set)) {
      let seen = ttls.get(set);
      if (!seen) ttls.set(set, (seen = new Set([set.ttl])));
      seen.add(rr.ttl);
    }
    set.rdatas.push(rr.data);
  }
  for (const node of filled) {
    const sets = node.rrsets as Growing[];
    if (sets.length > 1) sets.sort((a, b) => a.type - b.type);
    for (const s of sets) {
      for (const d of sortUniqueRdatas(s.type, s.rdatas, s.ttls)) reportDuplicate(sink, s.name, s.type, d);
      if (s.ttls) s.ttl = lowestTtl(s.ttls);
      const seen = ttls.get(s);
      if (seen && seen.size > 1)
        s.ttl = reconcileTtls(
          policy,
          s.name,
          s.type,
          [...seen],
          sink,
          '',
          "; give them one TTL, or build with ttlPolicy 'lowest'",
        );
    }
    node.rrsets = sets as readonly RRset[];
    tree.link(node);
  }
  return tree;
}
