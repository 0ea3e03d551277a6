// Known differences between the edge and Knot DNS on signed zones: the
// unsigned list (apps/edge/test/differential/known-differences.ts), plus
// those only signed answers show. As there, an entry names its queries, the
// aspects that may differ, a check that the difference is the documented
// one, and why it is deliberate; a difference where Knot is right is a bug.
import type { Normalized } from '../differential/compare.js';
import {
  edgeDifferences,
  queries,
  subset,
  type KnownDifference as Base,
} from '../differential/known-differences.js';

export interface KnownDifference extends Base {
  /** Listed for signed zones: the test checks that it is still seen. */
  dnssecOnly?: boolean;
}

const typeOf = (rrset: string) => rrset.split(' ')[3];
const data = (section: readonly string[]) => section.filter((r) => typeOf(r) !== 'RRSIG');
const withDo = (q: { edns?: { dnssecOk?: boolean } }) => q.edns?.dnssecOk === true;

export const dnssecDifferences: readonly KnownDifference[] = [
  ...edgeDifferences,
  {
    id: 'dnssec-any-over-tcp-is-full',
    dnssecOnly: true,
    applies: (q) => withDo(q) && queries({ type: 'ANY', transport: 'tcp' })(q),
    aspects: ['answer'],
    confirm: (knot, edge) => data(knot.answer).length === 1 && subset(data(knot.answer), edge.answer),
    what:
      'With DO, ANY over TCP: the edge answers every RRset at the name, each with its RRSIGs; Knot one RRset ' +
      'and its RRSIG.',
    why: 'As any-over-tcp-is-full (RFC 8482 §4.1, §4.4); every RRset still carries its signatures (RFC 4035 §3.1.1).',
  },
  {
    id: 'dnssec-any-minimal-picks-data',
    dnssecOnly: true,
    applies: queries({ type: 'ANY', transport: 'udp' }),
    aspects: ['answer'],
    confirm: (knot: Normalized, edge: Normalized) =>
      knot.answer.length > 0 && data(knot.answer).length === 0 && data(edge.answer).length === 1,
    what:
      'The minimal ANY answer of a signed name whose lowest type number is above RRSIG (46), e.g. TLSA or ' +
      'HTTPS: Knot answers its RRSIG RRset alone; the edge the lowest data RRset (with its RRSIG under DO).',
    why:
      'RFC 8482 §4.1 lets the responder choose the RRset. Signatures alone, without the RRset they cover, ' +
      'cannot be validated or used (RFC 4035 §3.1.1 keeps an RRset and its RRSIGs together); the edge never ' +
      'chooses them. apps/edge/src/engine/compile.ts.',
  },
  {
    id: 'dnssec-additional-dropped-whole',
    dnssecOnly: true,
    applies: (q) => withDo(q) && q.transport === 'udp',
    when: (knot, edge) => !knot.tc && !edge.tc,
    aspects: ['additional'],
    confirm: (knot, edge) => edge.additional.length === 0 && knot.additional.length > 0,
    what:
      'A signed answer that fits the UDP payload only without its additional section: the edge leaves the ' +
      'whole section out (addresses and their RRSIGs); Knot keeps the RRsets that fit. Neither sets TC.',
    why:
      'Additional data is optional (RFC 2181 §9) and so are its signatures (RFC 4035 §3.1.1: TC only when ' +
      'answer or authority RRSIGs do not fit); the edge truncates whole sections (apps/edge/src/pipeline/emit.ts).',
  },
  {
    id: 'dnssec-proofs-compressed-less',
    dnssecOnly: true,
    applies: (q) => withDo(q) && q.transport === 'udp' && (q.edns?.payloadSize ?? 0) <= 512,
    aspects: ['tc', 'answer', 'authority', 'additional'],
    confirm: (knot, edge) => edge.tc && !knot.tc && edge.answer.length === 0 && edge.authority.length === 0,
    what:
      'An NXDOMAIN or wildcard answer whose NSEC/NSEC3 proofs are chosen per query, a few octets under 512 ' +
      'in Knot: the edge answers TC=1 with empty sections.',
    why:
      'Proofs chosen per query are prepared records compressed against the zone apex only (not against the ' +
      "query's other labels), so the answer is slightly larger; when a signed answer does not fit, TC=1 " +
      '(RFC 4035 §3.1.1) and the resolver asks over TCP (RFC 1035 §4.2.1). Resolvers send 1232 octets ' +
      '(DNS Flag Day 2020), where these answers fit.',
  },
  {
    id: 'dnssec-svcb-additional-without-proof',
    dnssecOnly: true,
    applies: (q) => withDo(q) && queries({ type: ['HTTPS', 'SVCB'] })(q),
    aspects: ['additional'],
    confirm: (knot, edge) =>
      subset(data(edge.additional), knot.additional) &&
      data(knot.additional)
        .filter((r) => !edge.additional.includes(r))
        .every((r) => typeOf(r) === 'NSEC' || typeOf(r) === 'NSEC3'),
    what:
      "HTTPS/SVCB answers: Knot adds the target's NSEC/NSEC3 (proof of its missing address types) to the " +
      'additional section; the edge adds the addresses and their RRSIGs only.',
    why:
      'Additional-section data is optional (RFC 2181 §9; RFC 9460 §4.1 asks for the target addresses); ' +
      'a resolver that wants the proof asks for the missing type and gets it.',
  },
];
