import { RRType } from '../../rdata/rrtype.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { NameRule } from './rule.js';

export const DNAME_SINGLE = defineRule(
  'dname-single',
  'error',
  'RFC 6672 §2.4',
  'A name has at most one DNAME record.',
);

export const dnameRule: NameRule = {
  rules: [DNAME_SINGLE],
  check(ctx, node) {
    const dname = findRRset(node.rrsets, RRType.DNAME);
    if (!dname || dname.rdatas.length < 2) return;
    ctx.report(
      DNAME_SINGLE,
      node.name,
      RRType.DNAME,
      `${node.name} has ${dname.rdatas.length} DNAME records; a subtree can be redirected to one place only`,
    );
  },
};
