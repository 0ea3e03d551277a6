import { RRType, typeToString } from '../../rdata/rrtype.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { NameRule } from './rule.js';

export const CNAME_EXCLUSIVE = defineRule(
  'cname-exclusive',
  'error',
  'RFC 1034 §3.6.2, RFC 2181 §10.1',
  'A CNAME is the only data at its name (RRSIG and NSEC excepted, RFC 4035 §2.5).',
);
export const CNAME_SINGLE = defineRule(
  'cname-single',
  'error',
  'RFC 1034 §3.6.2, RFC 2181 §10.1',
  'A name has at most one CNAME record.',
);
export const CNAME_APEX = defineRule(
  'cname-apex',
  'error',
  'RFC 1034 §3.6.2, RFC 2181 §10.1',
  'No CNAME at the zone apex (the apex needs SOA and NS).',
);

// DNSSEC records that RFC 4035 §2.5 allows beside a CNAME.
const ALLOWED_WITH_CNAME = new Set<number>([RRType.RRSIG, RRType.NSEC]);

export const cnameRule: NameRule = {
  rules: [CNAME_EXCLUSIVE, CNAME_SINGLE, CNAME_APEX],
  check(ctx, node) {
    const cname = findRRset(node.rrsets, RRType.CNAME);
    if (!cname) return;
    const others = node.rrsets.filter((s) => s.type !== RRType.CNAME && !ALLOWED_WITH_CNAME.has(s.type));
    if (others.length > 0)
      ctx.report(
        CNAME_EXCLUSIVE,
        node.name,
        RRType.CNAME,
        `${node.name} has a CNAME and also ${others.map((s) => typeToString(s.type)).join(', ')} data; ` +
          'a CNAME must be the only data at its name, since resolvers that find it follow it and never see the rest',
      );
    if (cname.rdatas.length > 1)
      ctx.report(
        CNAME_SINGLE,
        node.name,
        RRType.CNAME,
        `${node.name} has ${cname.rdatas.length} CNAME records; an alias can point to one name only`,
      );
    if (node === ctx.apex)
      ctx.report(
        CNAME_APEX,
        node.name,
        RRType.CNAME,
        `${node.name} is the zone apex and has a CNAME; the apex must hold the SOA and NS records, which a CNAME cannot share a name with`,
      );
  },
};
