import { DnsError, WireError } from '../errors.js';
import type { Name } from '../name/name.js';
import { decodeRecord, encodeRecord, type ResourceRecord } from '../rr.js';
import { WireReader } from '../wire/reader.js';
import { WireWriter } from '../wire/writer.js';

/** The header bits of RFC 1035 §4.1.1, with AD and CD from RFC 4035 §3.2. */
export interface MessageFlags {
  /** Response (true) or query. */
  qr: boolean;
  /** Authoritative answer. */
  aa: boolean;
  /** Truncated: the answer did not fit; ask again over TCP. */
  tc: boolean;
  /** Recursion desired. */
  rd: boolean;
  /** Recursion available. */
  ra: boolean;
  /** Authentic data (DNSSEC-validated). */
  ad: boolean;
  /** Checking disabled (no DNSSEC validation wanted). */
  cd: boolean;
}

export interface Question {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
}

/**
 * A DNS message (RFC 1035 §4.1). `rcode` is the 4-bit header RCODE; the
 * extended bits live in the OPT record, which stays an ordinary record of
 * `additionals` (type 41, RDATA `{ bytes }`) — see `readEdns`.
 */
export interface Message {
  id: number;
  opcode: number;
  rcode: number;
  flags: MessageFlags;
  questions: readonly Question[];
  answers: readonly ResourceRecord[];
  authorities: readonly ResourceRecord[];
  additionals: readonly ResourceRecord[];
}

export const HEADER_OCTETS = 12;

// Smallest wire forms, used to reject counts the data cannot hold before
// looping over them: a question is a root name plus type and class, a record
// adds TTL and RDLENGTH.
const MIN_QUESTION_OCTETS = 5;
const MIN_RECORD_OCTETS = 11;

const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;
const AD = 0x0020;
const CD = 0x0010;

/** Flags with every bit clear, to spread overrides onto. */
export const NO_FLAGS: Readonly<MessageFlags> = Object.freeze({
  qr: false,
  aa: false,
  tc: false,
  rd: false,
  ra: false,
  ad: false,
  cd: false,
});

function flagBits(msg: Message): number {
  const f = msg.flags;
  if (!Number.isInteger(msg.opcode) || msg.opcode < 0 || msg.opcode > 15)
    throw new DnsError(
      'message.opcode',
      `opcode ${msg.opcode} does not fit the 4-bit OPCODE field`,
      'RFC 1035 §4.1.1',
    );
  if (!Number.isInteger(msg.rcode) || msg.rcode < 0 || msg.rcode > 15)
    throw new DnsError(
      'message.rcode',
      `rcode ${msg.rcode} does not fit the 4-bit RCODE field; higher codes go in the OPT record`,
      'RFC 6891 §6.1.3',
    );
  return (
    (f.qr ? QR : 0) |
    (msg.opcode << 11) |
    (f.aa ? AA : 0) |
    (f.tc ? TC : 0) |
    (f.rd ? RD : 0) |
    (f.ra ? RA : 0) |
    (f.ad ? AD : 0) |
    (f.cd ? CD : 0) |
    msg.rcode
  );
}

/** Wire form of a message, names compressed (RFC 1035 §4.1.4). No size limit is applied. */
export function encodeMessage(msg: Message): Uint8Array {
  const w = new WireWriter({ compression: true });
  w.u16(msg.id).u16(flagBits(msg));
  w.u16(msg.questions.length).u16(msg.answers.length).u16(msg.authorities.length).u16(msg.additionals.length);
  for (const q of msg.questions) w.name(q.name, { compress: true }).u16(q.type).u16(q.class);
  for (const section of [msg.answers, msg.authorities, msg.additionals])
    for (const rr of section) encodeRecord(rr, w);
  return w.finish();
}

/**
 * Parses a whole message. Anything malformed — a short header, counts the
 * data cannot hold, a truncated or bad record, octets after the last
 * record — is a WireError naming the section and record.
 */
export function decodeMessage(bytes: Uint8Array): Message {
  if (bytes.length < HEADER_OCTETS)
    throw new WireError(`message of ${bytes.length} octet(s) is shorter than the 12-octet header`);
  const r = new WireReader(bytes);
  const id = r.u16('id');
  const bits = r.u16('flags');
  const qd = r.u16('QDCOUNT');
  const an = r.u16('ANCOUNT');
  const ns = r.u16('NSCOUNT');
  const ar = r.u16('ARCOUNT');
  const least = qd * MIN_QUESTION_OCTETS + (an + ns + ar) * MIN_RECORD_OCTETS;
  if (least > r.remaining)
    throw new WireError(
      `counts QD=${qd} AN=${an} NS=${ns} AR=${ar} need at least ${least} octets; ${r.remaining} follow the header`,
    );
  const questions: Question[] = [];
  for (let i = 1; i <= qd; i++) {
    const what = `question ${i}`;
    questions.push({
      name: r.name(`${what} name`),
      type: r.u16(`${what} type`),
      class: r.u16(`${what} class`),
    });
  }
  const answers = readSection(r, an, 'answer');
  const authorities = readSection(r, ns, 'authority');
  const additionals = readSection(r, ar, 'additional');
  if (r.remaining > 0) throw new WireError(`${r.remaining} octet(s) after the last record`);
  return {
    id,
    opcode: (bits >> 11) & 0xf,
    rcode: bits & 0xf,
    flags: {
      qr: (bits & QR) !== 0,
      aa: (bits & AA) !== 0,
      tc: (bits & TC) !== 0,
      rd: (bits & RD) !== 0,
      ra: (bits & RA) !== 0,
      ad: (bits & AD) !== 0,
      cd: (bits & CD) !== 0,
    },
    questions,
    answers,
    authorities,
    additionals,
  };
}

function readSection(r: WireReader, count: number, section: string): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (let i = 1; i <= count; i++) {
    try {
      out.push(decodeRecord(r));
    } catch (e) {
      // RDATA codecs may throw plain DnsErrors; for a message every one of them is malformed wire data.
      if (e instanceof DnsError) throw new WireError(`${section} record ${i}: ${e.message}`);
      throw e;
    }
  }
  return out;
}
