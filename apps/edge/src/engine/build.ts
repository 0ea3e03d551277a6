// Compiles a whole zone from its records: nodes (with empty non-terminals),
// flags, RRset blocks, then every node's answers.
import { Name } from '@herald/dns';
import { compileNode, compileShared, rrsetsOf, inZone, TYPE_CNAME, TYPE_DNAME, TYPE_NS } from './compile.js';
import { buildOrders, isNsec3Record, refreshDnssec, resetSigned } from './dnssec.js';
import { hashName, lowerName } from './name-hash.js';
import { encodeRRsets, type RRsetData } from './rrsets.js';
import {
  F_APEX,
  F_CNAME,
  F_DELEG,
  F_DNAME,
  F_ENT,
  F_NSEC3,
  F_OCCLUDED,
  F_WILDCARD,
  F_WILDKID,
  ZoneImage,
} from './zone-image.js';

/** One record in wire form; `owner` in any letter case. */
export interface WireRecord {
  owner: Uint8Array;
  type: number;
  ttl: number;
  rdata: Uint8Array;
}

export class ZoneDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZoneDataError';
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds a record to a node's RRsets; the RRset takes the record's TTL. Duplicates are ignored. */
export function addToSets(sets: RRsetData[], type: number, ttl: number, rdata: Uint8Array): void {
  let set = sets.find((s) => s.type === type);
  if (!set) sets.push((set = { type, ttl, rdatas: [] }));
  set.ttl = ttl;
  if (!set.rdatas.some((r) => sameBytes(r, rdata))) set.rdatas.push(rdata);
}

/** Removes a record; false when it is not there. */
export function removeFromSets(sets: RRsetData[], type: number, rdata: Uint8Array): boolean {
  const i = sets.findIndex((s) => s.type === type);
  if (i < 0) return false;
  const set = sets[i]!;
  const j = set.rdatas.findIndex((r) => sameBytes(r, rdata));
  if (j < 0) return false;
  set.rdatas.splice(j, 1);
  if (set.rdatas.length === 0) sets.splice(i, 1);
  return true;
}

/** Flags that follow from a node's own RRsets. */
export function dataFlags(sets: readonly RRsetData[], apex: boolean): number {
  let f = apex ? F_APEX : 0;
  if (sets.length === 0) f |= F_ENT;
  for (const s of sets) {
    if (s.type === TYPE_CNAME) f |= F_CNAME;
    else if (s.type === TYPE_DNAME) f |= F_DNAME;
    else if (s.type === TYPE_NS && !apex) f |= F_DELEG;
  }
  return f;
}

/** Creates the node for `lower` and any missing ancestors (empty non-terminals) up to the apex. */
export function ensureNode(img: ZoneImage, lower: Uint8Array, created?: number[]): number {
  const existing = img.findName(lower);
  if (existing >= 0) return existing;
  const id = img.addNode(lower, hashName(lower, 0));
  created?.push(id);
  img.flags[id] = F_ENT | (lower[0] === 1 && lower[1] === 0x2a ? F_WILDCARD : 0);
  if (lower.length > img.origin.length) {
    const parent = ensureNode(img, lower.subarray(lower[0]! + 1), created);
    img.kids[parent]!++;
    if (img.flags[id]! & F_WILDCARD) img.flags[parent]! |= F_WILDKID;
    // Below a cut or a DNAME, names are glue or occluded (RFC 6672 §2.3).
    if (img.flags[parent]! & (F_DELEG | F_DNAME | F_OCCLUDED)) img.flags[id]! |= F_OCCLUDED;
  }
  return id;
}

/** The node of an NSEC3 owner, created when missing. */
export function ensureNsec3Node(img: ZoneImage, lower: Uint8Array): number {
  const id = img.findNsec3(lower);
  return id >= 0 ? id : img.addNsec3Node(lower);
}

/**
 * Builds a zone record by record (streamed from a parser: no list of all
 * records is kept), then compiles it. Records are grouped by owner straight
 * into the zone's own name table.
 */
export class ZoneBuilder {
  private readonly img: ZoneImage;
  private readonly apexLower: Uint8Array;
  private sets: RRsetData[][] = [];
  private count = 0;

  constructor(origin: Uint8Array, expectedNames = 1024) {
    this.apexLower = lowerName(origin);
    this.img = new ZoneImage(this.apexLower, expectedNames);
  }

  add(rr: WireRecord): void {
    const lower = lowerName(rr.owner);
    if (!inZone(this.img, lower))
      throw new ZoneDataError(`${nameText(lower)} is outside the zone ${nameText(this.apexLower)}`);
    // NSEC3 owners are kept apart from the zone's names (RFC 5155 §7.2.9).
    const id = isNsec3Record(rr.type, rr.rdata)
      ? ensureNsec3Node(this.img, lower)
      : ensureNode(this.img, lower);
    const sets = (this.sets[id] ??= []);
    addToSets(sets, rr.type, rr.ttl, rr.rdata);
    this.count++;
  }

  finish(serial: number): ZoneImage {
    const img = this.img;
    const apex = img.findName(this.apexLower);
    if (apex < 0 || !this.sets[apex]?.length)
      throw new ZoneDataError('the zone has no records at its apex (no SOA)');
    img.serial = serial;
    img.records = this.count;
    for (let id = 0; id < img.top; id++) {
      const sets = this.sets[id];
      if (!sets || sets.length === 0) continue;
      img.rrOff[id] = img.data.append(encodeRRsets(sets));
      if (img.flags[id]! & F_NSEC3) continue;
      const inherited = img.flags[id]! & (F_OCCLUDED | F_WILDCARD | F_WILDKID);
      img.flags[id] = inherited | dataFlags(sets, id === apex);
    }
    this.sets = [];
    markOccluded(img);
    compileShared(img);
    refreshDnssec(img);
    buildOrders(img);
    resetSigned(img);
    for (let id = 0; id < img.top; id++) if (img.nameLen[id]! > 0) compileNode(img, id);
    img.names.trim();
    img.data.trim();
    img.ans.trim();
    img.baseAns = img.ans.used;
    img.baseData = img.data.used;
    return img;
  }
}

/** Compiles a zone; throws ZoneDataError when the data cannot be served (no SOA, names outside the zone). */
export function buildZone(origin: Uint8Array, records: Iterable<WireRecord>, serial: number): ZoneImage {
  const builder = new ZoneBuilder(origin);
  for (const rr of records) builder.add(rr);
  return builder.finish(serial);
}

/** Marks every node below a cut or DNAME (nodes are created parents first, but data may arrive in any order). */
function markOccluded(img: ZoneImage): void {
  for (let id = 0; id < img.top; id++) {
    if (img.nameLen[id] === 0 || img.flags[id]! & (F_APEX | F_NSEC3)) continue;
    let name = img.nameOf(id);
    name = name.subarray(name[0]! + 1);
    while (name.length >= img.origin.length) {
      const p = img.findName(name);
      if (p >= 0 && img.flags[p]! & (F_DELEG | F_DNAME)) {
        img.flags[id]! |= F_OCCLUDED;
        break;
      }
      if (name.length === img.origin.length) break;
      name = name.subarray(name[0]! + 1);
    }
  }
}

/** Every record of a compiled zone (for a rebuild after a structural change, and for tests). */
export function* zoneRecords(img: ZoneImage): Generator<WireRecord> {
  for (let id = 0; id < img.top; id++) {
    if (img.nameLen[id] === 0) continue;
    const owner = img.nameOf(id).slice();
    for (const s of rrsetsOf(img, id))
      for (const r of s.rdatas) yield { owner, type: s.type, ttl: s.ttl, rdata: r.slice() };
  }
}

/** Presentation form of a wire name, for messages. */
export function nameText(wire: Uint8Array): string {
  return Name.fromWireUnchecked(wire).toString();
}
