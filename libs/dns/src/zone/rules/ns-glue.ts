import { RRType } from '../../rdata/rrtype.js';
import type { TargetRdata } from '../../rdata/types/name-target.js';
import { isKeyAtOrBelow } from '../keys.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { NameRule } from './rule.js';

export const MISSING_GLUE = defineRule(
  'missing-glue',
  'error',
  'RFC 1034 §4.2.1, RFC 9471',
  'An NS target at or below its own delegation has A/AAAA glue in the zone.',
);
export const NS_TARGET_NO_ADDRESS = defineRule(
  'ns-target-no-address',
  'warning',
  'RFC 1034 §4.2.1',
  'An NS target elsewhere inside the zone has A/AAAA records.',
);

/**
 * Checks the targets of NS RRsets that are served: the apex and the topmost
 * delegations (NS hidden below another cut is only reported as occluded).
 * A target below a different delegation is answered by that child zone and
 * a target below a DNAME is redirected, so neither is judged here; nor is a
 * target that is a CNAME, which target-cname reports.
 */
export const nsGlueRule: NameRule = {
  rules: [MISSING_GLUE, NS_TARGET_NO_ADDRESS],
  check(ctx, node) {
    const ns = findRRset(node.rrsets, RRType.NS);
    if (!ns) return;
    const isApex = node === ctx.apex;
    if (!isApex && ctx.occluderOf(node)) return;
    for (const data of ns.rdatas) {
      const target = (data as TargetRdata).target;
      if (!ctx.inZone(target)) continue;
      if (!isApex && isKeyAtOrBelow(target.key, node.key)) {
        if (!ctx.hasAddress(target.key))
          ctx.report(
            MISSING_GLUE,
            node.name,
            RRType.NS,
            `${node.name} NS ${target} is inside the delegation it serves but the zone has no A/AAAA glue for it; resolvers cannot reach the child's name server`,
          );
        continue;
      }
      if (ctx.hiddenBy(target.key) || ctx.hasCname(target.key)) continue;
      if (!ctx.hasAddress(target.key))
        ctx.report(
          NS_TARGET_NO_ADDRESS,
          node.name,
          RRType.NS,
          `${node.name} NS ${target} is in this zone but has no A/AAAA records; resolvers cannot find that name server's address`,
        );
    }
  },
};
