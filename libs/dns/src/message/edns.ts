import { DnsError, WireError } from '../errors.js';
import { Name } from '../name/name.js';
import type { OpaqueRdata } from '../rdata/rdata.js';
import { RRType } from '../rdata/rrtype.js';
import type { ResourceRecord } from '../rr.js';
import { WireReader } from '../wire/reader.js';
import { WireWriter } from '../wire/writer.js';
import type { Message } from './message.js';

/** One EDNS option (RFC 6891 §6.1.2), its data left as octets. */
export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** What an OPT pseudo-record says (RFC 6891 §6.1.3). */
export interface Edns {
  /** The sender's UDP payload size: the CLASS field. */
  payloadSize: number;
  /** Upper 8 bits of the 12-bit RCODE. */
  extendedRcode: number;
  version: number;
  /** DNSSEC OK (RFC 3225). */
  dnssecOk: boolean;
  options: EdnsOption[];
}

const DO = 0x8000;

/** An OPT record for the additional section; it stays an ordinary record with opaque RDATA. */
export function ednsRecord(edns: Partial<Edns> & { payloadSize: number }): ResourceRecord<OpaqueRdata> {
  const { payloadSize, extendedRcode = 0, version = 0, dnssecOk = false, options = [] } = edns;
  if (!Number.isInteger(extendedRcode) || extendedRcode < 0 || extendedRcode > 0xff)
    throw new DnsError(
      'edns.rcode',
      `extended rcode ${extendedRcode} does not fit 8 bits`,
      'RFC 6891 §6.1.3',
    );
  if (!Number.isInteger(version) || version < 0 || version > 0xff)
    throw new DnsError('edns.version', `EDNS version ${version} does not fit 8 bits`, 'RFC 6891 §6.1.3');
  const w = new WireWriter({ initialSize: 16 });
  for (const o of options) w.u16(o.code).u16(o.data.length).bytes(o.data);
  return {
    name: Name.ROOT,
    type: RRType.OPT,
    class: payloadSize,
    // Multiplication, not <<: a shift by 24 would turn extended rcodes >= 128 negative.
    ttl: extendedRcode * 0x1000000 + version * 0x10000 + (dnssecOk ? DO : 0),
    data: { bytes: w.finish() },
  };
}

/**
 * The message's EDNS data, or undefined without an OPT record. More than one
 * OPT, or one not owned by the root, is malformed (RFC 6891 §6.1.1).
 */
export function readEdns(msg: Pick<Message, 'additionals'>): Edns | undefined {
  const opts = msg.additionals.filter((rr) => rr.type === RRType.OPT);
  if (opts.length === 0) return undefined;
  if (opts.length > 1) throw new WireError(`${opts.length} OPT records; a message may carry one`);
  const opt = opts[0]!;
  if (!opt.name.isRoot) throw new WireError(`OPT record owned by ${opt.name.toString()} instead of the root`);
  const bytes = (opt.data as OpaqueRdata).bytes;
  const r = new WireReader(bytes);
  const options: EdnsOption[] = [];
  while (r.remaining > 0) {
    const code = r.u16('EDNS option code');
    const length = r.u16('EDNS option length');
    options.push({ code, data: r.bytes(length, `EDNS option ${code}`) });
  }
  return {
    payloadSize: opt.class,
    extendedRcode: opt.ttl >>> 24,
    version: (opt.ttl >>> 16) & 0xff,
    dnssecOk: (opt.ttl & DO) !== 0,
    options,
  };
}

/** The full RCODE: the header's 4 bits joined with the OPT record's extended bits. */
export function responseCode(msg: Pick<Message, 'rcode' | 'additionals'>): number {
  const edns = readEdns(msg);
  return ((edns?.extendedRcode ?? 0) << 4) | msg.rcode;
}
