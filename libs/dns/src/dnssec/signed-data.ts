import type { Name } from '../name/name.js';
import type { RRSIGRdata } from '../rdata/types/dnssec.js';
import { CLASS_IN } from '../rdata/rrtype.js';
import { rdataToWire } from '../rdata/rdata.js';

/** RRSIG RDATA without its signature: what the signature covers first (RFC 4034 §3.1.8.1). */
export type RRSIGHeader = Omit<RRSIGRdata, 'signature'>;

/** The labels field: the owner's labels, not counting a leading `*` (RFC 4034 §3.1.3). */
export function rrsigLabels(owner: Name): number {
  return owner.labelCount - (owner.isWildcard ? 1 : 0);
}

/**
 * The octets an RRSIG signs (RFC 4034 §3.1.8.1, §6.2): the RRSIG RDATA
 * without the signature, then each record in canonical form and order, with
 * the original TTL. `rdatas` must already be in canonical order, as a zone's
 * RRsets are (see RRset).
 */
export function signedData(header: RRSIGHeader, owner: Name, rdatas: readonly unknown[]): Uint8Array {
  const signer = lowerWire(header.signerName);
  const ownerWire = lowerWire(owner);
  // Encoded without canonicalRdata's cache: a full sign passes every RDATA of the zone here
  // once, and a cache entry for each would only burden the garbage collector.
  const bodies = rdatas.map((data) => rdataToWire(header.typeCovered, data, true));
  let size = 18 + signer.length;
  for (const b of bodies) size += ownerWire.length + 10 + b.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint16(0, header.typeCovered);
  out[2] = header.algorithm;
  out[3] = header.labels;
  view.setUint32(4, header.originalTtl);
  view.setUint32(8, header.expiration >>> 0);
  view.setUint32(12, header.inception >>> 0);
  view.setUint16(16, header.keyTag);
  out.set(signer, 18);
  let p = 18 + signer.length;
  for (const b of bodies) {
    out.set(ownerWire, p);
    p += ownerWire.length;
    view.setUint16(p, header.typeCovered);
    view.setUint16(p + 2, CLASS_IN);
    view.setUint32(p + 4, header.originalTtl);
    view.setUint16(p + 8, b.length);
    out.set(b, p + 10);
    p += 10 + b.length;
  }
  return out;
}

let lastName: Name | undefined;
let lastWire: Uint8Array | undefined;

/** A name's canonical (lower-case) wire form; the signer's name repeats in every call. */
function lowerWire(name: Name): Uint8Array {
  if (name === lastName) return lastWire!;
  const w = name.wire;
  let upper = false;
  for (let i = 0; i < w.length; i++) if (w[i]! >= 0x41 && w[i]! <= 0x5a) upper = true;
  const out = upper ? name.toLowerCase().wire : w;
  lastName = name;
  lastWire = out;
  return out;
}
