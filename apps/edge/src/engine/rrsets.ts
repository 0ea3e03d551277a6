// A node's records, as stored in the zone image's data pool:
//   u16 rrset count, then per RRset: u16 type, u32 TTL, u16 record count,
//   and per record: u16 length, RDATA octets (uncompressed wire form).
// Kept beside the prepared answers so a change can rebuild a node's answers
// without the control plane's text, and so the image is the whole zone.
import { put16, put32, u16, u32 } from './bytes.js';

export interface RRsetData {
  type: number;
  ttl: number;
  rdatas: Uint8Array[];
}

export function encodeRRsets(sets: readonly RRsetData[]): Uint8Array {
  let size = 2;
  for (const s of sets) {
    size += 8;
    for (const r of s.rdatas) size += 2 + r.length;
  }
  const out = new Uint8Array(size);
  put16(out, 0, sets.length);
  let p = 2;
  for (const s of sets) {
    put16(out, p, s.type);
    put32(out, p + 2, s.ttl);
    put16(out, p + 6, s.rdatas.length);
    p += 8;
    for (const r of s.rdatas) {
      put16(out, p, r.length);
      out.set(r, p + 2);
      p += 2 + r.length;
    }
  }
  return out;
}

/** Decodes a block; RDATA are views into `buf`. */
export function decodeRRsets(buf: Uint8Array, at: number): RRsetData[] {
  if (at < 0) return [];
  const n = u16(buf, at);
  const sets: RRsetData[] = [];
  let p = at + 2;
  for (let i = 0; i < n; i++) {
    const type = u16(buf, p);
    const ttl = u32(buf, p + 2);
    const count = u16(buf, p + 6);
    p += 8;
    const rdatas: Uint8Array[] = [];
    for (let j = 0; j < count; j++) {
      const len = u16(buf, p);
      rdatas.push(buf.subarray(p + 2, p + 2 + len));
      p += 2 + len;
    }
    sets.push({ type, ttl, rdatas });
  }
  return sets;
}
