import { codecFor } from '../../rdata/registry.js';
import { RRType, typeToString } from '../../rdata/rrtype.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import type { NameRule } from './rule.js';

export const TARGET_IS_ADDRESS = defineRule(
  'target-is-address',
  'error',
  'RFC 1035 §3.3.11, RFC 1035 §3.3.9, RFC 2782',
  'NS, MX and SRV targets are host names, not IP addresses.',
);
export const TARGET_HOSTNAME = defineRule(
  'target-hostname',
  'error',
  'RFC 1123 §2.1, RFC 952',
  'NS, MX and SRV targets follow host name syntax.',
);
export const TARGET_CNAME = defineRule(
  'target-cname',
  'warning',
  'RFC 2181 §10.3',
  'NS, MX and SRV targets inside the zone are not CNAMEs.',
);

/** Types whose RDATA names a host, with the RFC that says so. */
const HOST_TARGET_TYPES: readonly (readonly [number, string])[] = [
  [RRType.NS, 'RFC 1035 §3.3.11'],
  [RRType.MX, 'RFC 1035 §3.3.9'],
  [RRType.SRV, 'RFC 2782'],
];

export const targetRule: NameRule = {
  rules: [TARGET_IS_ADDRESS, TARGET_HOSTNAME, TARGET_CNAME],
  check(ctx, node) {
    for (const [type, rfc] of HOST_TARGET_TYPES) {
      const set = findRRset(node.rrsets, type);
      if (!set) continue;
      const mnemonic = typeToString(type);
      const codec = codecFor(type)!;
      for (const data of set.rdatas) {
        // targets() leaves out a null MX and an SRV target of '.', which name no host.
        for (const target of codec.targets!(data)) {
          const syntax = ctx.hostSyntaxOf(target);
          if (syntax === 'address')
            ctx.report(
              TARGET_IS_ADDRESS,
              node.name,
              type,
              `${node.name} ${mnemonic} target ${target} looks like an IP address; the target must be a host name that has A/AAAA records`,
              rfc,
            );
          else if (syntax === 'relative-address')
            ctx.report(
              TARGET_IS_ADDRESS,
              node.name,
              type,
              `${node.name} ${mnemonic} target ${target} starts with an IP address: '${target.toRelativeString(ctx.origin)}' was written where a host name belongs, and without a trailing dot the origin was appended to it; the target must be a host name that has A/AAAA records`,
              rfc,
            );
          else if (syntax !== undefined)
            ctx.report(
              TARGET_HOSTNAME,
              node.name,
              type,
              `${node.name} ${mnemonic} target ${target} is not a host name: label '${syntax}' may hold only letters, digits and inner hyphens`,
            );
          if (ctx.inZone(target) && ctx.hasCname(target.key))
            ctx.report(
              TARGET_CNAME,
              node.name,
              type,
              `${node.name} ${mnemonic} target ${target} is a CNAME; targets must name the host itself, since resolvers and mail servers need not follow aliases there`,
            );
        }
      }
    }
  },
};
