// Prepares every answer a node can give, when the zone is loaded or the node
// changes: one template per query type present (plus ANY), and a default for
// every other type (NODATA, a referral, or the end of a CNAME chain). The
// query path then only picks a template; no answer is assembled per query.
import { put16, put32, u16, u32 } from './bytes.js';
import { decodeRRsets, type RRsetData } from './rrsets.js';
import { T_AA, T_NEG_TAIL, T_REFERRAL, T_SUFFIX, TemplateWriter } from './template.js';
import { lowerName } from './name-hash.js';
import {
  F_CNAME,
  F_DELEG,
  F_DNAME,
  F_OCCLUDED,
  F_WILDCARD,
  F_WILDKID,
  F_APEX,
  STAR,
  type ZoneImage,
} from './zone-image.js';

export const TYPE_A = 1;
export const TYPE_NS = 2;
export const TYPE_CNAME = 5;
export const TYPE_SOA = 6;
export const TYPE_MX = 15;
export const TYPE_AAAA = 28;
export const TYPE_SRV = 33;
export const TYPE_DNAME = 39;
export const TYPE_DS = 43;
export const TYPE_SVCB = 64;
export const TYPE_HTTPS = 65;
export const TYPE_ANY = 255;
/** Answer-table key of the minimal ANY answer over UDP (type 0 is reserved and never asked for). */
export const KEY_ANY_UDP = 0;
export const RCODE_NXDOMAIN = 3;
const CLASS_IN = 1;
/** Longest CNAME chain followed inside a zone (loops stop earlier). */
const MAX_CHAIN = 12;

const tw = new TemplateWriter();

export function rrsetsOf(img: ZoneImage, id: number): RRsetData[] {
  return decodeRRsets(img.data.buf, img.rrOff[id]!);
}

function find(sets: RRsetData[], type: number): RRsetData | undefined {
  for (const s of sets) if (s.type === type) return s;
  return undefined;
}

/** Map key of a (lowercase) wire name: one character per octet. */
export function nameKey(lower: Uint8Array): string {
  return String.fromCharCode.apply(null, lower as unknown as number[]);
}

function addRef(img: ZoneImage, lower: Uint8Array, id: number): void {
  const k = nameKey(lower);
  let set = img.refs.get(k);
  if (!set) img.refs.set(k, (set = new Set()));
  set.add(id);
}

/** Whether `name` (lowercase wire) is at or below the zone's apex. */
export function inZone(img: ZoneImage, name: Uint8Array): boolean {
  const o = img.origin;
  if (name.length < o.length) return false;
  const off = name.length - o.length;
  for (let i = 0; i < o.length; i++) if (name[off + i] !== o[i]) return false;
  // The suffix must start on a label boundary.
  let p = 0;
  while (p < off) p += name[p]! + 1;
  return p === off;
}

/** Zone-wide answers: the SOA for negative answers (RFC 2308 §3: TTL = min(SOA TTL, MINIMUM)), NODATA, NXDOMAIN. */
export function compileShared(img: ZoneImage): void {
  const apex = img.findName(img.origin);
  const soa = apex < 0 ? undefined : find(rrsetsOf(img, apex), TYPE_SOA);
  if (!soa || soa.rdatas.length !== 1) throw new Error('the zone has no SOA record at its apex');
  const rdata = soa.rdatas[0]!;
  const minimum = u32(rdata, rdata.length - 4);
  tw.begin(img.origin).to(1);
  // Pointers only into the question: the tail is appended after other records (template.ts).
  tw.register = false;
  tw.rr(null, TYPE_SOA, CLASS_IN, Math.min(soa.ttl, minimum), rdata);
  img.soaTail = img.ans.append(tw.finish(T_SUFFIX, 0));
  tw.begin(img.origin);
  img.nodata = img.ans.append(tw.finish(T_AA | T_SUFFIX | T_NEG_TAIL, 0));
  tw.begin(img.origin);
  img.nxdomain = img.ans.append(tw.finish(T_AA | T_SUFFIX | T_NEG_TAIL, RCODE_NXDOMAIN));
}

/** The name an NS, MX or SRV record points at, for additional-section addresses. */
function targetOf(type: number): number {
  return type === TYPE_NS
    ? 0
    : type === TYPE_MX || type === TYPE_SVCB || type === TYPE_HTTPS
      ? 2
      : type === TYPE_SRV
        ? 6
        : -1;
}

/** Types whose targets' addresses go in the additional section (RFC 1035 §3.3.9, §3.3.11; RFC 2782; RFC 9460 §4.1). */
function hasTargets(type: number): boolean {
  return (
    type === TYPE_NS || type === TYPE_MX || type === TYPE_SRV || type === TYPE_SVCB || type === TYPE_HTTPS
  );
}

/** The additional section for an RRset owned by `owner`: addresses of its in-zone targets, once each. */
function addTargets(img: ZoneImage, id: number, set: RRsetData, owner: Uint8Array): void {
  if (!hasTargets(set.type)) return;
  tw.to(2);
  const seen = new Set<string>();
  for (const r of set.rdatas) {
    let t = nameAt(r, targetOf(set.type));
    // SVCB/HTTPS: a target of "." means the owner itself (RFC 9460 §2.5).
    // (A wildcard's own name is no address owner: skipped.)
    if (t.length === 1 && (set.type === TYPE_SVCB || set.type === TYPE_HTTPS)) {
      if (owner[0] === 1 && owner[1] === 0x2a) continue;
      t = owner;
    }
    const k = nameKey(lowerName(t));
    if (seen.has(k)) continue;
    seen.add(k);
    addAddresses(img, t, id);
  }
}

function nameAt(rdata: Uint8Array, at: number): Uint8Array {
  let p = at;
  while (rdata[p] !== 0) p += rdata[p]! + 1;
  return rdata.subarray(at, p + 1);
}

/** A and AAAA of an in-zone name, into the additional section (RFC 1035 §3.3.9, §3.3.11; RFC 2782). */
function addAddresses(img: ZoneImage, target: Uint8Array, dependent: number): void {
  const lower = lowerName(target);
  if (!inZone(img, lower)) return;
  addRef(img, lower, dependent);
  const t = img.findName(lower);
  if (t < 0) return;
  for (const s of rrsetsOf(img, t))
    if (s.type === TYPE_A || s.type === TYPE_AAAA)
      for (const r of s.rdatas) tw.rr(target, s.type, CLASS_IN, s.ttl, r);
}

/** A positive answer (offset in the answer pool). */
function positive(img: ZoneImage, id: number, set: RRsetData, wild: boolean, owner: Uint8Array): number {
  tw.begin(owner, wild);
  for (const r of set.rdatas) tw.rr(null, set.type, CLASS_IN, set.ttl, r);
  addTargets(img, id, set, owner);
  return tw.finishInto(img.ans, T_AA, 0);
}

/** The referral at a zone cut: the child's NS RRset in authority, glue in additional, AA=0 (RFC 1034 §4.3.2). */
function referral(img: ZoneImage, id: number, owner: Uint8Array, ns: RRsetData): number {
  tw.begin(owner).to(1);
  for (const r of ns.rdatas) tw.rr(null, TYPE_NS, CLASS_IN, ns.ttl, r);
  tw.to(2);
  for (const r of ns.rdatas) addAddresses(img, nameAt(r, 0), id);
  return tw.finishInto(img.ans, T_SUFFIX | T_REFERRAL, 0);
}

/** Where a CNAME chain ends inside the zone. */
type ChainEnd =
  | { kind: 'node'; id: number; owner: Uint8Array; sets: RRsetData[] }
  | { kind: 'nxdomain' }
  | { kind: 'stop' };

/**
 * Writes the CNAME chain from `id` (owner = the question) into the answer
 * section and returns where it ends. Followed inside this zone only (as Knot
 * and NSD do): a target elsewhere ends the chain and the resolver goes on.
 */
function chain(img: ZoneImage, id: number, first: RRsetData): ChainEnd {
  const visited = new Set<number>([id]);
  let set = first;
  let owner: Uint8Array | null = null;
  for (let hop = 0; hop < MAX_CHAIN; hop++) {
    const target = set.rdatas[0]!;
    tw.rr(owner, TYPE_CNAME, CLASS_IN, set.ttl, target);
    const lower = lowerName(target);
    if (!inZone(img, lower)) return { kind: 'stop' };
    addRef(img, lower, id);
    // A cut or DNAME above the target decides first (RFC 1034 §4.3.2 step 3b, RFC 6672 §3.2).
    const above = cutAbove(img, lower, id);
    if (above) {
      if (img.flags[above.node]! & F_DELEG || visited.has(above.node)) return { kind: 'stop' };
      const dname = find(rrsetsOf(img, above.node), TYPE_DNAME)!;
      const newTarget = new Uint8Array(above.at + dname.rdatas[0]!.length);
      if (newTarget.length > 255) return { kind: 'stop' };
      newTarget.set(target.subarray(0, above.at), 0);
      newTarget.set(dname.rdatas[0]!, above.at);
      tw.rr(target.subarray(above.at), TYPE_DNAME, CLASS_IN, dname.ttl, dname.rdatas[0]!);
      visited.add(above.node);
      set = { type: TYPE_CNAME, ttl: dname.ttl, rdatas: [newTarget] };
      owner = target;
      continue;
    }
    let t = img.findName(lower);
    let sets: RRsetData[];
    if (t >= 0) {
      if (img.flags[t]! & F_DELEG || visited.has(t)) return { kind: 'stop' };
      sets = rrsetsOf(img, t);
    } else {
      // Closest encloser, then its wildcard (RFC 4592 §3.3.1).
      let p = lower[0]! + 1;
      let ce = -1;
      while (p < lower.length) {
        // Each ancestor tried is a dependency: creating it (or a wildcard under it) changes this answer.
        addRef(img, lower.subarray(p), id);
        ce = img.findName(lower.subarray(p));
        if (ce >= 0) break;
        p += lower[p]! + 1;
      }
      if (ce < 0) return { kind: 'stop' };
      const wild = new Uint8Array(2 + lower.length - p);
      wild.set(STAR, 0);
      wild.set(lower.subarray(p), 2);
      // The source of synthesis may appear later: depend on it either way.
      addRef(img, wild, id);
      if (!(img.flags[ce]! & F_WILDKID)) return { kind: 'nxdomain' };
      t = img.findName(wild);
      if (t < 0) return { kind: 'nxdomain' };
      sets = rrsetsOf(img, t);
    }
    visited.add(t);
    const next = find(sets, TYPE_CNAME);
    if (!next) return { kind: 'node', id: t, owner: target, sets };
    set = next;
    owner = target;
  }
  return { kind: 'stop' };
}

/**
 * The topmost zone cut or DNAME strictly above `lower` (the apex included), and
 * where its name starts in `lower`; undefined when there is none. Every
 * ancestor is a dependency of the chain being compiled.
 */
function cutAbove(img: ZoneImage, lower: Uint8Array, id: number): { node: number; at: number } | undefined {
  let found: { node: number; at: number } | undefined;
  let p = lower[0]! + 1;
  // Down to the apex itself: a DNAME may own it (never a cut).
  while (p <= lower.length - img.origin.length) {
    const name = lower.subarray(p);
    addRef(img, name, id);
    const n = img.findName(name);
    if (n >= 0 && img.flags[n]! & (F_DELEG | F_DNAME)) found = { node: n, at: p };
    p += lower[p]! + 1;
  }
  return found;
}

interface Table {
  fallback: number;
  entries: [type: number, offset: number][];
}

function writeTable(img: ZoneImage, id: number, table: Table): void {
  const out = new Uint8Array(6 + table.entries.length * 6);
  put32(out, 0, table.fallback);
  put16(out, 4, table.entries.length);
  let p = 6;
  for (const [type, off] of table.entries) {
    put16(out, p, type);
    put32(out, p + 2, off);
    p += 6;
  }
  img.ansOff[id] = img.ans.append(out);
}

/** Builds (or rebuilds) the answer table of one node. */
export function compileNode(img: ZoneImage, id: number): void {
  const flags = img.flags[id]!;
  if (flags & F_OCCLUDED) {
    img.ansOff[id] = -1;
    return;
  }
  const owner = img.nameOf(id);
  const wild = (flags & F_WILDCARD) !== 0;
  const sets = rrsetsOf(img, id);
  const table: Table = { fallback: img.nodata, entries: [] };
  const add = (type: number, offset: number) => table.entries.push([type, offset]);

  if (flags & F_DELEG && !(flags & F_APEX)) {
    const ns = find(sets, TYPE_NS)!;
    table.fallback = referral(img, id, owner, ns);
    const ds = find(sets, TYPE_DS);
    // The DS RRset at a cut is the parent's data (RFC 4035 §2.4): answered with AA, not referred.
    if (ds) add(TYPE_DS, positive(img, id, ds, false, owner));
    else table.entries.push([TYPE_DS, img.nodata]);
    return writeTable(img, id, table);
  }

  const cname = flags & F_CNAME ? find(sets, TYPE_CNAME) : undefined;
  if (cname) {
    const only = positive(img, id, cname, wild, owner);
    add(TYPE_CNAME, only);
    add(TYPE_ANY, only);
    add(KEY_ANY_UDP, only);
    // Probe the chain once to learn the types at its end, then build one template per type.
    tw.begin(owner, wild);
    const end = chain(img, id, cname);
    if (end.kind === 'node') {
      for (const s of end.sets) {
        if (s.type === TYPE_CNAME) continue;
        tw.begin(owner, wild);
        chain(img, id, cname);
        for (const r of s.rdatas) tw.rr(end.owner, s.type, CLASS_IN, s.ttl, r);
        addTargets(img, id, s, lowerName(end.owner));
        add(s.type, tw.finishInto(img.ans, T_AA, 0));
      }
    }
    tw.begin(owner, wild);
    chain(img, id, cname);
    table.fallback =
      end.kind === 'stop'
        ? tw.finishInto(img.ans, T_AA, 0)
        : tw.finishInto(img.ans, T_AA | T_NEG_TAIL, end.kind === 'nxdomain' ? RCODE_NXDOMAIN : 0);
    return writeTable(img, id, table);
  }

  for (const s of sets) add(s.type, positive(img, id, s, wild, owner));
  if (sets.length === 1 && !hasTargets(sets[0]!.type)) {
    // ANY at a name with one RRset is that RRset's answer: share it (most names of a large zone).
    const only = table.entries[0]![1];
    add(TYPE_ANY, only);
    add(KEY_ANY_UDP, only);
  } else if (sets.length > 0) {
    // ANY: every RRset over TCP; over UDP one RRset, the minimal answer of RFC 8482 §4.1.
    tw.begin(owner, wild);
    for (const s of sets) for (const r of s.rdatas) tw.rr(null, s.type, CLASS_IN, s.ttl, r);
    add(TYPE_ANY, tw.finishInto(img.ans, T_AA, 0));
    const first = sets.reduce((a, b) => (b.type < a.type ? b : a));
    tw.begin(owner, wild);
    for (const r of first.rdatas) tw.rr(null, first.type, CLASS_IN, first.ttl, r);
    add(KEY_ANY_UDP, tw.finishInto(img.ans, T_AA, 0));
  }
  writeTable(img, id, table);
}

/** The answer-table offset of the template for `qtype` at a node's table. */
export function lookupType(ans: Uint8Array, table: number, qtype: number): number {
  const n = u16(ans, table + 4);
  let p = table + 6;
  for (let i = 0; i < n; i++, p += 6) if (u16(ans, p) === qtype) return u32(ans, p + 2);
  return u32(ans, table);
}
