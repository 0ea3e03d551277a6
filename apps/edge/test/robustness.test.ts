// Robustness of the edge (issue: "random and mutated packets ... and
// slowloris-style TCP clients never crash or stall the edge, and it keeps
// answering others meanwhile").
//
// 1. Property-based, on the Responder directly: random octets and mutations of
//    valid queries never throw, and give silence (shorter than a header, or
//    QR=1) or a well-formed response with the rcode the issue asks for.
// 2. Over UDP: a blast of malformed datagrams while another client's valid
//    queries all get their right answer.
// 3. Over TCP (RFC 7766): pipelining, split writes, slowloris clients cut at
//    the idle timeout, the connection limit, broken messages closing only
//    their own connection.
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, readEdns, type Message } from '@herald/dns';
import type { Responder } from '../src/pipeline/respond.js';
import {
  buildQuery,
  frame,
  header,
  makeResponder,
  optRecord,
  sleep,
  startTestEdge,
  TcpClient,
  UdpClient,
  wireName,
  type EdnsSpec,
  type QuerySpec,
  type TestEdge,
} from './support/robustness-harness.js';

const FORMERR = 1;
const NOTIMP = 4;
const BADVERS = 16;
const OPT = 41;
const COOKIE = 10;
const CLIENT = '192.0.2.77';

// ------------------------------------------------------------------ generators

const NAMES = [
  'www.example.com',
  'WwW.ExAmPlE.CoM',
  'alias.example.com',
  'nope.example.com',
  'a.b.wild.example.com',
  'x.sub.example.com',
  'big.example.com',
  'mid.example.com',
  'host.deleg.example.com',
  'deleg.example.com',
  'q.dn.example.com',
  `${'a'.repeat(63)}.${'b'.repeat(63)}.ldn.example.com`,
  'example.com',
  'example.org',
  '',
  'version.bind',
  'id.server',
].map(wireName);

/** Random labels (any octets) under one of the zone's names. */
const randomName = fc
  .tuple(
    fc.array(fc.uint8Array({ minLength: 1, maxLength: 63 }), { maxLength: 4 }),
    fc.constantFrom(
      'example.com',
      'wild.example.com',
      'sub.example.com',
      'dn.example.com',
      'ldn.example.com',
    ),
  )
  .map(([labels, suffix]) => {
    const parts: number[] = [];
    for (const l of labels) parts.push(l.length, ...l);
    const name = Uint8Array.from([...parts, ...wireName(suffix)]);
    return name.length <= 255 ? name : wireName(suffix);
  });

const qnameArb = fc.oneof(
  { arbitrary: fc.constantFrom(...NAMES), weight: 3 },
  { arbitrary: randomName, weight: 1 },
);

const qtypeArb = fc.oneof(
  { arbitrary: fc.constantFrom(1, 28, 16, 15, 2, 6, 5, 39, 255, 43, 252, 251, OPT, 0), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 1 },
);

const qclassArb = fc.oneof(
  { arbitrary: fc.constant(1), weight: 8 },
  { arbitrary: fc.constantFrom(3, 254, 255), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 1 },
);

const optionArb = fc.oneof(
  fc.constant({ code: 3, data: new Uint8Array(0) }), // NSID
  fc.uint8Array({ minLength: 8, maxLength: 8 }).map((data) => ({ code: COOKIE, data })),
  fc.uint8Array({ minLength: 24, maxLength: 24 }).map((data) => ({ code: COOKIE, data })),
  fc.uint8Array({ maxLength: 40 }).map((data) => ({ code: 12, data })), // padding
  fc.record({
    code: fc.integer({ min: 0, max: 0xffff }).filter((c) => c !== COOKIE),
    data: fc.uint8Array({ maxLength: 20 }),
  }),
);

const ednsArb: fc.Arbitrary<EdnsSpec> = fc.record({
  payload: fc.oneof(fc.constantFrom(0, 511, 512, 1232, 4096, 65535), fc.integer({ min: 0, max: 0xffff })),
  dnssecOk: fc.boolean(),
  options: fc.array(optionArb, { maxLength: 3 }),
});

const baseArb: fc.Arbitrary<QuerySpec> = fc.record({
  id: fc.integer({ min: 0, max: 0xffff }),
  // RD, AD, CD as a client may set them.
  flags: fc
    .record({ rd: fc.boolean(), ad: fc.boolean(), cd: fc.boolean() })
    .map((f) => (f.rd ? 0x100 : 0) | (f.ad ? 0x20 : 0) | (f.cd ? 0x10 : 0)),
  qname: qnameArb,
  qtype: qtypeArb,
  qclass: qclassArb,
  edns: fc.option(ednsArb, { nil: undefined, freq: 2 }),
});

type Expect =
  | 'drop' // silence
  | 'formerr'
  | 'notimp'
  | 'badvers'
  | 'same' // answered exactly like the unmutated query
  | 'formerr-or-same' // malformed beyond the question: FORMERR, or answered like the unmutated query
  | 'generic'; // only the general rules

interface Case {
  what: string;
  bytes: Uint8Array;
  expect: Expect;
  base: QuerySpec;
}

const qdFields = (s: QuerySpec) => {
  const t = Buffer.alloc(4);
  t.writeUInt16BE(s.qtype, 0);
  t.writeUInt16BE(s.qclass ?? 1, 2);
  return Buffer.concat([s.qname, t]);
};

function setU16(b: Uint8Array, at: number, v: number): Uint8Array {
  const out = Uint8Array.from(b);
  out[at] = v >>> 8;
  out[at + 1] = v & 0xff;
  return out;
}

const withEdns = (s: QuerySpec): QuerySpec => (s.edns ? s : { ...s, edns: { payload: 1232 } });

const aRecord = (owner: Uint8Array) =>
  Buffer.concat([owner, Buffer.from([0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9])]);

/** Mutations of a valid query, each with what the issue says the answer must be. */
const mutationArb: fc.Arbitrary<Case> = baseArb.chain((base) => {
  const bytes = buildQuery(base);
  const question = qdFields(base);
  const opt = base.edns ? optRecord(base.edns) : Buffer.alloc(0);
  const c = (what: string, b: Uint8Array, expect: Expect, b2: QuerySpec = base): Case => ({
    what,
    bytes: b,
    expect,
    base: b2,
  });
  return fc.oneof(
    // Cut at any length: shorter than a header is silence, otherwise the counts promise data that is missing.
    fc
      .integer({ min: 0, max: bytes.length - 1 })
      .map((n) => c(`truncated to ${n}`, bytes.subarray(0, n), n < 12 ? 'drop' : 'formerr')),
    // Flipped octets: only the general rules.
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((flips) => {
        const b = Uint8Array.from(bytes);
        for (const [at, x] of flips) b[at]! ^= x;
        return c(`flipped ${JSON.stringify(flips)}`, b, 'generic');
      }),
    // Huge AN/NS/AR counts: records the message does not hold.
    fc
      .record({
        an: fc.integer({ min: 0, max: 0xffff }),
        ns: fc.integer({ min: 0, max: 0xffff }),
        ar: fc.integer({ min: base.edns ? 1 : 0, max: 0xffff }),
      })
      .filter((k) => k.an + k.ns + k.ar > (base.edns ? 1 : 0))
      .map((k) => {
        let b = setU16(bytes, 6, k.an);
        b = setU16(b, 8, k.ns);
        b = setU16(b, 10, k.ar);
        return c(`counts an=${k.an} ns=${k.ns} ar=${k.ar}`, b, 'formerr');
      }),
    // Compression pointers (and reserved label types) in the question name: FORMERR.
    fc
      .tuple(
        fc.constantFrom(
          [0xc0, 0x0c], // to itself
          [0xc0, 0x00], // into the header
          [0xc0, 0x02],
          [0x01, 0x61, 0xc0, 0x0c], // label, then back to the name's start: a loop
          [0x01, 0x61, 0xc0, 0x0e], // to itself
          [0x01, 0x61, 0xc0, 0x30], // forward
          [0x03, 0x77, 0x77, 0x77, 0xff, 0xff], // forward, past the end
          [0x41, 0x61], // label type 01 (extended)
          [0x80, 0x61], // label type 10
          [0xc0], // truncated pointer
        ),
        fc.integer({ min: 0, max: 0x3fff }),
        fc.boolean(),
      )
      .map(([ptr, target, random]) => {
        const p = Uint8Array.from(ptr);
        if (random && p.length >= 2 && (p[p.length - 2]! & 0xc0) === 0xc0) {
          p[p.length - 2] = 0xc0 | (target >>> 8);
          p[p.length - 1] = target & 0xff;
        }
        const t = Buffer.alloc(4);
        t.writeUInt16BE(base.qtype, 0);
        t.writeUInt16BE(base.qclass ?? 1, 2);
        const b = Buffer.concat([header(base.id, base.flags ?? 0, 1, 0, 0, base.edns ? 1 : 0), p, t, opt]);
        return c(`question name ${Buffer.from(p).toString('hex')}`, b, 'formerr');
      }),
    // Records (answer, authority or additional) whose owner is compressed, well or badly. The edge
    // reads only the question and the OPT record and skips other names without following pointers,
    // so a loop or forward pointer there cannot trap it; it may answer FORMERR or (as it does today)
    // answer as if the record were not there. Only a crash, a hang or another rcode fails.
    fc
      .record({
        section: fc.constantFrom('an', 'ns', 'ar-before-opt', 'ar-after-opt'),
        owner: fc.constantFrom(
          'back',
          'label-back',
          'self-loop',
          'two-hop-loop',
          'forward',
          'past-end',
          'to-header',
        ),
      })
      .map(({ section, owner }) => {
        const at = 12 + question.length + (section === 'ar-after-opt' ? opt.length : 0);
        const hi = (v: number) => 0xc0 | (v >>> 8);
        const lo = (v: number) => v & 0xff;
        const owners: Record<string, [number[], Expect]> = {
          back: [[0xc0, 0x0c], 'same'],
          'label-back': [[3, 0x66, 0x6f, 0x6f, 0xc0, 0x0c], 'same'],
          'self-loop': [[hi(at), lo(at)], 'formerr-or-same'],
          'two-hop-loop': [[1, 0x61, hi(at), lo(at)], 'formerr-or-same'],
          forward: [[hi(at + 8), lo(at + 8)], 'formerr-or-same'],
          'past-end': [[0xff, 0xff], 'formerr-or-same'],
          'to-header': [[0xc0, 0x04], 'formerr-or-same'],
        };
        const [o, expect] = owners[owner]!;
        const rr = aRecord(Uint8Array.from(o));
        const an = section === 'an' ? 1 : 0;
        const ns = section === 'ns' ? 1 : 0;
        const ar = (base.edns ? 1 : 0) + (section.startsWith('ar') ? 1 : 0);
        const h = header(base.id, base.flags ?? 0, 1, an, ns, ar);
        const b =
          section === 'ar-after-opt'
            ? Buffer.concat([h, question, opt, rr])
            : Buffer.concat([h, question, rr, opt]);
        return c(`${owner} owner in ${section}`, b, expect);
      }),
    // Two OPT records (RFC 6891 §6.1.1): FORMERR.
    fc.tuple(ednsArb, fc.integer({ min: 0, max: 255 })).map(([second, version]) => {
      const b0 = withEdns(base);
      const b = Buffer.concat([
        header(base.id, base.flags ?? 0, 1, 0, 0, 2),
        question,
        optRecord(b0.edns!),
        optRecord({ ...second, version }),
      ]);
      return c('two OPT records', b, 'formerr', b0);
    }),
    // OPT with broken option framing, or a cookie of a length RFC 7873 §5.2.2 forbids: FORMERR.
    fc
      .oneof(
        fc.constant(Uint8Array.of(0)),
        fc.constant(Uint8Array.of(0, 3, 0)),
        fc.integer({ min: 1, max: 0xffff }).map((len) => Uint8Array.of(0, 12, len >>> 8, len & 0xff)),
        fc
          .tuple(fc.integer({ min: 5, max: 0xffff }), fc.uint8Array({ minLength: 1, maxLength: 4 }))
          .map(([len, d]) =>
            Uint8Array.from([0, 8, len >>> 8, len & 0xff, ...d.subarray(0, Math.min(d.length, len - 1))]),
          ),
        fc
          .integer({ min: 0, max: 60 })
          .filter((n) => n !== 8 && (n < 16 || n > 40))
          .map((n) => Uint8Array.from([0, COOKIE, 0, n, ...new Uint8Array(n).fill(7)])),
      )
      .map((rdata) => {
        const o = optRecord({ payload: 1232 });
        const fixed = Buffer.from(o);
        fixed.writeUInt16BE(rdata.length, 9);
        const b = Buffer.concat([header(base.id, base.flags ?? 0, 1, 0, 0, 1), question, fixed, rdata]);
        return c(
          `OPT rdata ${Buffer.from(rdata).toString('hex').slice(0, 40)}`,
          b,
          'formerr',
          withEdns(base),
        );
      }),
    // OPT RDLENGTH running past the end of the message: FORMERR.
    fc.integer({ min: 1, max: 0xffff }).map((extra) => {
      const o = Buffer.from(optRecord({ payload: 1232 }));
      o.writeUInt16BE(extra, 9);
      return c(
        `OPT rdlength ${extra} past the end`,
        Buffer.concat([header(base.id, base.flags ?? 0, 1, 0, 0, 1), question, o]),
        'formerr',
        withEdns(base),
      );
    }),
    // OPT not owned by the root: FORMERR; owned by a pointer to a root octet: FORMERR or answered.
    fc.constantFrom('foo', 'self', 'qname', 'root-ptr').map((kind) => {
      const owner =
        kind === 'foo'
          ? wireName('foo')
          : kind === 'self'
            ? Uint8Array.of(0xc0 | ((12 + question.length) >>> 8), (12 + question.length) & 0xff)
            : kind === 'qname'
              ? Uint8Array.of(0xc0, 0x0c)
              : Uint8Array.of(0xc0, 12 + base.qname.length - 1);
      const expect: Expect =
        kind === 'foo' || (kind === 'qname' && base.qname.length > 1) ? 'formerr' : 'formerr-or-same';
      const b0 = withEdns(base);
      const b = Buffer.concat([
        header(base.id, base.flags ?? 0, 1, 0, 0, 1),
        question,
        optRecord({ ...b0.edns!, owner }),
      ]);
      return c(`OPT owned by ${kind}`, b, expect, b0);
    }),
    // EDNS version above 0: BADVERS (RFC 6891 §6.1.3).
    fc.integer({ min: 1, max: 255 }).map((version) => {
      const b0 = withEdns(base);
      return c(
        `EDNS version ${version}`,
        buildQuery({ ...b0, edns: { ...b0.edns!, version } }),
        'badvers',
        b0,
      );
    }),
    // QDCOUNT other than 1: FORMERR.
    fc
      .oneof(fc.constantFrom(0, 2, 0xffff), fc.integer({ min: 0, max: 0xffff }))
      .filter((n) => n !== 1)
      .map((n) => c(`qdcount ${n}`, setU16(bytes, 4, n), 'formerr')),
    // Any opcode but QUERY: NOTIMP.
    fc.integer({ min: 1, max: 15 }).map((op) => {
      const b = Uint8Array.from(bytes);
      b[2] = (b[2]! & 0x87) | (op << 3);
      return c(`opcode ${op}`, b, 'notimp');
    }),
    // A response (QR=1): silence.
    fc.constant(0).map(() => {
      const b = Uint8Array.from(bytes);
      b[2]! |= 0x80;
      return c('QR set', b, 'drop');
    }),
    // Trailing garbage after the last record: only the general rules.
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((g) => c(`${g.length} trailing octets`, Buffer.concat([bytes, g]), 'generic')),
  );
});

/** Random octets, and random octets behind a plausible header (to get past the first checks). */
const randomArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc
    .tuple(
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 0xffff }).map((f) => f & 0x7fff),
      fc.constantFrom(0, 1, 2),
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 3 }),
      fc.uint8Array({ maxLength: 300 }),
    )
    .map(([id, flags, qd, an, ns, ar, tail]) =>
      Buffer.concat([header(id, flags & ~0x7800, qd, an % 4, ns, ar), tail]),
    ),
);

// ------------------------------------------------------------------ the oracle

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function fullRcode(m: Message): number {
  const e = readEdns(m);
  return ((e?.extendedRcode ?? 0) << 4) | m.rcode;
}

/** What a well-formed (decodable) query must get, from the library's reading of it. */
function strictExpectation(d: Message): 'formerr' | 'badvers' | 'answer' {
  let edns;
  try {
    edns = readEdns(d);
  } catch {
    return 'formerr';
  }
  if (edns) {
    for (const o of edns.options)
      if (o.code === COOKIE && o.data.length !== 8 && (o.data.length < 16 || o.data.length > 40))
        return 'formerr';
    if (edns.version > 0) return 'badvers';
  }
  return 'answer';
}

const ANSWER_RCODES = [0, 3, 5, 6]; // NOERROR, NXDOMAIN, REFUSED, YXDOMAIN (DNAME overflow)

function rcodeMatches(rcode: number, e: 'formerr' | 'badvers' | 'answer'): boolean {
  if (e === 'formerr') return rcode === FORMERR;
  if (e === 'badvers') return rcode === BADVERS;
  return ANSWER_RCODES.includes(rcode);
}

/**
 * The general rules, for any input: never throws; silence exactly for a
 * short or QR=1 message; otherwise a decodable response with the id echoed,
 * QR=1, RA=0, the opcode echoed, the question echoed octet for octet, at most
 * 512 octets over UDP without EDNS (1232 with), TC set when records were cut,
 * and an rcode that fits the query. Returns the decoded UDP response.
 */
function check(responder: Responder, input: Uint8Array): Message | null {
  const out = responder.respond(input, false, CLIENT);
  if (input.length < 12 || input[2]! & 0x80) {
    expect(out, 'silence for a short message or a response').toBeNull();
    return null;
  }
  expect(out, 'an answer for any message with a header and QR=0').not.toBeNull();
  const r = out!;
  expect(r.readUInt16BE(0), 'id echoed').toBe((input[0]! << 8) | input[1]!);
  expect(r[2]! & 0x80, 'QR=1').toBe(0x80);
  expect((r[2]! >>> 3) & 0x0f, 'opcode echoed').toBe((input[2]! >>> 3) & 0x0f);
  expect(r[3]! & 0x80, 'RA=0').toBe(0);
  expect(r[3]! & 0x40, 'Z=0').toBe(0);
  let m: Message;
  try {
    m = decodeMessage(r);
  } catch (e) {
    throw new Error(`response does not decode (${(e as Error).message}): ${hex(r)}`);
  }
  expect(m.questions.length).toBeLessThanOrEqual(1);
  if (m.questions.length === 1) {
    const qlen = m.questions[0]!.name.wire.length + 4;
    expect(hex(r.subarray(12, 12 + qlen)), 'question echoed as received').toBe(
      hex(input.subarray(12, 12 + qlen)),
    );
  }
  const edns = readEdns(m); // throws on two OPTs or a non-root owner
  if (edns) {
    expect(edns.version).toBe(0);
    expect(edns.payloadSize).toBe(1232);
  }
  expect(r.length, 'UDP size limit').toBeLessThanOrEqual(edns ? 1232 : 512);

  // TC exactly when the UDP response lost records the TCP one has.
  const t = responder.respond(input, true, CLIENT)!;
  const tm = decodeMessage(t);
  // (ANY is the exception: over UDP it gets one RRset on purpose, RFC 8482 §4.1.)
  const anyOverUdp = m.questions[0]?.type === 255;
  if (!anyOverUdp && (m.answers.length < tm.answers.length || m.authorities.length < tm.authorities.length))
    expect(m.flags.tc, 'TC set when answer or authority records were cut').toBe(true);
  if (m.flags.tc)
    expect(tm.answers.length + tm.authorities.length + tm.additionals.length).toBeGreaterThan(
      m.answers.length + m.authorities.length + m.additionals.length,
    );
  expect(tm.flags.tc, 'never TC over TCP').toBe(false);

  const rcode = fullRcode(m);
  const opcode = (input[2]! >>> 3) & 0x0f;
  const qd = (input[4]! << 8) | input[5]!;
  if (opcode !== 0) expect([NOTIMP, FORMERR]).toContain(rcode);
  else if (qd !== 1) expect(rcode, 'QDCOUNT != 1').toBe(FORMERR);
  else {
    let d: Message | undefined;
    try {
      d = decodeMessage(input);
    } catch {
      // Malformed somewhere: FORMERR, or (the edge reads only the question and the OPT) an answer.
      expect([FORMERR, BADVERS, ...ANSWER_RCODES]).toContain(rcode);
    }
    if (d) {
      const e = strictExpectation(d);
      // A message that re-encodes to the same octets is plainly well-formed: no leeway.
      // One that decodes but is odd (a pointer in the question into the header, say) may also be FORMERR.
      const canonical = hex(encodeMessage(d)) === hex(input);
      if (canonical || !rcodeMatches(rcode, 'formerr'))
        expect(rcodeMatches(rcode, e), `rcode ${rcode} for a decodable query (expected ${e})`).toBe(true);
    }
  }
  if (rcode === BADVERS) expect(m.rcode, 'BADVERS: header rcode 0, extended 1').toBe(0);
  return m;
}

function checkCase(responder: Responder, c: Case): void {
  const m = check(responder, c.bytes);
  if (c.expect === 'generic') return;
  if (c.expect === 'drop') {
    expect(m).toBeNull();
    return;
  }
  expect(m, c.what).not.toBeNull();
  const rcode = fullRcode(m!);
  const same = () => {
    const base = decodeMessage(responder.respond(buildQuery(c.base), false, CLIENT)!);
    return (
      rcode === fullRcode(base) &&
      m!.answers.length === base.answers.length &&
      m!.authorities.length === base.authorities.length &&
      m!.flags.aa === base.flags.aa &&
      m!.flags.tc === base.flags.tc
    );
  };
  switch (c.expect) {
    case 'formerr':
      expect(rcode, c.what).toBe(FORMERR);
      break;
    case 'notimp':
      expect(rcode, c.what).toBe(NOTIMP);
      break;
    case 'badvers':
      expect(rcode, c.what).toBe(BADVERS);
      expect(m!.rcode).toBe(0);
      break;
    case 'same':
      expect(same(), `${c.what}: answered like the plain query`).toBe(true);
      break;
    case 'formerr-or-same':
      expect(rcode === FORMERR || same(), `${c.what}: FORMERR or answered like the plain query`).toBe(true);
      break;
  }
}

describe('Responder: random and mutated packets', () => {
  const responder = makeResponder();

  it('answers valid queries within the size limit of the transport, TC when cut', () => {
    fc.assert(
      fc.property(baseArb, (spec) => {
        const q = buildQuery(spec);
        const m = check(responder, q)!;
        const limit = spec.edns ? Math.max(512, Math.min(spec.edns.payload, 1232)) : 512;
        expect(responder.respond(q, false, CLIENT)!.length).toBeLessThanOrEqual(limit);
        const rcode = fullRcode(m);
        expect([...ANSWER_RCODES, FORMERR]).toContain(rcode);
        if (rcode === FORMERR) {
          // Only a malformed cookie makes a query built here malformed.
          expect(spec.edns?.options?.some((o) => o.code === COOKIE)).toBe(true);
        }
      }),
      { seed: 0x5eed1, numRuns: 1500 },
    );
  });

  it('mutated queries get FORMERR, NOTIMP, BADVERS, silence or their normal answer, as the issue says', () => {
    fc.assert(
      fc.property(mutationArb, (c) => checkCase(responder, c)),
      { seed: 0x5eed2, numRuns: 4000 },
    );
  });

  it('random octets never throw and follow the general rules', () => {
    fc.assert(
      fc.property(randomArb, (b) => {
        check(responder, b);
      }),
      { seed: 0x5eed3, numRuns: 3000 },
    );
  });

  it('every truncation of a set of queries: silence below 12 octets, FORMERR from 12 on', () => {
    const specs: QuerySpec[] = [
      { id: 1, qname: wireName('www.example.com'), qtype: 1 },
      { id: 2, qname: wireName('big.example.com'), qtype: 16, edns: { payload: 1232, dnssecOk: true } },
      {
        id: 3,
        qname: wireName('mid.example.com'),
        qtype: 16,
        edns: {
          payload: 4096,
          options: [
            { code: 3, data: new Uint8Array(0) },
            { code: COOKIE, data: new Uint8Array(24) },
          ],
        },
      },
      { id: 4, qname: wireName(''), qtype: 2, edns: { payload: 512, version: 1 } },
    ];
    for (const s of specs) {
      const q = buildQuery(s);
      for (let n = 0; n < q.length; n++)
        checkCase(responder, {
          what: `truncated to ${n}`,
          bytes: q.subarray(0, n),
          expect: n < 12 ? 'drop' : 'formerr',
          base: s,
        });
    }
  });

  it('names of 255 octets are answered, 256 octets FORMERR; 127 labels are fine', () => {
    const l63 = 'a'.repeat(63);
    const n255 = wireName(`${l63}.${l63}.${l63}.${'c'.repeat(49)}.example.com`);
    expect(n255.length).toBe(255);
    const n256 = wireName(`${l63}.${l63}.${l63}.${'c'.repeat(50)}.example.com`);
    expect(n256.length).toBe(256);
    const many = wireName(Array.from({ length: 121 }, () => 'x').join('.') + '.example.com');
    expect(many.length).toBe(255);
    const most = wireName(Array.from({ length: 127 }, () => 'x').join('.'));
    expect(most.length).toBe(255);
    expect(fullRcode(check(responder, buildQuery({ id: 9, qname: most, qtype: 1 }))!)).toBe(5);
    expect(fullRcode(check(responder, buildQuery({ id: 9, qname: n255, qtype: 1 }))!)).toBe(3);
    expect(fullRcode(check(responder, buildQuery({ id: 9, qname: many, qtype: 1 }))!)).toBe(3);
    expect(fullRcode(check(responder, buildQuery({ id: 9, qname: n256, qtype: 1 }))!)).toBe(FORMERR);
    // Under a DNAME whose target makes the synthesized name too long: YXDOMAIN (RFC 6672 §2.2).
    const yx = wireName(`${l63}.${l63}.ldn.example.com`);
    expect(fullRcode(check(responder, buildQuery({ id: 9, qname: yx, qtype: 1 }))!)).toBe(6);
  });
});

// ------------------------------------------------------------------ sockets

function aQuery(id: number, name: string, type = 1, edns?: EdnsSpec): Buffer {
  return buildQuery({ id, qname: wireName(name), qtype: type, ...(edns ? { edns } : {}) });
}

const KNOWN: { name: string; type: number; rcode: number; answer?: string }[] = [
  { name: 'www.example.com', type: 1, rcode: 0, answer: '192.0.2.3' },
  { name: 'mail.example.com', type: 1, rcode: 0, answer: '192.0.2.2' },
  { name: 'ns1.example.com', type: 1, rcode: 0, answer: '192.0.2.1' },
  { name: 'www.example.com', type: 28, rcode: 0, answer: '2001:db8::3' },
  { name: 'nope.example.com', type: 1, rcode: 3 },
  { name: 'example.org', type: 1, rcode: 5 },
];

function expectKnown(bytes: Buffer | null, id: number, k: (typeof KNOWN)[number]): void {
  expect(bytes, `answer to ${k.name} ${k.type}`).not.toBeNull();
  const m = decodeMessage(bytes!);
  expect(m.id).toBe(id);
  expect(m.rcode).toBe(k.rcode);
  expect(m.questions[0]!.name.toString().toLowerCase()).toBe(`${k.name}.`);
  if (k.answer) {
    expect(m.answers).toHaveLength(1);
    const data = m.answers[0]!.data as { address?: unknown };
    expect(String(data.address ?? JSON.stringify(data))).toBe(k.answer);
  }
}

describe('UDP under a blast of malformed datagrams', () => {
  let edge: TestEdge;
  beforeAll(async () => {
    edge = await startTestEdge();
  });
  afterAll(async () => {
    await edge?.close();
  });

  it('keeps answering a valid client correctly while 3000 malformed datagrams arrive', async () => {
    const junk = [
      ...fc.sample(mutationArb, { seed: 0xb1a57, numRuns: 2000 }).map((c) => c.bytes),
      ...fc.sample(randomArb, { seed: 0xb1a58, numRuns: 1000 }),
    ];
    const blaster = await UdpClient.open();
    const client = await UdpClient.open();
    let blastDone = false;
    const blast = (async () => {
      for (let i = 0; i < junk.length; i += 50) {
        await Promise.all(junk.slice(i, i + 50).map((b) => blaster.send(b, edge.port)));
        await sleep(1);
      }
      blastDone = true;
    })();
    let asked = 0;
    let retries = 0;
    const valid = (async () => {
      for (let i = 0; !blastDone || i < 100; i++) {
        const k = KNOWN[i % KNOWN.length]!;
        const id = 0x1000 + i;
        const q = aQuery(id, k.name, k.type);
        let answer: Buffer | null = null;
        // The kernel may drop a datagram when its buffer is full; a stalled edge never answers at all.
        for (let attempt = 0; attempt < 3 && !answer; attempt++) {
          if (attempt > 0) retries++;
          answer = await client.ask(q, edge.port, 1000);
        }
        expectKnown(answer, id, k);
        asked++;
      }
    })();
    await Promise.all([blast, valid]);
    expect(asked).toBeGreaterThanOrEqual(100);
    expect(retries, 'valid queries lost during the blast').toBeLessThanOrEqual(5);
    // The blaster got answers too (FORMERR and the like), so the edge was working on them, not dropping them.
    await sleep(100);
    expect(blaster.received).toBeGreaterThan(1000);
    // Still alive and correct afterwards, over UDP and TCP.
    expectKnown(await client.ask(aQuery(7, 'www.example.com'), edge.port, 1000), 7, KNOWN[0]!);
    const tcp = await TcpClient.connect(edge.port);
    await tcp.write(frame(aQuery(8, 'www.example.com')));
    expectKnown(await tcp.next(1000), 8, KNOWN[0]!);
    tcp.destroy();
    await blaster.close();
    await client.close();
  });
});

describe('TCP (RFC 7766)', () => {
  let edge: TestEdge;
  beforeAll(async () => {
    edge = await startTestEdge();
  });
  afterAll(async () => {
    await edge?.close();
  });
  const open: TcpClient[] = [];
  const connect = async () => {
    const c = await TcpClient.connect(edge.port);
    open.push(c);
    return c;
  };
  const cleanup = async () => {
    for (const c of open.splice(0)) c.destroy();
    await sleep(50); // let the server see the closes before the next test counts connections
  };

  it('answers several pipelined queries of one write in order, each with its length prefix', async () => {
    const c = await connect();
    const queries = [
      aQuery(101, 'www.example.com'),
      aQuery(102, 'big.example.com', 16), // ~3.3 KB: whole over TCP
      aQuery(103, 'nope.example.com'),
      aQuery(104, 'mail.example.com', 1, { payload: 1232 }),
      aQuery(105, 'x.sub.example.com'),
      aQuery(106, 'deleg.example.com', 2),
    ];
    await c.write(frame(...queries));
    const got: Message[] = [];
    let octets = 0;
    for (let i = 0; i < queries.length; i++) {
      const r = await c.next(2000);
      expect(r, `answer ${i + 1}`).not.toBeNull();
      octets += 2 + r!.length;
      got.push(decodeMessage(r!));
    }
    expect(got.map((m) => m.id)).toEqual([101, 102, 103, 104, 105, 106]);
    expect(got.every((m) => !m.flags.tc)).toBe(true);
    expect(got[1]!.answers).toHaveLength(30);
    expect(got[2]!.rcode).toBe(3);
    expect(got[5]!.authorities).toHaveLength(14);
    expect(got[5]!.additionals).toHaveLength(14); // glue complete over TCP
    expect(c.bytesReceived).toBe(octets);
    expect(c.leftover).toBe(0);
    // The connection stays open for more.
    await c.write(frame(aQuery(107, 'www.example.com')));
    expectKnown(await c.next(1000), 107, KNOWN[0]!);
    await cleanup();
  });

  it('answers queries split byte by byte across writes', async () => {
    const c = await connect();
    const stream = frame(
      aQuery(201, 'www.example.com'),
      aQuery(202, 'mail.example.com', 1, { payload: 1232 }),
    );
    for (const byte of stream) {
      await c.write(Uint8Array.of(byte));
      await sleep(2);
    }
    expectKnown(await c.next(1000), 201, KNOWN[0]!);
    expectKnown(await c.next(1000), 202, KNOWN[1]!);
    // Slower, but each message within the idle timeout: 35 ms per octet.
    for (const byte of frame(aQuery(203, 'ns1.example.com'))) {
      await c.write(Uint8Array.of(byte));
      await sleep(35);
    }
    expectKnown(await c.next(1000), 203, KNOWN[2]!);
    await cleanup();
  });

  it('cuts slowloris clients at the idle timeout while UDP is answered, then serves new TCP clients', async () => {
    // All 20 connection slots: 8 dribble one octet a second of a message that never ends,
    // 6 send a length prefix and nothing else, 3 send the prefix and part of the body, 3 go idle after a query.
    const dribblers = await Promise.all(Array.from({ length: 8 }, connect));
    const prefixOnly = await Promise.all(Array.from({ length: 6 }, connect));
    const partial = await Promise.all(Array.from({ length: 3 }, connect));
    const idle = await Promise.all(Array.from({ length: 3 }, connect));
    const start = Date.now();
    for (const c of prefixOnly) void c.write(Uint8Array.of(0x00, 0x40));
    for (const c of partial)
      void c.write(Buffer.concat([Uint8Array.of(0x00, 0x40), aQuery(1, 'www.example.com').subarray(0, 10)]));
    for (const [i, c] of idle.entries()) {
      await c.write(frame(aQuery(300 + i, 'www.example.com')));
      expectKnown(await c.next(1000), 300 + i, KNOWN[0]!);
    }
    const dribbled = new Map<TcpClient, number>();
    const dribbleStream = Buffer.concat([Uint8Array.of(0x01, 0x00), Buffer.alloc(256, 0x41)]);
    const dribbling = dribblers.map(async (c) => {
      for (let i = 0; i < 10 && !c.isClosed; i++) {
        await c.write(dribbleStream.subarray(i, i + 1));
        dribbled.set(c, i + 1);
        await Promise.race([sleep(1000), c.closed]);
      }
    });

    // At the limit: one more connection is closed without an answer.
    await sleep(100);
    const extra = await TcpClient.connect(edge.port);
    await extra.write(frame(aQuery(399, 'www.example.com')));
    expect(await extra.next(1000), 'a connection over the limit gets no answer').toBeNull();
    expect(await extra.waitClosed(500), 'a connection over the limit is closed').toBe(true);

    // Meanwhile UDP is answered promptly.
    const udp = await UdpClient.open();
    const slowClients = [...dribblers, ...prefixOnly, ...partial, ...idle];
    let udpAnswers = 0;
    for (let i = 0; slowClients.some((c) => !c.isClosed) && Date.now() - start < 6000; i++) {
      const t0 = Date.now();
      expectKnown(await udp.ask(aQuery(400 + i, 'www.example.com'), edge.port, 500), 400 + i, KNOWN[0]!);
      expect(Date.now() - t0).toBeLessThan(500);
      udpAnswers++;
      await sleep(100);
    }
    await udp.close();
    await Promise.all(dribbling);
    expect(udpAnswers).toBeGreaterThan(10);

    const after = (c: TcpClient) => c.closedAt! - start;
    for (const c of [...prefixOnly, ...partial]) {
      expect(c.isClosed, 'a stalled message is cut').toBe(true);
      expect(after(c)).toBeGreaterThanOrEqual(1800);
      expect(after(c)).toBeLessThan(3500);
    }
    for (const c of idle) {
      expect(c.isClosed, 'an idle connection is closed').toBe(true);
      expect(after(c)).toBeGreaterThanOrEqual(1800);
      expect(after(c)).toBeLessThan(3500);
    }
    for (const c of dribblers) {
      expect(c.isClosed, 'a dribbling client is cut').toBe(true);
      expect(after(c)).toBeLessThan(4500);
      expect(dribbled.get(c)!).toBeLessThanOrEqual(5);
      expect(c.bytesReceived, 'no answer to a message never completed').toBe(0);
    }

    // Slots free again: new clients are answered.
    await sleep(50);
    const fresh = await Promise.all(Array.from({ length: 5 }, connect));
    for (const [i, c] of fresh.entries()) {
      await c.write(frame(aQuery(500 + i, 'mail.example.com')));
      expectKnown(await c.next(1000), 500 + i, KNOWN[1]!);
    }
    await cleanup();
  });

  it('refuses connections over EDGE_TCP_MAX_CONNECTIONS without disturbing the open ones', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, connect));
    for (const [i, c] of clients.entries()) {
      await c.write(frame(aQuery(600 + i, 'www.example.com')));
      expectKnown(await c.next(1000), 600 + i, KNOWN[0]!);
    }
    const extras = await Promise.all(
      Array.from(
        { length: 5 },
        () => TcpClient.connect(edge.port).catch(() => null), // refused outright is fine too
      ),
    );
    for (const x of extras) {
      if (!x) continue;
      await x.write(frame(aQuery(699, 'www.example.com')));
      expect(await x.next(500)).toBeNull();
      expect(await x.waitClosed(500)).toBe(true);
    }
    for (const [i, c] of clients.entries()) {
      expect(c.isClosed).toBe(false);
      await c.write(frame(aQuery(700 + i, 'mail.example.com')));
      expectKnown(await c.next(1000), 700 + i, KNOWN[1]!);
    }
    await cleanup();
  });

  it('a zero-length or garbage message closes that connection only', async () => {
    const bystander = await connect();
    const broken: [string, Uint8Array, 'close' | 'formerr-or-close'][] = [
      ['zero-length message', Uint8Array.of(0, 0), 'close'],
      ['five octets of garbage', frame(Uint8Array.of(1, 2, 3, 4, 5)), 'close'],
      ['a response (QR=1)', frame(Buffer.from(aQuery(1, 'www.example.com')).fill(0x85, 2, 3)), 'close'],
      ['header only', frame(header(9, 0, 1, 0, 0, 0)), 'formerr-or-close'],
      [
        'garbage behind a header',
        frame(Buffer.concat([header(9, 0, 1, 0xffff, 0, 0), Buffer.alloc(30, 0xc0)])),
        'formerr-or-close',
      ],
      [
        '65535 octets of garbage',
        frame(
          Buffer.concat([
            header(9, 0, 1, 3, 3, 3),
            Buffer.from(
              fc.sample(fc.uint8Array({ minLength: 65523, maxLength: 65523 }), { seed: 7, numRuns: 1 })[0]!,
            ),
          ]),
        ),
        'formerr-or-close',
      ],
    ];
    for (const [what, bytes, outcome] of broken) {
      const c = await connect();
      await c.write(bytes);
      const r = await c.next(1000);
      if (outcome === 'close' || r === null) {
        expect(r, `${what}: no answer`).toBeNull();
        expect(await c.waitClosed(1000), `${what}: connection closed`).toBe(true);
      } else {
        const m = decodeMessage(r);
        expect(m.id, what).toBe(9);
        expect(m.rcode, `${what}: FORMERR`).toBe(FORMERR);
      }
      // The other connection is untouched.
      expect(bystander.isClosed, `${what}: bystander still open`).toBe(false);
      await bystander.write(frame(aQuery(800, 'www.example.com')));
      expectKnown(await bystander.next(1000), 800, KNOWN[0]!);
    }
    await cleanup();
  });

  it('stops taking queries from a client that does not read its answers (slow read)', async () => {
    // Each 35-octet query asks for a 3.3 KB answer; the client sends 10 000 of them and reads nothing.
    // The server must stop reading (or close) instead of queueing every answer in memory: a client
    // that keeps writing would otherwise grow the edge's memory 100 times faster than it sends.
    const c = await connect();
    c.socket.pause();
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => frame(aQuery(1, 'big.example.com', 16))));
    for (let i = 0; i < 10; i++) void c.write(batch);
    // The server's side of this connection (in-process edge): its queued output is what the client costs.
    const serverSide = () =>
      (process as unknown as { _getActiveHandles(): unknown[] })
        ._getActiveHandles()
        .find(
          (h): h is net.Socket =>
            h instanceof net.Socket && h.localPort === edge.port && h.remotePort === c.socket.localPort,
        );
    let most = 0;
    for (let t = 0; t < 30; t++) {
      const s = serverSide();
      if (!s) break; // closed: fine too
      most = Math.max(most, s.writableLength);
      await sleep(50);
    }
    expect(most, 'octets of answers queued for a client that does not read').toBeLessThan(8 * 1024 * 1024);
    await cleanup();
  });

  it('does not cut an active client whose writes straddle message boundaries', async () => {
    // Each message completes well within the idle timeout of its first octet (the guard's stated rule),
    // but every write ends inside the next message, so some input is always pending.
    const c = await connect();
    const messages = Array.from({ length: 8 }, (_, i) => frame(aQuery(900 + i, 'www.example.com')));
    const stream = Buffer.concat(messages);
    const step = messages[0]!.length;
    let sent = 0;
    let at = Math.floor(step / 2);
    await c.write(stream.subarray(0, at));
    while (at < stream.length && !c.isClosed) {
      await sleep(400);
      const next = Math.min(stream.length, at + step);
      await c.write(stream.subarray(at, next));
      at = next;
      sent++;
    }
    const ids: number[] = [];
    for (let i = 0; i < messages.length; i++) {
      const r = await c.next(1000);
      if (!r) break;
      ids.push(decodeMessage(r).id);
    }
    expect(ids, `answered before the connection was cut (${sent} writes, closed=${c.isClosed})`).toEqual(
      messages.map((_, i) => 900 + i),
    );
    await cleanup();
  });
});
