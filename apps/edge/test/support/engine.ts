// Test helpers: compile zones from master-file text, ask a Responder
// in-process, and print answers in presentation form for comparisons.
import {
  decodeMessage,
  encodeMessage,
  makeQuery,
  Name,
  readEdns,
  recordToString,
  type Message,
} from '@herald/dns';
import { buildZone } from '../../src/engine/build.js';
import { Catalog } from '../../src/engine/catalog.js';
import type { ZoneImage } from '../../src/engine/zone-image.js';
import { Responder, type ResponderOptions } from '../../src/pipeline/respond.js';
import { ZoneTextReader } from '../../src/sync/zone-text.js';
import { soaSerial } from '../../src/sync/syncer.js';

export function compile(origin: string, text: string): ZoneImage {
  const reader = new ZoneTextReader(origin);
  reader.write(text);
  const records = reader.end();
  return buildZone(Name.parse(origin).wire, records, soaSerial(records));
}

export function serve(zones: Record<string, string | ZoneImage>, options: Partial<ResponderOptions> = {}) {
  const catalog = new Catalog();
  for (const [origin, z] of Object.entries(zones))
    catalog.set(origin, typeof z === 'string' ? compile(origin, z) : z);
  return { catalog, responder: new Responder(catalog, { chaos: {}, ...options }) };
}

export interface AskOptions {
  tcp?: boolean;
  edns?: { payloadSize: number; dnssecOk?: boolean };
  class?: number;
  id?: number;
}

export interface Answer {
  msg: Message;
  bytes: Buffer;
  rcode: number;
  aa: boolean;
  tc: boolean;
  answer: string[];
  authority: string[];
  additional: string[];
}

/** Sections as sorted presentation lines (owner lowercased); OPT left out of `additional`. */
export function ask(responder: Responder, name: string, type: number, options: AskOptions = {}): Answer {
  const q = makeQuery(Name.parse(name), type, {
    id: options.id ?? 4242,
    recursionDesired: false,
    ...(options.edns ? { edns: options.edns } : {}),
    ...(options.class ? { class: options.class } : {}),
  });
  const bytes = responder.respond(encodeMessage(q), options.tcp ?? false, '192.0.2.99');
  if (!bytes) throw new Error('no response');
  const msg = decodeMessage(bytes);
  const lines = (rrs: Message['answers']) =>
    rrs
      .filter((rr) => rr.type !== 41)
      .map((rr) => recordToString({ ...rr, name: rr.name.toLowerCase() }))
      .sort();
  const edns = readEdns(msg);
  return {
    msg,
    bytes,
    rcode: msg.rcode + (edns ? (edns.extendedRcode ?? 0) << 4 : 0),
    aa: msg.flags.aa,
    tc: msg.flags.tc,
    answer: lines(msg.answers),
    authority: lines(msg.authorities),
    additional: lines(msg.additionals),
  };
}
