import { RRType, typeToString } from '../../rdata/rrtype.js';
import type { TargetRdata } from '../../rdata/types/name-target.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { ZoneNode } from '../tree.js';
import type { NameRule } from './rule.js';

export const OCCLUDED = defineRule(
  'occluded',
  'warning',
  'RFC 1034 §4.2.1',
  'No data below a delegation other than glue, and only NS, DS and glue at it.',
);
export const GLUE_UNREFERENCED = defineRule(
  'glue-unreferenced',
  'warning',
  'RFC 1034 §4.2.1, RFC 9471',
  'A/AAAA at or below a delegation is named by one of its NS records.',
);
export const DNAME_OCCLUDES = defineRule(
  'dname-occludes',
  'warning',
  'RFC 6672 §2.4',
  'No data below a DNAME.',
);

// What a delegation point may hold besides glue (RFC 1034 §4.2.1, RFC 4035 §2.2 for DS and NSEC/RRSIG).
const AT_CUT = new Set<number>([RRType.NS, RRType.DS, RRType.RRSIG, RRType.NSEC]);

function isAddress(type: number): boolean {
  return type === RRType.A || type === RRType.AAAA;
}

function namedByNS(cut: ZoneNode, key: string): boolean {
  const ns = findRRset(cut.rrsets, RRType.NS)!;
  for (const d of ns.rdatas) if ((d as TargetRdata).target.key === key) return true;
  return false;
}

/**
 * Data a server never answers with because a delegation or a DNAME above it
 * (the topmost one: a server walking down from the apex stops there) takes
 * over. Reported per owner and type. Local rules such as cname-exclusive
 * still apply to hidden data: a zone file with it is wrong either way.
 */
export const occlusionRule: NameRule = {
  rules: [OCCLUDED, GLUE_UNREFERENCED, DNAME_OCCLUDES],
  check(ctx, node) {
    if (node === ctx.apex || node.rrsets.length === 0) return;
    const above = ctx.occluderOf(node);
    if (above && !ctx.isCut(above)) {
      for (const s of node.rrsets)
        ctx.report(
          DNAME_OCCLUDES,
          node.name,
          s.type,
          `${node.name} ${typeToString(s.type)} is below the DNAME at ${above.name}; queries there are redirected by the DNAME, so this record is never served`,
        );
      return;
    }
    const cut = above ?? (ctx.isCut(node) ? node : undefined);
    if (!cut) return;
    for (const s of node.rrsets) {
      if (isAddress(s.type)) {
        if (!namedByNS(cut, node.key))
          ctx.report(
            GLUE_UNREFERENCED,
            node.name,
            s.type,
            `${node.name} ${typeToString(s.type)} is glue for the delegation at ${cut.name}, but none of its NS records names ${node.name}; it is never served`,
          );
      } else if (cut !== node || !AT_CUT.has(s.type)) {
        ctx.report(
          OCCLUDED,
          node.name,
          s.type,
          cut === node
            ? `${node.name} ${typeToString(s.type)} is at a delegation point (${node.name} has NS records); queries get a referral there, so only NS, DS and glue are served`
            : `${node.name} ${typeToString(s.type)} is below the delegation at ${cut.name}; only glue is served from a delegated subtree, so this record never is`,
        );
      }
    }
  },
};
