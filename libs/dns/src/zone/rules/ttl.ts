/*
 * TTL policy. An RRset has a single TTL (RFC 2181 §5.2), so records of one
 * owner and type that come with different TTLs are a conflict:
 *
 * - `reject` (the default): an error (`ttl-mismatch`) naming the TTLs; in
 *   apply it suggests a `replace` change, which sets the RRset's TTL.
 * - `lowest`: the RRset takes the lowest TTL (what RFC 2181 §5.2 says a
 *   resolver should do with such data) and a `ttl-mismatch` warning says so.
 *
 * Applies to Zone.build() and to `create` and `update` changes in apply(),
 * never to RRSIG: each signature has the TTL of the RRset it covers
 * (RFC 4034 §3), so the RRSIGs at a name keep their own (see RRset).
 */
import type { Name } from '../../name/name.js';
import { typeToString } from '../../rdata/rrtype.js';
import { defineRule, type ProblemSink } from '../problem.js';

/** How records of one RRset with different TTLs are handled (see the top of this file). */
export type TtlPolicy = 'reject' | 'lowest';

export const TTL_MISMATCH = defineRule(
  'ttl-mismatch',
  'error',
  'RFC 2181 §5.2',
  'All records of an RRset have the same TTL (RRSIG excepted, RFC 4034 §3).',
);
const TTL_NORMALISED = { ...TTL_MISMATCH, severity: 'warning' as const };

/**
 * Reports TTLs that disagree within one RRset; returns the TTL the RRset keeps
 * (the lowest under `lowest`; unchanged under `reject`, where the error stops
 * the operation anyway). `hint` ends the message (e.g. how to change a TTL).
 */
export function reconcileTtls(
  policy: TtlPolicy,
  owner: Name,
  type: number,
  ttls: readonly number[],
  sink: ProblemSink,
  where = '',
  hint = '',
): number {
  const distinct = [...new Set(ttls)].sort((a, b) => a - b);
  const lowest = distinct[0]!;
  const listed = distinct.join(', ');
  const mnemonic = typeToString(type);
  if (policy === 'lowest') {
    sink.add(
      TTL_NORMALISED,
      owner,
      type,
      `${where}${owner} ${mnemonic} records have TTLs ${listed}; an RRset has one TTL, so all now use the lowest, ${lowest}`,
    );
    return lowest;
  }
  sink.add(
    TTL_MISMATCH,
    owner,
    type,
    `${where}${owner} ${mnemonic} records have TTLs ${listed}; an RRset has one TTL${hint}`,
  );
  return ttls[0]!;
}
