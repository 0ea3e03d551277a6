import { RRType } from '../../rdata/rrtype.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { NameRule } from './rule.js';

export const DS_PLACEMENT = defineRule(
  'ds-placement',
  'error',
  'RFC 4035 §2.4',
  'DS records only at a delegation point, never at the apex.',
);

/**
 * A DS RRset is the parent's half of a delegation: it belongs at a cut, on
 * the parent side (RFC 4035 §2.4). At the apex it would belong in the parent
 * zone; at a name without NS it authenticates no child.
 */
export const dsRule: NameRule = {
  rules: [DS_PLACEMENT],
  check(ctx, node) {
    if (!findRRset(node.rrsets, RRType.DS)) return;
    if (node === ctx.apex)
      ctx.report(
        DS_PLACEMENT,
        node.name,
        RRType.DS,
        `${node.name} has DS records at the zone apex; the DS for a zone is published by its parent, at the delegation`,
      );
    else if (!ctx.isCut(node))
      ctx.report(
        DS_PLACEMENT,
        node.name,
        RRType.DS,
        `${node.name} has DS records but no NS records; a DS belongs at a delegation point, beside the NS records of the child it authenticates`,
      );
  },
};
