import type { Name } from '../name/name.js';
import { CLASS_IN } from '../rdata/rrtype.js';
import { Opcode } from './codes.js';
import { ednsRecord } from './edns.js';
import { NO_FLAGS, type Message } from './message.js';

export interface QueryOptions {
  /** 16-bit message id; callers pick it at random so answers cannot be guessed (RFC 5452 §4.3). */
  id: number;
  recursionDesired: boolean;
  /** Adds an OPT record offering this UDP payload size (RFC 6891). */
  edns?: { payloadSize: number; dnssecOk?: boolean };
  /** Default IN. */
  class?: number;
}

/** A standard query for one name and type. */
export function makeQuery(name: Name, type: number, options: QueryOptions): Message {
  return {
    id: options.id,
    opcode: Opcode.QUERY,
    rcode: 0,
    flags: { ...NO_FLAGS, rd: options.recursionDesired },
    questions: [{ name, type, class: options.class ?? CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: options.edns
      ? [ednsRecord({ payloadSize: options.edns.payloadSize, dnssecOk: options.edns.dnssecOk ?? false })]
      : [],
  };
}
