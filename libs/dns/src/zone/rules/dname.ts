import { RRType } from '../../rdata/rrtype.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import { HAS_DNAME } from '../tree.js';
import type { NameRule } from './rule.js';

export const DNAME_SINGLE = defineRule(
  'dname-single',
  'error',
  'RFC 6672 §2.4',
  'A name has at most one DNAME record.',
);

export const DNAME_NS = defineRule(
  'dname-ns',
  'error',
  'RFC 6672 §2.3',
  'No DNAME and NS at the same name, except at the apex.',
);

export const dnameRule: NameRule = {
  rules: [DNAME_SINGLE, DNAME_NS],
  check(ctx, node) {
    if (!(node.flags & HAS_DNAME)) return;
    const dname = findRRset(node.rrsets, RRType.DNAME)!;
    if (dname.rdatas.length > 1)
      ctx.report(
        DNAME_SINGLE,
        node.name,
        RRType.DNAME,
        `${node.name} has ${dname.rdatas.length} DNAME records; a subtree can be redirected to one place only`,
      );
    if (ctx.isCut(node))
      ctx.report(
        DNAME_NS,
        node.name,
        RRType.DNAME,
        `${node.name} has both a DNAME and NS records; a delegation point cannot also redirect its subtree, since the referral and the DNAME would contradict each other`,
      );
  },
};
