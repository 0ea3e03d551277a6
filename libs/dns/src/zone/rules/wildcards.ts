import { RRType } from '../../rdata/rrtype.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { NameRule } from './rule.js';

export const WILDCARD_NS = defineRule(
  'wildcard-ns',
  'warning',
  'RFC 4592 §4.2',
  'No NS records at a wildcard name.',
);
export const WILDCARD_DNAME = defineRule(
  'wildcard-dname',
  'warning',
  'RFC 4592 §4.4',
  'No DNAME at a wildcard name.',
);

export const wildcardRule: NameRule = {
  rules: [WILDCARD_NS, WILDCARD_DNAME],
  check(ctx, node) {
    // The key's first label is `*` (read from the key: no trip to the Name's wire buffer).
    if (node.key.charCodeAt(0) !== 1 || node.key.charCodeAt(1) !== 0x2a) return;
    if (findRRset(node.rrsets, RRType.NS))
      ctx.report(
        WILDCARD_NS,
        node.name,
        RRType.NS,
        `${node.name} is a wildcard with NS records; wildcard delegations are not synthesised consistently by servers and should not be used`,
      );
    if (findRRset(node.rrsets, RRType.DNAME))
      ctx.report(
        WILDCARD_DNAME,
        node.name,
        RRType.DNAME,
        `${node.name} is a wildcard with a DNAME; DNAME at a wildcard is discouraged because its effect on matching names is unclear across implementations`,
      );
  },
};
