import type { Name } from './name/name.js';
import type { EncodeOptions, PrintOptions } from './rdata/codec.js';
import {
  MAX_RDATA_OCTETS,
  compareBytes,
  decodeRdata,
  encodeRdata,
  printRdata,
  rdataToWire,
  rdataTooLong,
} from './rdata/rdata.js';
import { classToString, typeToString } from './rdata/rrtype.js';
import { WireError } from './errors.js';
import type { WireReader } from './wire/reader.js';
import type { WireWriter } from './wire/writer.js';

/** A resource record. `data` is the type's RDATA object (see each type's interface). */
export interface ResourceRecord<T = unknown> {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly data: T;
}

// Keyed by the RDATA object; the type is kept too, since the octets depend on it.
const canonicalCache = new WeakMap<object, { type: number; bytes: Uint8Array }>();

/** Canonical RDATA octets (RFC 4034 §6.2), cached per RDATA object: the basis of equality and ordering. */
export function canonicalRdata(rr: Pick<ResourceRecord, 'type' | 'data'>): Uint8Array {
  const key = rr.data as object;
  const hit = canonicalCache.get(key);
  if (hit && hit.type === rr.type) return hit.bytes;
  const bytes = rdataToWire(rr.type, rr.data, true);
  canonicalCache.set(key, { type: rr.type, bytes });
  return bytes;
}

/** Same owner, class, type and RDATA (TTL ignored): duplicates in the sense of RFC 2181 §5. */
export function sameRecord(a: ResourceRecord, b: ResourceRecord): boolean {
  return (
    a.type === b.type &&
    a.class === b.class &&
    a.name.equals(b.name) &&
    compareBytes(canonicalRdata(a), canonicalRdata(b)) === 0
  );
}

/** Canonical RR ordering (RFC 4034 §6.1 for owners, then type, then §6.3 RDATA). */
export function compareRecords(a: ResourceRecord, b: ResourceRecord): number {
  return (
    a.name.compare(b.name) ||
    a.type - b.type ||
    a.class - b.class ||
    compareBytes(canonicalRdata(a), canonicalRdata(b))
  );
}

/** `owner TTL CLASS TYPE RDATA`, names absolute unless `origin` is given. */
export function recordToString(rr: ResourceRecord, options: PrintOptions = {}): string {
  const owner = options.origin ? rr.name.toRelativeString(options.origin) : rr.name.toString();
  const rdata = printRdata(rr.type, rr.data, options);
  return `${owner} ${rr.ttl} ${classToString(rr.class)} ${typeToString(rr.type)}${rdata === '' ? '' : ' ' + rdata}`;
}

/** Writes a whole RR (RFC 1035 §4.1.3), patching RDLENGTH after the RDATA. */
export function encodeRecord(rr: ResourceRecord, w: WireWriter, options: EncodeOptions = {}): void {
  w.name(rr.name, { compress: !options.canonical, lower: !!options.canonical });
  w.u16(rr.type).u16(rr.class).u32(rr.ttl);
  const at = w.length;
  w.u16(0);
  encodeRdata(rr.type, rr.data, w, options);
  const length = w.length - at - 2;
  if (length > MAX_RDATA_OCTETS) throw rdataTooLong(rr.type, length);
  w.patchU16(at, length);
}

export function decodeRecord(r: WireReader): ResourceRecord {
  const name = r.name('owner');
  const type = r.u16('type');
  const cls = r.u16('class');
  const ttl = r.u32('ttl');
  const length = r.u16('rdlength');
  if (length > r.remaining)
    throw new WireError(`RDLENGTH ${length} overruns the message (${r.remaining} left)`);
  const data = decodeRdata(type, r, length);
  return { name, type, class: cls, ttl, data };
}
