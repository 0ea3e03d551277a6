import { RRType } from '../../rdata/rrtype.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { NameRule } from './rule.js';

export const SOA_APEX = defineRule(
  'soa-apex',
  'error',
  'RFC 1035 §5.2',
  'Exactly one SOA record, at the zone apex.',
);

export const soaRule: NameRule = {
  rules: [SOA_APEX],
  check(ctx, node) {
    const soa = findRRset(node.rrsets, RRType.SOA);
    if (node === ctx.apex) {
      if (!soa)
        ctx.report(
          SOA_APEX,
          node.name,
          RRType.SOA,
          `${node.name} has no SOA record; a zone must have exactly one SOA at its apex (it carries the serial and the negative-caching TTL)`,
        );
      else if (soa.rdatas.length > 1)
        ctx.report(
          SOA_APEX,
          node.name,
          RRType.SOA,
          `${node.name} has ${soa.rdatas.length} SOA records; a zone has exactly one SOA record, so secondaries and resolvers agree on its serial and timers`,
        );
    } else if (soa) {
      ctx.report(
        SOA_APEX,
        node.name,
        RRType.SOA,
        `${node.name} has an SOA record but is not the zone apex (${ctx.origin}); an SOA marks the top of a zone and belongs only there`,
      );
    }
  },
};
