// Differential test: the same zone files served by Knot DNS (the reference)
// and by Herald's edge (the subject), the same few thousand queries sent to
// both, and the answers compared: RCODE, AA/TC/RA/RD, the question as echoed
// (case included), each section as a set of RRsets, and EDNS. Every
// difference is either listed, with its reason, in known-differences.ts or
// fails its query's test with both answers printed.
//
// DIFF_SUBJECT=nsd compares NSD with Knot instead: a check of the harness
// itself against a second real server.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Name, ednsRecord, makeQuery, type Message } from '@herald/dns';
import { exchange, pool } from './client.js';
import { compareOutcomes, normalize, report, type Difference, type Outcome } from './compare.js';
import { buildCorpus, type QuerySpec } from './corpus.js';
import { edgeDifferences, nsdDifferences, type KnownDifference } from './known-differences.js';
import { startEdgeServer, startKnot, startNsd, type RunningServer, type ServedZone } from './servers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/differential/', import.meta.url));
const ZONES: ServedZone[] = [
  { origin: 'example.com.', file: path.join(FIXTURES, 'example.com.zone') },
  { origin: 'child.example.com.', file: path.join(FIXTURES, 'child.example.com.zone') },
  { origin: 'loop.test.', file: path.join(FIXTURES, 'loop.test.zone') },
];

const SUBJECT = process.env.DIFF_SUBJECT ?? 'edge';
if (SUBJECT !== 'edge' && SUBJECT !== 'nsd')
  throw new Error(`DIFF_SUBJECT=${SUBJECT}: use edge (default) or nsd`);
const KNOWN: readonly KnownDifference[] = SUBJECT === 'nsd' ? nsdDifferences : edgeDifferences;
/** Queries in flight at once, per server. */
const CONCURRENCY = 8;

const corpus = buildCorpus();

function toMessage(q: QuerySpec, id: number): Message {
  const base = makeQuery(Name.parse(q.qname), q.qtype, { id, recursionDesired: q.rd ?? false });
  if (!q.edns) return base;
  return { ...base, additionals: [ednsRecord({ ...q.edns, dnssecOk: q.edns.dnssecOk ?? false })] };
}

async function ask(server: RunningServer, q: QuerySpec, sent: Message): Promise<Outcome> {
  try {
    const ex = await exchange(server, sent, q.transport);
    if (!ex.message)
      return {
        ok: false,
        failure: `malformed answer (${ex.error}): ${Buffer.from(ex.bytes).toString('hex')}`,
      };
    return { ok: true, exchange: ex, normalized: normalize(ex.message) };
  } catch (e) {
    return { ok: false, failure: (e as Error).message };
  }
}

interface Result {
  reference: Outcome;
  subject: Outcome;
  /** Differences no known difference explains. */
  unexplained: Difference[];
  /** Ids of the known differences that explained something here. */
  explainedBy: string[];
}

/** Splits differences into those a known entry allows (and confirms) and the rest. */
function explain(q: QuerySpec, diffs: Difference[], reference: Outcome, subject: Outcome) {
  const unexplained: Difference[] = [];
  const explainedBy = new Set<string>();
  const entries = KNOWN.filter(
    (k) =>
      k.applies(q) &&
      (!k.when || (reference.ok && subject.ok && k.when(reference.normalized, subject.normalized))),
  );
  for (const d of diffs) {
    const candidates = entries.filter((k) => k.aspects.includes(d.aspect));
    const entry = candidates.find(
      (k) =>
        !k.confirm || (reference.ok && subject.ok && k.confirm(reference.normalized, subject.normalized)),
    );
    if (entry) explainedBy.add(entry.id);
    else if (candidates.length > 0)
      unexplained.push({
        ...d,
        detail: `${d.detail}\n    (${candidates.map((k) => k.id).join(', ')} would allow this here, but ${candidates.length > 1 ? 'their checks reject' : 'its check rejects'} this answer)`,
      });
    else unexplained.push(d);
  }
  return { unexplained, explainedBy: [...explainedBy] };
}

const names = { reference: 'knot', subject: SUBJECT };
const results = new Map<string, Result>();
let knot: RunningServer | undefined;
let subject: RunningServer | undefined;

describe(`differential: ${SUBJECT} against Knot DNS (${corpus.length} queries)`, () => {
  beforeAll(async () => {
    knot = await startKnot(ZONES);
    subject = SUBJECT === 'nsd' ? await startNsd(ZONES) : await startEdgeServer(ZONES);
    const ref = knot;
    const sub = subject;
    await pool(corpus, CONCURRENCY, async (q, i) => {
      const sent = toMessage(q, (i * 7919 + 4099) & 0xffff);
      const [reference, subjectOutcome] = await Promise.all([ask(ref, q, sent), ask(sub, q, sent)]);
      const diffs = compareOutcomes(sent, reference, subjectOutcome, names);
      results.set(q.label, {
        reference,
        subject: subjectOutcome,
        ...explain(q, diffs, reference, subjectOutcome),
      });
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([knot?.stop(), subject?.stop()]);
    const failing = [...results.values()].filter((r) => r.unexplained.length > 0);
    if (failing.length === 0) return;
    // One line per kind of difference, so a systematic one reads as one problem.
    const byAspect = new Map<string, number>();
    for (const r of failing)
      for (const d of r.unexplained) byAspect.set(d.aspect, (byAspect.get(d.aspect) ?? 0) + 1);
    console.log(
      `differential ${SUBJECT}/knot: ${failing.length} of ${results.size} queries differ unexplained; by aspect: ` +
        [...byAspect].map(([a, n]) => `${a} ${n}`).join(', '),
    );
  });

  test('the reference answers every query', () => {
    const silent = corpus.filter((q) => !results.get(q.label)?.reference.ok);
    expect(silent.map((q) => q.label)).toEqual([]);
  });

  test.for(corpus)('$label', (q) => {
    const r = results.get(q.label);
    if (!r) throw new Error('not run (the servers did not start)');
    if (r.unexplained.length > 0) expect.fail(report(q, r.unexplained, r.reference, r.subject, names));
  });

  test('every known difference is still seen', () => {
    if (results.size === 0) throw new Error('not run (the servers did not start)');
    const used = new Set([...results.values()].flatMap((r) => r.explainedBy));
    expect(KNOWN.filter((k) => !used.has(k.id)).map((k) => k.id)).toEqual([]);
    expect(new Set(KNOWN.map((k) => k.id)).size).toBe(KNOWN.length);
  });
});
