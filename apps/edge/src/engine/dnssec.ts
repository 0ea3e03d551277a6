// DNSSEC support for signed zones served as they are (the signer is elsewhere):
// which zone is signed and how it denies existence, the canonical NSEC order
// and the NSEC3 hash order, and the proofs a negative or wildcard answer needs
// (RFC 4035 §3.1.3, RFC 5155 §7.2). Signed templates are built on first use
// into the zone's `dans` pool (compile.ts, compileNodeDo); this file finds
// which NSEC/NSEC3 records prove what.
//
// NSEC3 owners live in their own namespace (RFC 5155 §7.2.9): their nodes
// are flagged F_NSEC3 and hashed differently, so queries never see them.
// The NSEC3 of a name that exists is found at compile time; the "next
// closer" name of an NXDOMAIN or wildcard answer depends on the query, so
// that one SHA-1 (iterations per NSEC3PARAM; RFC 9276 recommends 0) is
// computed per such query, followed by a binary search over the sorted
// hashes. Everything else is precompiled.
import { createHash } from 'node:crypto';
import { BytePool, u16 } from './bytes.js';
import { decodeRRsets, type RRsetData } from './rrsets.js';
import { F_NSEC3, F_OCCLUDED, STAR, type ZoneImage } from './zone-image.js';

export const TYPE_RRSIG = 46;
export const TYPE_NSEC = 47;
export const TYPE_NSEC3 = 50;
export const TYPE_NSEC3PARAM = 51;
const TYPE_SOA = 6;

/** Records that belong to the NSEC3 namespace: NSEC3 and the RRSIGs covering it. */
export function isNsec3Record(type: number, rdata: Uint8Array): boolean {
  return type === TYPE_NSEC3 || (type === TYPE_RRSIG && rdata.length >= 2 && u16(rdata, 0) === TYPE_NSEC3);
}

/** DNSSEC meta-types never listed in ANY answers without DO, nor chosen as the minimal ANY RRset. */
export function isDnssecMeta(type: number): boolean {
  return type === TYPE_RRSIG || type === TYPE_NSEC || type === TYPE_NSEC3;
}

/** The RRSIG records at a node that cover `type` (RFC 4034 §3.1.1). */
export function sigsFor(sets: readonly RRsetData[], type: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const s of sets)
    if (s.type === TYPE_RRSIG) for (const r of s.rdatas) if (u16(r, 0) === type) out.push(r);
  return out;
}

// ---- canonical order (RFC 4034 §6.1), no allocation

const SA = new Int32Array(128);
const SB = new Int32Array(128);

function labelStarts(buf: Uint8Array, at: number, out: Int32Array): number {
  let n = 0;
  let p = at;
  while (buf[p] !== 0) {
    out[n++] = p;
    p += buf[p]! + 1;
  }
  return n;
}

/** Compares two lowercase wire names in canonical order. */
export function canonCompare(a: Uint8Array, ao: number, b: Uint8Array, bo: number): number {
  let i = labelStarts(a, ao, SA) - 1;
  let j = labelStarts(b, bo, SB) - 1;
  while (i >= 0 && j >= 0) {
    const pa = SA[i]!;
    const pb = SB[j]!;
    const la = a[pa]!;
    const lb = b[pb]!;
    const n = la < lb ? la : lb;
    for (let k = 1; k <= n; k++) {
      const d = a[pa + k]! - b[pb + k]!;
      if (d !== 0) return d;
    }
    if (la !== lb) return la - lb;
    i--;
    j--;
  }
  return i - j;
}

function nodeCompare(img: ZoneImage, id: number, name: Uint8Array, at: number): number {
  return canonCompare(img.names.buf, img.nameOff[id]!, name, at);
}

/** Index of the last NSEC owner <= name (canonical), or -1 when the name sorts before all of them. */
function nsecFloor(img: ZoneImage, name: Uint8Array, at: number): number {
  const order = img.nsecOrder;
  let lo = 0;
  let hi = order.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (nodeCompare(img, order[mid]!, name, at) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The NSEC that matches or covers `name` (the last owner <= name; wraps to the last one). */
export function nsecCover(img: ZoneImage, name: Uint8Array, at = 0): number {
  const order = img.nsecOrder;
  if (order.length === 0) return -1;
  const i = nsecFloor(img, name, at);
  return order[i < 0 ? order.length - 1 : i]!;
}

export function nsecInsert(img: ZoneImage, id: number): void {
  const name = img.nameOf(id);
  const i = nsecFloor(img, name, 0);
  if (i >= 0 && img.nsecOrder[i] === id) return;
  img.nsecOrder.splice(i + 1, 0, id);
}

export function nsecRemove(img: ZoneImage, id: number): void {
  const i = nsecFloor(img, img.nameOf(id), 0);
  if (i >= 0 && img.nsecOrder[i] === id) img.nsecOrder.splice(i, 1);
  else {
    const j = img.nsecOrder.indexOf(id);
    if (j >= 0) img.nsecOrder.splice(j, 1);
  }
}

// ---- NSEC3 hash order: the first label of each owner, base32hex (order-preserving, RFC 4648 §7)

/** Compares an NSEC3 owner's first label with `len` octets of a lowercase base32hex hash. */
function n3Compare(img: ZoneImage, id: number, hash: Uint8Array, len: number): number {
  const buf = img.names.buf;
  const at = img.nameOff[id]!;
  const l = buf[at]!;
  const n = l < len ? l : len;
  for (let k = 0; k < n; k++) {
    const d = buf[at + 1 + k]! - hash[k]!;
    if (d !== 0) return d;
  }
  return l - len;
}

/** Index of the last NSEC3 owner whose hash <= `hash`, or -1. */
function n3Floor(img: ZoneImage, hash: Uint8Array, len: number): number {
  const order = img.n3Order;
  let lo = 0;
  let hi = order.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (n3Compare(img, order[mid]!, hash, len) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The NSEC3 owner whose hash equals `hash`, or -1. */
export function n3Match(img: ZoneImage, hash: Uint8Array): number {
  const i = n3Floor(img, hash, 32);
  if (i < 0) return -1;
  const id = img.n3Order[i]!;
  return n3Compare(img, id, hash, 32) === 0 ? id : -1;
}

/** The NSEC3 that covers `hash` (the last owner < hash, wrapping to the last one; RFC 5155 §1.3). */
export function n3Cover(img: ZoneImage, hash: Uint8Array): number {
  const order = img.n3Order;
  if (order.length === 0) return -1;
  let i = n3Floor(img, hash, 32);
  if (i >= 0 && n3Compare(img, order[i]!, hash, 32) === 0) i--;
  return order[i < 0 ? order.length - 1 : i]!;
}

function n3Key(img: ZoneImage, id: number): Uint8Array {
  const at = img.nameOff[id]!;
  return img.names.buf.subarray(at + 1, at + 1 + img.names.buf[at]!);
}

export function n3Insert(img: ZoneImage, id: number): void {
  const key = n3Key(img, id);
  const i = n3Floor(img, key, key.length);
  if (i >= 0 && img.n3Order[i] === id) return;
  img.n3Order.splice(i + 1, 0, id);
}

export function n3Remove(img: ZoneImage, id: number): void {
  const j = img.n3Order.indexOf(id);
  if (j >= 0) img.n3Order.splice(j, 1);
}

const B32 = Uint8Array.from(Buffer.from('0123456789abcdefghijklmnopqrstuv', 'latin1'));

/**
 * The NSEC3 hash (RFC 5155 §5) of the lowercase wire name `name[at..at+len)`,
 * as 32 lowercase base32hex octets into `out`.
 */
export function nsec3Hash(img: ZoneImage, name: Uint8Array, at: number, len: number, out: Uint8Array): void {
  let h = createHash('sha1')
    .update(name.subarray(at, at + len))
    .update(img.n3salt)
    .digest();
  for (let i = 0; i < img.n3iterations; i++) h = createHash('sha1').update(h).update(img.n3salt).digest();
  // 20 octets = 160 bits = 32 symbols of 5 bits.
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < 20; i++) {
    acc = ((acc << 8) | h[i]!) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out[o++] = B32[(acc >>> bits) & 31]!;
    }
  }
}

const HASH = new Uint8Array(32);

/** The NSEC3 owner matching a name (compile time), or -1. */
export function n3MatchName(img: ZoneImage, lower: Uint8Array): number {
  nsec3Hash(img, lower, 0, lower.length, HASH);
  return n3Match(img, HASH);
}

/** The NSEC3 owner covering a name's hash, or -1. */
export function n3CoverName(img: ZoneImage, name: Uint8Array, at = 0, len = name.length - at): number {
  nsec3Hash(img, name, at, len, HASH);
  return n3Cover(img, HASH);
}

function wildcardOf(lower: Uint8Array): Uint8Array {
  const w = new Uint8Array(lower.length + 2);
  w.set(STAR, 0);
  w.set(lower, 2);
  return w;
}

/**
 * The records that prove `name` does not exist (RFC 4035 §3.1.3.2, RFC 5155
 * §7.2.2), given its closest encloser `ce` (a node id): NSEC covering the
 * name and NSEC covering `*.<ce>`; or the NSEC3 matching the closest
 * encloser, the one covering the next closer name and the one covering
 * `*.<ce>`. Duplicates removed; owner node ids in answer order.
 */
export function nxdomainProof(img: ZoneImage, name: Uint8Array, ce: number): number[] {
  const ceName = img.nameOf(ce);
  const out: number[] = [];
  const push = (id: number) => {
    if (id >= 0 && !out.includes(id)) out.push(id);
  };
  if (img.nsec3) {
    push(n3MatchName(img, ceName));
    push(n3CoverName(img, name, nextCloserAt(name, ceName.length)));
    push(n3CoverName(img, wildcardOf(ceName)));
  } else {
    push(nsecCover(img, name));
    push(nsecCover(img, wildcardOf(ceName)));
  }
  return out;
}

/** Offset in `name` of the next closer name: one label more than a closest encloser of `ceLen` octets. */
export function nextCloserAt(name: Uint8Array, ceLen: number): number {
  let p = 0;
  for (;;) {
    const next = p + name[p]! + 1;
    if (name.length - next <= ceLen) return p;
    p = next;
  }
}

/**
 * The NODATA proof at an existing node (RFC 4035 §3.1.3.1, RFC 5155 §7.2.3):
 * its NSEC, or its matching NSEC3. An empty non-terminal has no NSEC: the
 * NSEC covering it proves it (its next name is below it) and that no type
 * exists there (RFC 4035 §3.1.3.2); no wildcard applies to a name that exists.
 */
export function nodataProof(img: ZoneImage, id: number): number[] {
  if (img.nsec3) {
    const m = n3MatchName(img, img.nameOf(id));
    return m >= 0 ? [m] : [];
  }
  if (img.nsecOrder.length === 0) return [];
  if (hasType(img, id, TYPE_NSEC)) return [id];
  const c = nsecCover(img, img.nameOf(id));
  return c >= 0 ? [c] : [];
}

/** The proof for a wildcard-synthesized answer to `name` from wildcard node `w` (RFC 4035 §3.1.3.3, RFC 5155 §7.2.6). */
export function wildcardProof(img: ZoneImage, name: Uint8Array, w: number): number[] {
  if (img.nsec3) {
    const ceLen = img.nameLen[w]! - 2;
    const c = n3CoverName(img, name, nextCloserAt(name, ceLen));
    return c >= 0 ? [c] : [];
  }
  const c = nsecCover(img, name);
  return c >= 0 ? [c] : [];
}

export function hasType(img: ZoneImage, id: number, type: number): boolean {
  const at = img.rrOff[id]!;
  if (at < 0) return false;
  const buf = img.data.buf;
  const n = u16(buf, at);
  let p = at + 2;
  for (let i = 0; i < n; i++) {
    if (u16(buf, p) === type) return true;
    const count = u16(buf, p + 6);
    p += 8;
    for (let j = 0; j < count; j++) p += 2 + u16(buf, p);
  }
  return false;
}

/** Reads the zone's DNSSEC parameters from its apex (after a compile, a change at the apex, or a load). */
export function refreshDnssec(img: ZoneImage): void {
  const apex = img.findName(img.origin);
  const sets = apex < 0 ? [] : decodeRRsets(img.data.buf, img.rrOff[apex]!);
  img.signed = sigsFor(sets, TYPE_SOA).length > 0;
  const param = sets.find((s) => s.type === TYPE_NSEC3PARAM)?.rdatas[0];
  img.nsec3 = param !== undefined && param[0] === 1;
  if (param && img.nsec3) {
    img.n3iterations = u16(param, 2);
    img.n3salt = param.slice(5, 5 + param[4]!);
  } else {
    img.n3iterations = 0;
    img.n3salt = new Uint8Array(0);
  }
}

/** Rebuilds both orders from the nodes (a full compile, or an image without them). */
export function buildOrders(img: ZoneImage): void {
  const nsec: number[] = [];
  const n3: number[] = [];
  for (let id = 0; id < img.top; id++) {
    if (img.nameLen[id] === 0) continue;
    if (img.flags[id]! & F_NSEC3) n3.push(id);
    else if (!(img.flags[id]! & F_OCCLUDED) && hasType(img, id, TYPE_NSEC)) nsec.push(id);
  }
  const buf = img.names.buf;
  nsec.sort((a, b) => canonCompare(buf, img.nameOff[a]!, buf, img.nameOff[b]!));
  n3.sort((a, b) => {
    const ka = n3Key(img, a);
    return -n3Compare(img, b, ka, ka.length);
  });
  img.nsecOrder = nsec;
  img.n3Order = n3;
}

/** Drops every signed template (they are rebuilt on first use). */
export function resetSigned(img: ZoneImage): void {
  img.dans = new BytePool(4096);
  img.doOff.fill(0);
  img.proofOff.fill(0);
  img.soaTailDo = -1;
  img.nxdomainDo = -1;
}
