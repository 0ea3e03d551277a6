import type { Name } from '../name/name.js';
import { codecFor } from '../rdata/registry.js';
import { RRType } from '../rdata/rrtype.js';
import type { ZoneContext } from './context.js';
import { findRRset, sameRRset, type RRset } from './rrset.js';
import { HAS_CNAME, HAS_DNAME } from './tree.js';

/** A name whose data a change set alters, with its RRsets before and after. */
export interface Touched {
  readonly key: string;
  readonly name: Name;
  readonly before: readonly RRset[];
  readonly after: readonly RRset[];
}

/**
 * The names whose problems a change can alter, so apply() need not check the
 * whole zone. Problems are owned by names (see rules/rule.ts) and depend on:
 *
 * - the name's own data: the touched names themselves;
 * - the delegations and DNAMEs above it (occlusion, glue, chain steps): when a
 *   name becomes or stops being a cut, or its DNAME changes, its whole subtree,
 *   including names that exist only as targets;
 * - the NS RRset of the delegation above (glue-unreferenced): the old and new
 *   targets of a changed NS RRset;
 * - what the names it points at hold (missing-glue, target-cname, chain
 *   length): the owners whose NS/MX/SRV/CNAME/DNAME name a touched name, when
 *   that name's address, CNAME or cut status changed (the `refs` index).
 *
 * A new alias loop always runs through a touched name or through a changed
 * subtree, and is found from there. The exception is a loop that enters a
 * changed subtree by DNAME rewriting from elsewhere: so when a cut or DNAME
 * changes in a zone that has DNAMEs, every CNAME and DNAME owner is
 * re-followed (DNAMEs are rare; this is the one whole-zone pass).
 */
export function affectedKeys(ctx: ZoneContext, touched: readonly Touched[]): Set<string> {
  const tree = ctx.tree;
  const out = new Set<string>();
  const referred: string[] = [];
  let allChains = false;
  for (const t of touched) {
    out.add(t.key);
    const isApex = t.key === tree.apexKey;
    const cutChanged = !isApex && !!findRRset(t.before, RRType.NS) !== !!findRRset(t.after, RRType.NS);
    const dnameChanged = !sameRRset(findRRset(t.before, RRType.DNAME), findRRset(t.after, RRType.DNAME));
    if (cutChanged || dnameChanged) {
      const node = tree.get(t.key);
      if (node)
        for (const n of node === tree.apex ? tree.nodes.values() : tree.subtree(node)) {
          out.add(n.key);
          referred.push(n.key);
        }
      if (tree.dnameOwners.size > 0) allChains = true;
      continue;
    }
    const nsBefore = findRRset(t.before, RRType.NS);
    const nsAfter = findRRset(t.after, RRType.NS);
    if (!isApex && !sameRRset(nsBefore, nsAfter)) {
      for (const set of [nsBefore, nsAfter])
        if (set) for (const target of targetsOf(set)) out.add(target.key);
    }
    if (targetProfile(t.before) !== targetProfile(t.after)) referred.push(t.key);
  }
  for (const key of referred) {
    const refs = tree.get(key)?.refs;
    if (refs) for (const owner of refs) out.add(owner.key);
  }
  if (allChains) for (const n of tree.nodes.values()) if (n.flags & (HAS_CNAME | HAS_DNAME)) out.add(n.key);
  return out;
}

function targetsOf(set: RRset): Name[] {
  const codec = codecFor(set.type)!;
  return set.rdatas.flatMap((d) => codec.targets!(d));
}

/** What records pointing at a name care about: whether it has an address, and where its CNAME leads. */
function targetProfile(rrsets: readonly RRset[]): string {
  const address = findRRset(rrsets, RRType.A) || findRRset(rrsets, RRType.AAAA) ? 'a' : '-';
  const cname = findRRset(rrsets, RRType.CNAME);
  return cname
    ? address +
        targetsOf(cname)
          .map((n) => n.key)
          .join(' ')
    : address;
}
