// Compares two servers' answers to the same query: header bits, the question
// as echoed, and each section as a set of RRsets (owner lowercased, type,
// class, TTL, RDATA in canonical form and order), OPT compared on its own.
import {
  WireReader,
  canonicalRdata,
  classToString,
  compareBytes,
  decodeRdata,
  opcodeToString,
  printRdata,
  rcodeToString,
  readEdns,
  recordToString,
  responseCode,
  typeToString,
  RRType,
  type Edns,
  type Message,
  type ResourceRecord,
} from '@herald/dns';
import type { Exchange } from './client.js';
import type { QuerySpec } from './corpus.js';

/** What can differ between two answers; known differences name the ones they allow. */
export type Aspect =
  | 'answered' // one server answered (parseably), the other did not
  | 'id'
  | 'rcode'
  | 'aa'
  | 'tc'
  | 'ra'
  | 'rd' // the RD bit copied from the query (RFC 1035 §4.1.1)
  | 'header' // QR, OPCODE, AD, CD
  | 'question'
  | 'answer'
  | 'authority'
  | 'additional'
  | 'opt';

export type Section = 'answer' | 'authority' | 'additional';

/** One answer reduced to what is compared. */
export interface Normalized {
  id: number;
  rcode: number;
  aa: boolean;
  tc: boolean;
  ra: boolean;
  rd: boolean;
  header: string;
  /** As received, case included: `www.ExAmple.com. IN A`. */
  question: string[];
  /** Sorted RRset texts per section (additional without OPT). */
  answer: string[];
  authority: string[];
  additional: string[];
  opt?: { version: number; dnssecOk: boolean; payloadSize: number; options: number[] };
}

/** One side's outcome: an answer, or why there is none. */
export type Outcome =
  { ok: true; exchange: Exchange; normalized: Normalized } | { ok: false; failure: string };

export interface Difference {
  aspect: Aspect;
  detail: string;
}

/** RDATA printed from its canonical octets (RFC 4034 §6.2: names lowercased), so case in RDATA names does not count. */
function canonicalText(rr: ResourceRecord): string {
  if (rr.type === RRType.OPT) return '';
  const bytes = canonicalRdata(rr);
  const data = decodeRdata(rr.type, new WireReader(bytes, 0, { compression: false }), bytes.length);
  return printRdata(rr.type, data);
}

/** `owner TTL CLASS TYPE` and the RDATA in canonical order, one RRset per string. */
function rrsets(records: readonly ResourceRecord[]): string[] {
  const groups = new Map<string, { ttls: Set<number>; rdatas: Array<{ bytes: Uint8Array; text: string }> }>();
  for (const rr of records) {
    const key = `${rr.name.toString().toLowerCase()} ${classToString(rr.class)} ${typeToString(rr.type)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ttls: new Set(), rdatas: [] }));
    g.ttls.add(rr.ttl);
    g.rdatas.push({ bytes: canonicalRdata(rr), text: canonicalText(rr) });
  }
  const out: string[] = [];
  for (const [key, g] of groups) {
    const [owner, cls, type] = key.split(' ');
    const ttl = [...g.ttls].sort((a, b) => a - b).join(',');
    const rdatas = g.rdatas.sort((a, b) => compareBytes(a.bytes, b.bytes)).map((r) => r.text);
    out.push(
      `${owner} ${ttl} ${cls} ${type} ${rdatas.length === 1 ? rdatas[0] : `{ ${rdatas.join(' | ')} }`}`,
    );
  }
  return out.sort();
}

function headerText(m: Message): string {
  return `qr=${+m.flags.qr} opcode=${opcodeToString(m.opcode)} ad=${+m.flags.ad} cd=${+m.flags.cd}`;
}

export function normalize(m: Message): Normalized {
  let edns: Edns | undefined;
  let ednsError: string | undefined;
  try {
    edns = readEdns(m);
  } catch (e) {
    ednsError = (e as Error).message;
  }
  return {
    id: m.id,
    rcode: ednsError ? m.rcode : responseCode(m),
    aa: m.flags.aa,
    tc: m.flags.tc,
    ra: m.flags.ra,
    rd: m.flags.rd,
    header: headerText(m) + (ednsError ? ` bad-opt(${ednsError})` : ''),
    question: m.questions.map(
      (q) => `${q.name.toString()} ${classToString(q.class)} ${typeToString(q.type)}`,
    ),
    answer: rrsets(m.answers),
    authority: rrsets(m.authorities),
    additional: rrsets(m.additionals.filter((rr) => rr.type !== RRType.OPT)),
    ...(edns
      ? {
          opt: {
            version: edns.version,
            dnssecOk: edns.dnssecOk,
            payloadSize: edns.payloadSize,
            options: edns.options.map((o) => o.code).sort((a, b) => a - b),
          },
        }
      : {}),
  };
}

function setDiff(a: readonly string[], b: readonly string[]): { onlyA: string[]; onlyB: string[] } {
  const sa = new Set(a);
  const sb = new Set(b);
  return { onlyA: a.filter((x) => !sb.has(x)), onlyB: b.filter((x) => !sa.has(x)) };
}

function optText(o: Normalized['opt']): string {
  return o ? `OPT version ${o.version}, DO ${+o.dnssecOk}` : 'no OPT';
}

/**
 * Every aspect in which `subject` differs from `reference` for `query`
 * (`sent` is the message as sent, for the id and question echo).
 */
export function compareOutcomes(
  sent: Message,
  reference: Outcome,
  subject: Outcome,
  names: { reference: string; subject: string },
): Difference[] {
  const out: Difference[] = [];
  const R = names.reference;
  const S = names.subject;
  if (!reference.ok || !subject.ok) {
    // Neither answering is the same behaviour (and the reference never stays silent in this corpus).
    if (reference.ok !== subject.ok)
      out.push({
        aspect: 'answered',
        detail: `${R}: ${reference.ok ? 'answered' : reference.failure}; ${S}: ${subject.ok ? 'answered' : subject.failure}`,
      });
    return out;
  }
  const r = reference.normalized;
  const s = subject.normalized;
  const sentQuestion = sent.questions.map(
    (q) => `${q.name.toString()} ${classToString(q.class)} ${typeToString(q.type)}`,
  );
  const flag = (aspect: Aspect, a: unknown, b: unknown, what: string) => {
    if (a !== b) out.push({ aspect, detail: `${what}: ${R} ${String(a)}, ${S} ${String(b)}` });
  };
  if (s.id !== sent.id || r.id !== sent.id)
    out.push({ aspect: 'id', detail: `sent ${sent.id}; ${R} ${r.id}, ${S} ${s.id}` });
  flag('rcode', rcodeToString(r.rcode), rcodeToString(s.rcode), 'RCODE');
  flag('aa', r.aa, s.aa, 'AA');
  flag('tc', r.tc, s.tc, 'TC');
  flag('ra', r.ra, s.ra, 'RA');
  if (s.ra)
    out.push({
      aspect: 'ra',
      detail: `${S} sets RA; an authoritative-only server must not (RFC 1035 §4.1.1)`,
    });
  flag('rd', r.rd, s.rd, 'RD');
  flag('header', r.header, s.header, 'header');
  const q = (x: string[]) => x.join('; ');
  if (q(s.question) !== q(r.question) || q(s.question) !== q(sentQuestion))
    out.push({
      aspect: 'question',
      detail: `sent [${q(sentQuestion)}]; ${R} echoed [${q(r.question)}], ${S} [${q(s.question)}]`,
    });
  for (const section of ['answer', 'authority', 'additional'] as const) {
    const { onlyA, onlyB } = setDiff(r[section], s[section]);
    if (onlyA.length === 0 && onlyB.length === 0) continue;
    const lines = [...onlyA.map((x) => `    only ${R}: ${x}`), ...onlyB.map((x) => `    only ${S}: ${x}`)];
    out.push({ aspect: section, detail: `${section} section differs:\n${lines.join('\n')}` });
  }
  if (optText(r.opt) !== optText(s.opt))
    out.push({ aspect: 'opt', detail: `EDNS: ${R} ${optText(r.opt)}; ${S} ${optText(s.opt)}` });
  return out;
}

/** A message in dig-like presentation format, records in the order received. */
export function present(outcome: Outcome): string {
  if (!outcome.ok) return `  (no answer: ${outcome.failure})`;
  const m = outcome.exchange.message!;
  const f = m.flags;
  const bits = (['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const).filter((b) => f[b]).join(' ');
  const edns = outcome.normalized.opt;
  const lines = [
    `  ;; ${rcodeToString(outcome.normalized.rcode)}, id ${m.id}, flags: ${bits}; ${outcome.exchange.bytes.length} octets`,
  ];
  if (edns)
    lines.push(
      `  ;; OPT: version ${edns.version}, DO ${+edns.dnssecOk}, udp ${edns.payloadSize}` +
        (edns.options.length ? `, options ${edns.options.join(',')}` : ''),
    );
  lines.push(
    ...m.questions.map(
      (q) => `  ;; QUESTION ${q.name.toString()} ${classToString(q.class)} ${typeToString(q.type)}`,
    ),
  );
  const sections: Array<[string, readonly ResourceRecord[]]> = [
    ['ANSWER', m.answers],
    ['AUTHORITY', m.authorities],
    ['ADDITIONAL', m.additionals.filter((rr) => rr.type !== RRType.OPT)],
  ];
  for (const [title, records] of sections) {
    if (records.length === 0) continue;
    lines.push(`  ;; ${title}`);
    for (const rr of records) lines.push(`  ${recordToString(rr)}`);
  }
  return lines.join('\n');
}

/** The readable report of one query's unexplained differences. */
export function report(
  query: QuerySpec,
  differences: readonly Difference[],
  reference: Outcome,
  subject: Outcome,
  names: { reference: string; subject: string },
): string {
  return [
    `${query.label}: ${names.subject} differs from ${names.reference} (${differences.map((d) => d.aspect).join(', ')})`,
    ...differences.map((d) => `  - ${d.detail}`),
    `--- ${names.reference}`,
    present(reference),
    `--- ${names.subject}`,
    present(subject),
  ].join('\n');
}
