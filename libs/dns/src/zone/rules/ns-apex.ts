import { RRType } from '../../rdata/rrtype.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { NameRule } from './rule.js';

export const NS_APEX = defineRule('ns-apex', 'error', 'RFC 1034 §4.2.1', 'The apex has an NS RRset.');

export const nsApexRule: NameRule = {
  rules: [NS_APEX],
  check(ctx, node) {
    if (node !== ctx.apex || findRRset(node.rrsets, RRType.NS)) return;
    ctx.report(
      NS_APEX,
      node.name,
      RRType.NS,
      `${node.name} has no NS records at the apex; a zone must list its authoritative name servers there`,
    );
  },
};
