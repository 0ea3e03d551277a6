// One served zone, compiled: every name (and empty non-terminal) is a node in
// an open-addressing hash table over typed arrays. A node holds its RRsets as
// wire data (the `data` pool) and its answer table (the `ans` pool: prepared
// responses per query type). The query path reads these arrays and pools
// only; nothing here is a per-record JavaScript object.
import { BytePool, equalBytes, grow } from './bytes.js';
import { hashLabel, hashName } from './name-hash.js';

/** Node flags. */
export const F_APEX = 1;
/** NS RRset at a non-apex name: a zone cut (RFC 1034 §4.2.1). */
export const F_DELEG = 2;
/** Below a zone cut or a DNAME: never answered directly (glue or occluded data). */
export const F_OCCLUDED = 4;
/** Has a `*` child: the source of synthesis for names under it (RFC 4592). */
export const F_WILDKID = 8;
export const F_CNAME = 16;
export const F_DNAME = 32;
/** An empty non-terminal: exists (RFC 4592 §2.2.2) but owns no records. */
export const F_ENT = 64;
/** The node is itself a wildcard (`*.x`). */
export const F_WILDCARD = 128;
/**
 * An NSEC3 owner (RFC 5155 §7.2.9: hashed owner names are not part of the
 * zone's namespace). Stored in the same table under a different hash, so
 * the query path never finds it; it has no answers of its own.
 */
export const F_NSEC3 = 256;

/** Mixed into the hash of NSEC3 owners: lookups by the ordinary hash never reach them. */
const NSEC3_TWEAK = 0x5f3759df;

const EMPTY = 0;

export class ZoneImage {
  /** Lowercase wire form of the apex. */
  readonly origin: Uint8Array;
  readonly originLabels: number;
  serial = 0;
  /** Number of resource records served (for /metrics). */
  records = 0;

  names: BytePool;
  data: BytePool;
  ans: BytePool;

  /** Node ids are dense; `top` is the high-water mark, `free` the reusable ids. */
  top = 0;
  live = 0;
  free: number[] = [];
  nameOff: Int32Array;
  nameLen: Uint8Array;
  hash: Int32Array;
  flags: Uint16Array;
  rrOff: Int32Array;
  ansOff: Int32Array;
  kids: Int32Array;
  /** Hash slots: node id + 1, 0 when empty (linear probing). */
  slots: Int32Array;
  mask: number;

  /** Pool sizes right after the last full compile (apply compacts when they double). */
  baseAns = 0;
  baseData = 0;

  /** Zone-wide prepared answers (offsets in `ans`). */
  nodata = -1;
  nxdomain = -1;
  /** Template holding only the SOA record appended to negative answers (built for the apex, pointers into it only). */
  soaTail = -1;

  // ---- DNSSEC (engine/dnssec.ts). Signed answers (DO=1) are built on first
  // use into their own pool, and the whole pool is dropped on any change to
  // a signed zone: nothing to track, and the non-DO tables stay as they are.
  /** The apex SOA carries an RRSIG (Knot's rule): DO answers carry signatures and proofs. */
  signed = false;
  /** Denial of existence by NSEC3 (an NSEC3PARAM at the apex), else NSEC. */
  nsec3 = false;
  n3salt: Uint8Array = new Uint8Array(0);
  n3iterations = 0;
  /** Nodes owning an NSEC RRset, in canonical order (RFC 4034 §6.1). */
  nsecOrder: number[] = [];
  /** NSEC3 owner nodes, in hash order (base32hex keeps the order of the hashes). */
  n3Order: number[] = [];
  /** Signed templates, proof chunks, and each node's signed answer table. */
  dans = new BytePool(4096);
  /** Per node: offset + 1 of its signed answer table in `dans` (0: not built yet). */
  doOff: Int32Array;
  /** Per NSEC/NSEC3 owner: offset + 1 of its proof chunk in `dans` (0: not built yet). */
  proofOff: Int32Array;
  soaTailDo = -1;
  nxdomainDo = -1;

  /** Names a node's answers were built from (targets, glue, chains): name key -> dependent node ids. */
  refs = new Map<string, Set<number>>();

  constructor(origin: Uint8Array, capacity = 16) {
    this.origin = origin;
    let labels = 0;
    for (let p = 0; origin[p] !== 0; p += origin[p]! + 1) labels++;
    this.originLabels = labels;
    this.names = new BytePool(Math.max(4096, capacity * 24));
    this.data = new BytePool(Math.max(4096, capacity * 24));
    this.ans = new BytePool(Math.max(4096, capacity * 32));
    this.nameOff = new Int32Array(capacity);
    this.nameLen = new Uint8Array(capacity);
    this.hash = new Int32Array(capacity);
    this.flags = new Uint16Array(capacity);
    this.rrOff = new Int32Array(capacity);
    this.ansOff = new Int32Array(capacity);
    this.kids = new Int32Array(capacity);
    this.doOff = new Int32Array(capacity);
    this.proofOff = new Int32Array(capacity);
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** The node whose lowercase wire name is `key[off..off+len)` with hash `h`, or -1. */
  find(key: Uint8Array, off: number, len: number, h: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const v = slots[s]!;
      if (v === EMPTY) return -1;
      const id = v - 1;
      if (
        this.hash[id] === h &&
        this.nameLen[id] === len &&
        equalBytes(this.names.buf, this.nameOff[id]!, key, off, len)
      )
        return id;
      s = (s + 1) & mask;
    }
  }

  /** Lookup by a whole lowercase wire name (compile time). */
  findName(lower: Uint8Array): number {
    return this.find(lower, 0, lower.length, hashName(lower, 0));
  }

  /** Lookup of an NSEC3 owner (compile time). */
  findNsec3(lower: Uint8Array): number {
    return this.find(lower, 0, lower.length, hashName(lower, 0) ^ NSEC3_TWEAK);
  }

  /** Creates an NSEC3 owner node: no parent, no children, invisible to ordinary lookups. */
  addNsec3Node(lower: Uint8Array): number {
    const id = this.addNode(lower, hashName(lower, 0) ^ NSEC3_TWEAK);
    this.flags[id] = F_NSEC3;
    return id;
  }

  nameOf(id: number): Uint8Array {
    const at = this.nameOff[id]!;
    return this.names.buf.subarray(at, at + this.nameLen[id]!);
  }

  /** Creates a node (no records, no flags) for a name that is not in the table. */
  addNode(lower: Uint8Array, h = hashName(lower, 0)): number {
    // Grow first, so the rehash does not see (and insert) the new node.
    if ((this.live + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    let id: number;
    if (this.free.length > 0) id = this.free.pop()!;
    else {
      id = this.top++;
      if (id >= this.nameOff.length) this.growNodes(id + 1);
    }
    this.nameOff[id] = this.names.append(lower);
    this.nameLen[id] = lower.length;
    this.hash[id] = h;
    this.flags[id] = 0;
    this.rrOff[id] = -1;
    this.ansOff[id] = -1;
    this.kids[id] = 0;
    if (id < this.doOff.length) {
      this.doOff[id] = 0;
      this.proofOff[id] = 0;
    }
    this.live++;
    this.insertSlot(id);
    return id;
  }

  /** Removes a node from the table; its id is reused later. */
  removeNode(id: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let s = this.hash[id]! & mask;
    while (slots[s] !== id + 1) s = (s + 1) & mask;
    // Backward-shift deletion keeps linear probing correct without tombstones.
    let hole = s;
    let j = s;
    for (;;) {
      j = (j + 1) & mask;
      const v = slots[j]!;
      if (v === EMPTY) break;
      const home = this.hash[v - 1]! & mask;
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        slots[hole] = v;
        hole = j;
      }
    }
    slots[hole] = EMPTY;
    this.flags[id] = 0;
    this.rrOff[id] = -1;
    this.ansOff[id] = -1;
    this.nameLen[id] = 0;
    this.free.push(id);
    this.live--;
  }

  private insertSlot(id: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let s = this.hash[id]! & mask;
    while (slots[s] !== EMPTY) s = (s + 1) & mask;
    slots[s] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    const free = new Set(this.free);
    for (let id = 0; id < this.top; id++) if (!free.has(id)) this.insertSlot(id);
  }

  private growNodes(n: number): void {
    this.nameOff = grow(this.nameOff, n);
    this.nameLen = grow(this.nameLen, n);
    this.hash = grow(this.hash, n);
    this.flags = grow(this.flags, n);
    this.rrOff = grow(this.rrOff, n);
    this.ansOff = grow(this.ansOff, n);
    this.kids = grow(this.kids, n);
    this.doOff = grow(this.doOff, n);
    this.proofOff = grow(this.proofOff, n);
  }

  /** The parent node of a non-apex node (always present: ancestors up to the apex exist). */
  parentOf(id: number): number {
    const name = this.nameOf(id);
    const parent = name.subarray(name[0]! + 1);
    return this.findName(parent);
  }

  isApex(id: number): boolean {
    return (this.flags[id]! & F_APEX) !== 0;
  }
}

/** Hash of `*.<name>` given the hash of `<name>` (labels are hashed root first). */
export function wildcardHash(h: number): number {
  return hashLabel(h, STAR, 0);
}

export const STAR = Uint8Array.of(1, 0x2a);
