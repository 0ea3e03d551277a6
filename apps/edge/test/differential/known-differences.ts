// Every known, deliberate difference between Herald's edge and Knot DNS, in
// one place. An entry names the queries it covers, the aspects of the answer
// that may differ for them, optionally a check that the difference is exactly
// the documented one, what differs, and why it is deliberate (with the RFC).
//
// A difference in which Knot is right by the RFCs is a bug: it is fixed in
// the edge, never listed here. An entry that no query hits any more fails the
// test, so the list cannot go stale.
//
// `nsdDifferences` lists how NSD differs from Knot. NSD is not the subject:
// it is a second real server, compared with Knot only to check the harness
// itself (DIFF_SUBJECT=nsd pnpm vitest run apps/edge/test/differential).
import { typeToString } from '@herald/dns';
import type { Transport } from './client.js';
import type { Aspect, Normalized } from './compare.js';
import type { Kind, QuerySpec } from './corpus.js';

export interface KnownDifference {
  /** Short, unique; shown in the summary. */
  id: string;
  /** The queries it covers. */
  applies(query: QuerySpec): boolean;
  /** When set, it covers only these answers (e.g. both truncated); otherwise every answer to its queries. */
  when?(reference: Normalized, subject: Normalized): boolean;
  /** The aspects that may differ for those queries; any other difference still fails. */
  aspects: readonly Aspect[];
  /** When set, the difference must also pass this check (it is the documented one, not any). */
  confirm?(reference: Normalized, subject: Normalized): boolean;
  /** What differs. */
  what: string;
  /** Why that is deliberate, citing the RFC. */
  why: string;
}

/** A matcher over the query: every given field must match. Names compare lowercased and absolute. */
export function queries(m: {
  name?: string | RegExp;
  type?: string | readonly string[];
  transport?: Transport;
  kind?: Kind | readonly Kind[];
  edns?: boolean;
}): (q: QuerySpec) => boolean {
  const types = m.type === undefined ? undefined : new Set(typeof m.type === 'string' ? [m.type] : m.type);
  const kinds = m.kind === undefined ? undefined : new Set(typeof m.kind === 'string' ? [m.kind] : m.kind);
  return (q) => {
    const name = q.qname.toLowerCase();
    if (typeof m.name === 'string' && name !== m.name) return false;
    if (m.name instanceof RegExp && !m.name.test(name)) return false;
    if (types && !types.has(typeToString(q.qtype))) return false;
    if (m.transport && q.transport !== m.transport) return false;
    if (kinds && !kinds.has(q.kind)) return false;
    if (m.edns !== undefined && (q.edns !== undefined) !== m.edns) return false;
    return true;
  };
}

/** True when every string of `sub` is in `sup`. */
export function subset(sub: readonly string[], sup: readonly string[]): boolean {
  const s = new Set(sup);
  return sub.every((x) => s.has(x));
}

const NOERROR = 0;

/** The RRset strings of a section whose type is `type` (`owner TTL CLASS TYPE rdata`). */
function ofType(section: readonly string[], type: string): string[] {
  return section.filter((rrset) => rrset.split(' ')[3] === type);
}

/** Each section of `sub` holds only RRsets `sup` holds too. */
function sectionsSubset(sub: Normalized, sup: Normalized): boolean {
  return (
    subset(sub.answer, sup.answer) &&
    subset(sub.authority, sup.authority) &&
    subset(sub.additional, sup.additional)
  );
}

/** The edge against Knot DNS. */
export const edgeDifferences: readonly KnownDifference[] = [
  {
    id: 'any-over-tcp-is-full',
    applies: queries({ type: 'ANY', transport: 'tcp' }),
    aspects: ['answer'],
    confirm: (knot, edge) => knot.answer.length === 1 && subset(knot.answer, edge.answer),
    what:
      'Over TCP the edge answers ANY with every RRset at the name; Knot answers with one RRset over UDP and ' +
      'TCP alike. Over UDP both give one RRset (in this corpus, the same one).',
    why:
      'RFC 8482 §4.1 allows one RRset or a subset, and §4.4 lets a responder treat TCP differently, since TCP ' +
      'cannot be used for reflection; a full answer over TCP is what ANY meant (RFC 1035 §3.2.3). ' +
      'apps/edge/src/engine/compile.ts.',
  },
  {
    id: 'any-has-no-additional',
    applies: queries({ type: 'ANY' }),
    aspects: ['additional'],
    confirm: (knot, edge) => edge.additional.length === 0 && knot.additional.length > 0,
    what: 'ANY answers carry no additional-section addresses; Knot adds those of SRV/HTTPS targets.',
    why:
      'RFC 8482 §4 asks for minimal-sized ANY answers; additional data is optional (RFC 1034 §4.3.2 step 6, ' +
      'RFC 2181 §9), and RFC 9460 §4.1 asks for target addresses only "when replying to an SVCB query".',
  },
  {
    id: 'truncated-udp-keeps-less',
    applies: queries({ transport: 'udp' }),
    aspects: ['answer', 'authority', 'additional'],
    when: (knot, edge) => knot.tc && edge.tc,
    confirm: (knot, edge) => sectionsSubset(edge, knot),
    what:
      'When an answer does not fit the UDP payload (TC=1) the edge drops whole sections (the additional first, ' +
      'then the answer and authority); Knot keeps as many whole RRsets as fit (the CNAME before a large RRset, ' +
      'the glue that fits of a large referral).',
    why:
      'A resolver that sees TC=1 discards the answer and asks again over TCP (RFC 1035 §4.2.1, RFC 2181 §9): what ' +
      "a truncated answer holds is the server's choice. Referrals whose glue is dropped get TC=1 (RFC 9471 §3), " +
      "as Knot's do. apps/edge/src/pipeline/emit.ts.",
  },
  {
    id: 'cname-chain-stops-at-cut',
    applies: queries({ name: /^to-(deleg|child)\.example\.com\.$/ }),
    aspects: ['authority', 'additional'],
    confirm: (_knot, edge) => edge.authority.length === 0 && edge.additional.length === 0,
    what:
      'A CNAME whose target lies at or below a zone cut of the same zone ends the answer (AA=1, the CNAME ' +
      "alone); Knot goes on and appends the referral (the cut's NS RRset and glue).",
    why:
      'RFC 1034 §4.3.2 (step 3a back to step 1, then 3b) describes appending the referral; the edge stops ' +
      'deliberately, as it does for every chain that leaves its authoritative data (and as Knot does for ' +
      'targets in other zones): the resolver asks for the target itself and gets the referral then, and the ' +
      'answer carries no non-authoritative NS data (RFC 2181 §5.4.1 ranks it lowest). ' +
      'apps/edge/src/engine/compile.ts.',
  },
  {
    id: 'dname-synthesis-not-followed',
    applies: queries({ name: /(^|\.)old\.example\.com\.$/ }),
    aspects: ['answer', 'authority', 'rcode'],
    confirm: (knot, edge) =>
      edge.rcode === NOERROR &&
      edge.authority.length === 0 &&
      ofType(edge.answer, 'DNAME').length === 1 &&
      subset(edge.answer, knot.answer),
    what:
      'Below a DNAME the edge answers the DNAME and the synthesized CNAME, NOERROR, and stops; Knot follows ' +
      'the synthesized name inside the zone (its data, or NXDOMAIN/NODATA with the SOA).',
    why:
      'RFC 6672 §3.2 requires the DNAME and the synthesized CNAME (the edge sends both, and YXDOMAIN when ' +
      'the name would overflow); its algorithm then goes back to step 1 with the new name, as RFC 1034 ' +
      '§4.3.2 does for a CNAME. The edge stops there deliberately (apps/edge/src/pipeline/dname.ts): a ' +
      'resolver follows the synthesized CNAME itself and reaches the same data. The RCODE then describes the ' +
      'query name, which exists (RFC 6604 §2.1 bases it on the last name only when the chain is followed).',
  },
];

/**
 * NSD 4.6 against Knot DNS 3.2 (harness check only). Knot's side of these is
 * a choice too: the same list says where the edge may choose either way.
 */
export const nsdDifferences: readonly KnownDifference[] = [
  {
    id: 'nsd-minimal-additional',
    applies: queries({ type: ['MX', 'SRV', 'HTTPS', 'ANY'] }),
    aspects: ['additional'],
    confirm: (knot, nsd) => nsd.additional.length === 0 && knot.additional.length > 0,
    what:
      'NSD (minimal-responses: yes, set by the harness) leaves the additional section empty; Knot adds the ' +
      'in-zone A/AAAA of MX, SRV and HTTPS targets.',
    why:
      "Additional-section processing is a server's choice: RFC 1035 §3.3.9 and RFC 2782 make it optional, " +
      'RFC 9460 §4.5 says "SHOULD" for SVCB/HTTPS targets only where the server has them.',
  },
  {
    id: 'nsd-any-picks-soa',
    applies: queries({ type: 'ANY', kind: 'apex' }),
    aspects: ['answer'],
    confirm: (knot, nsd) => knot.answer.length === 1 && nsd.answer.length === 1,
    what: 'At a zone apex, NSD answers ANY with the SOA RRset, Knot with the first RRset of the node (the A).',
    why: 'RFC 8482 §4.1 lets a server answer ANY with one RRset or a subset of its choosing; both answer with one.',
  },
  {
    id: 'nsd-follows-cname-across-zones',
    applies: queries({ name: /^(to-child\.example\.com|back\.child\.example\.com)\.$/ }),
    aspects: ['answer', 'authority', 'additional'],
    what:
      'NSD follows a CNAME into another zone it serves (to-child -> www.child, back.child -> www); Knot ' +
      "stops at the zone's edge (and, for to-child, answers the rest as the parent's referral to child).",
    why:
      'RFC 1034 §4.3.2 step 3a restarts the lookup at step 2 ("search the available zones"), so following is ' +
      'allowed; RFC 6604 §2.1 and resolvers re-query the target anyway, so stopping is allowed too.',
  },
  {
    id: 'nsd-partial-glue-without-tc',
    applies: queries({ name: /(^|\.)bigdeleg\.example\.com\.$/, transport: 'udp' }),
    aspects: ['tc', 'additional'],
    confirm: (knot, nsd) => knot.tc && !nsd.tc,
    what:
      'A referral whose glue does not all fit: NSD sends the A glue of every name server, drops the AAAA ' +
      'glue and leaves TC clear; Knot keeps the glue that fits in order and sets TC.',
    why: 'NSD 4.6 predates RFC 9471, whose §3 requires TC when in-domain glue is left out; Knot is right here.',
  },
  {
    id: 'nsd-badvers-drops-do',
    applies: (q) => q.edns?.version === 1 && q.edns.dnssecOk === true,
    aspects: ['opt'],
    what: 'In a BADVERS answer NSD clears the DO bit of its OPT record; Knot copies it from the query.',
    why: 'An NSD shortcut. RFC 3225 §3 says DO is copied into the response; Knot is right here.',
  },
];
