// Prepares every answer a node can give, when the zone is loaded or the node
// changes: one template per query type present (plus ANY), and a default for
// every other type (NODATA, a referral, or the end of a CNAME chain). The
// query path then only picks a template; no answer is assembled per query.
import { put16, put32, u16, u32, type BytePool } from './bytes.js';
import {
  isDnssecMeta,
  nodataProof,
  nsecCover,
  n3CoverName,
  n3MatchName,
  nxdomainProof,
  sigsFor,
  wildcardProof,
  TYPE_NSEC,
  TYPE_NSEC3,
  TYPE_RRSIG,
} from './dnssec.js';
import { decodeRRsets, type RRsetData } from './rrsets.js';
import { T_AA, T_NEG_TAIL, T_REFERRAL, T_SUFFIX, T_WILD_NODATA, TemplateWriter } from './template.js';
import { lowerName } from './name-hash.js';
import {
  F_CNAME,
  F_NSEC3,
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

/**
 * True while compiling a node's signed answers (DO=1, signed zone): every
 * RRset written carries its RRSIGs, negative answers their NSEC/NSEC3
 * proofs, and templates go to the zone's `dans` pool.
 */
let signing = false;
/** Proof owners collected along a CNAME chain (wildcard expansions), written to authority. */
let chainProofs: number[] = [];

/** True while building the unsigned templates kept in a signed table's header. */
let intoDans = false;

function out(img: ZoneImage): BytePool {
  return signing || intoDans ? img.dans : img.ans;
}

/** Writes an RRset (RDATA in stored order) and, when signing, the RRSIGs covering it from the owner's `sets`. */
function writeSet(owner: Uint8Array | null, set: RRsetData, sets: readonly RRsetData[] | null): void {
  for (const r of set.rdatas) tw.rr(owner, set.type, CLASS_IN, set.ttl, r);
  if (signing && sets)
    for (const sig of sigsFor(sets, set.type)) tw.rr(owner, TYPE_RRSIG, CLASS_IN, set.ttl, sig);
}

/** Writes the NSEC or NSEC3 RRset of each proof owner, with its RRSIGs, into the authority section. */
function writeProofs(img: ZoneImage, ids: readonly number[]): void {
  if (ids.length === 0) return;
  tw.to(1);
  for (const id of ids) {
    const sets = rrsetsOf(img, id);
    const set = find(sets, img.flags[id]! & F_NSEC3 ? TYPE_NSEC3 : TYPE_NSEC);
    if (set) writeSet(img.nameOf(id), set, sets);
  }
}

function addProof(list: number[], ids: readonly number[]): void {
  for (const id of ids) if (id >= 0 && !list.includes(id)) list.push(id);
}

export function rrsetsOf(img: ZoneImage, id: number): RRsetData[] {
  return decodeRRsets(img.data.buf, img.rrOff[id]!);
}

function find(sets: readonly RRsetData[], type: number): RRsetData | undefined {
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
  const sets = rrsetsOf(img, t);
  for (const s of sets) if (s.type === TYPE_A || s.type === TYPE_AAAA) writeSet(target, s, sets);
}

/** A positive answer (offset in the answer pool). */
function positive(
  img: ZoneImage,
  id: number,
  set: RRsetData,
  wild: boolean,
  owner: Uint8Array,
  sets: readonly RRsetData[],
): number {
  tw.begin(owner, wild);
  writeSet(null, set, sets);
  addTargets(img, id, set, owner);
  return tw.finishInto(out(img), T_AA, 0);
}

/** NODATA at a node: without DO the zone's shared template; with DO its own, with the proof (RFC 4035 §3.1.3.1, RFC 5155 §7.2.3). */
function nodata(img: ZoneImage, id: number, owner: Uint8Array, wild: boolean): number {
  if (!signing) return img.nodata;
  tw.begin(owner, wild);
  writeProofs(img, nodataProof(img, id));
  return tw.finishInto(img.dans, T_AA | T_SUFFIX | T_NEG_TAIL | (wild ? T_WILD_NODATA : 0), 0);
}

/**
 * A query of type RRSIG: the signatures of one RRset (the lowest type), as
 * Knot answers it (RFC 8482 §7 treats RRSIG queries like ANY); -1 when the
 * node has none.
 */
function rrsigAnswer(img: ZoneImage, sets: readonly RRsetData[], wild: boolean, owner: Uint8Array): number {
  let first: RRsetData | undefined;
  for (const s of sets)
    if (s.type !== TYPE_RRSIG && sigsFor(sets, s.type).length > 0 && (!first || s.type < first.type))
      first = s;
  if (!first) return -1;
  tw.begin(owner, wild);
  for (const sig of sigsFor(sets, first.type)) tw.rr(null, TYPE_RRSIG, CLASS_IN, first.ttl, sig);
  return tw.finishInto(out(img), T_AA, 0);
}

/** The referral at a zone cut: the child's NS RRset in authority, glue in additional, AA=0 (RFC 1034 §4.3.2). */
function referral(
  img: ZoneImage,
  id: number,
  owner: Uint8Array,
  ns: RRsetData,
  sets: readonly RRsetData[],
): number {
  tw.begin(owner).to(1);
  for (const r of ns.rdatas) tw.rr(null, TYPE_NS, CLASS_IN, ns.ttl, r);
  if (signing) {
    // The DS RRset and its RRSIG, or the proof that there is none (RFC 4035 §3.1.4, RFC 5155 §7.2.7).
    const ds = find(sets, TYPE_DS);
    if (ds) writeSet(null, ds, sets);
    else writeProofs(img, nodataProof(img, id));
  }
  tw.to(2);
  for (const r of ns.rdatas) addAddresses(img, nameAt(r, 0), id);
  return tw.finishInto(out(img), T_SUFFIX | T_REFERRAL, 0);
}

/** Where a CNAME chain ends inside the zone. */
type ChainEnd =
  | { kind: 'node'; id: number; owner: Uint8Array; sets: RRsetData[]; ce: number }
  | { kind: 'nxdomain'; name: Uint8Array; ce: number }
  | { kind: 'stop' };

/**
 * Writes the CNAME chain from `id` (owner = the question) into the answer
 * section and returns where it ends. Followed inside this zone only (as Knot
 * and NSD do): a target elsewhere ends the chain and the resolver goes on.
 */
function chain(img: ZoneImage, id: number, first: RRsetData, firstSets: readonly RRsetData[]): ChainEnd {
  const visited = new Set<number>([id]);
  let set = first;
  let setSigs: readonly RRsetData[] | null = firstSets;
  let owner: Uint8Array | null = null;
  chainProofs = [];
  for (let hop = 0; hop < MAX_CHAIN; hop++) {
    const target = set.rdatas[0]!;
    writeSet(owner, set, setSigs);
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
      writeSet(target.subarray(above.at), dname, rrsetsOf(img, above.node));
      visited.add(above.node);
      set = { type: TYPE_CNAME, ttl: dname.ttl, rdatas: [newTarget] };
      // The synthesized CNAME is unsigned: a validator checks the DNAME's signature (RFC 6672 §5.3.1).
      setSigs = null;
      owner = target;
      continue;
    }
    let t = img.findName(lower);
    let sets: RRsetData[];
    let ce = -1;
    if (t >= 0) {
      if (img.flags[t]! & F_DELEG || visited.has(t)) return { kind: 'stop' };
      sets = rrsetsOf(img, t);
    } else {
      // Closest encloser, then its wildcard (RFC 4592 §3.3.1).
      let p = lower[0]! + 1;
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
      if (!(img.flags[ce]! & F_WILDKID)) return { kind: 'nxdomain', name: lower, ce };
      t = img.findName(wild);
      if (t < 0) return { kind: 'nxdomain', name: lower, ce };
      sets = rrsetsOf(img, t);
      if (signing) addProof(chainProofs, wildcardProof(img, lower, t));
    }
    visited.add(t);
    const next = find(sets, TYPE_CNAME);
    if (!next) return { kind: 'node', id: t, owner: target, sets, ce };
    set = next;
    setSigs = sets;
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

/**
 * Header of a signed answer table (before the table itself), i32 each:
 * the NSEC3 matching the node (closest-encloser proofs), the NSEC/NSEC3
 * covering `*.<node>` (NXDOMAIN below it), the node's own NODATA proof owner
 * (to skip duplicates), and the unsigned templates for RRSIG and NSEC
 * queries without DO (-1: use the unsigned table).
 */
export const DO_HEADER = 20;
export const DO_MATCH = 0;
export const DO_WILD_COVER = 4;
export const DO_SELF = 8;
export const DO_PLAIN_RRSIG = 12;
export const DO_PLAIN_NSEC = 16;

function tableBytes(table: Table, header: number): Uint8Array {
  const bytes = new Uint8Array(header + 6 + table.entries.length * 6);
  put32(bytes, header, table.fallback);
  put16(bytes, header + 4, table.entries.length);
  let p = header + 6;
  for (const [type, off] of table.entries) {
    put16(bytes, p, type);
    put32(bytes, p + 2, off);
    p += 6;
  }
  return bytes;
}

function writeTable(img: ZoneImage, id: number, table: Table): void {
  img.ansOff[id] = img.ans.append(tableBytes(table, 0));
}

/** The answer table of one node (unsigned, or signed while `signing`); undefined when it has none. */
function buildTable(img: ZoneImage, id: number): Table | undefined {
  const flags = img.flags[id]!;
  if (flags & (F_OCCLUDED | F_NSEC3)) return undefined;
  // The name pool may grow while templates are built: work on a copy.
  const owner = img.nameOf(id).slice();
  const wild = (flags & F_WILDCARD) !== 0;
  const sets = rrsetsOf(img, id);
  const table: Table = { fallback: img.nodata, entries: [] };
  const add = (type: number, offset: number) => table.entries.push([type, offset]);

  if (flags & F_DELEG && !(flags & F_APEX)) {
    const ns = find(sets, TYPE_NS)!;
    table.fallback = referral(img, id, owner, ns, sets);
    const ds = find(sets, TYPE_DS);
    // The DS RRset at a cut is the parent's data (RFC 4035 §2.4): answered with AA, not referred.
    if (ds) add(TYPE_DS, positive(img, id, ds, false, owner, sets));
    else table.entries.push([TYPE_DS, nodata(img, id, owner, false)]);
    return table;
  }

  const cname = flags & F_CNAME ? find(sets, TYPE_CNAME) : undefined;
  if (cname) {
    const only = positive(img, id, cname, wild, owner, sets);
    add(TYPE_CNAME, only);
    add(TYPE_ANY, only);
    add(KEY_ANY_UDP, only);
    if (signing) {
      // NSEC and RRSIG live beside the CNAME (RFC 4035 §2.5): asked for, they are answered, not the chain
      // (an NSEC3 zone has no NSEC there: NODATA, as Knot answers).
      const nsec = find(sets, TYPE_NSEC);
      add(TYPE_NSEC, nsec ? positive(img, id, nsec, wild, owner, sets) : nodata(img, id, owner, wild));
      const sig = rrsigAnswer(img, sets, wild, owner);
      if (sig >= 0) add(TYPE_RRSIG, sig);
    }
    // Probe the chain once to learn the types at its end, then build one template per type.
    tw.begin(owner, wild);
    const end = chain(img, id, cname, sets);
    if (end.kind === 'node') {
      for (const s of end.sets) {
        if (s.type === TYPE_CNAME || (img.signed && isDnssecMeta(s.type))) continue;
        tw.begin(owner, wild);
        chain(img, id, cname, sets);
        writeSet(end.owner, s, end.sets);
        writeProofs(img, chainProofs);
        addTargets(img, id, s, lowerName(end.owner));
        add(s.type, tw.finishInto(out(img), T_AA, 0));
      }
    }
    tw.begin(owner, wild);
    chain(img, id, cname, sets);
    if (signing) {
      // The end of the chain proves itself: no such name, no such type, or the wildcard it came through.
      const proofs = chainProofs;
      if (end.kind === 'nxdomain') addProof(proofs, nxdomainProof(img, end.name, end.ce));
      else if (end.kind === 'node') {
        addProof(proofs, nodataProof(img, end.id));
        // A wildcard NODATA also proves the closest encloser (RFC 5155 §7.2.5).
        if (end.ce >= 0 && img.nsec3) addProof(proofs, [n3MatchName(img, img.nameOf(end.ce))]);
      }
      writeProofs(img, proofs);
    }
    table.fallback =
      end.kind === 'stop'
        ? tw.finishInto(out(img), T_AA, 0)
        : tw.finishInto(out(img), T_AA | T_NEG_TAIL, end.kind === 'nxdomain' ? RCODE_NXDOMAIN : 0);
    return table;
  }

  // Without DO, the DNSSEC meta-types of a signed zone are answered from the signed table (respond.ts).
  const data = img.signed ? sets.filter((s) => !isDnssecMeta(s.type)) : sets;
  for (const s of data) add(s.type, positive(img, id, s, wild, owner, sets));
  if (signing) {
    const nsec = find(sets, TYPE_NSEC);
    if (nsec) add(TYPE_NSEC, positive(img, id, nsec, wild, owner, sets));
    const sig = rrsigAnswer(img, sets, wild, owner);
    if (sig >= 0) add(TYPE_RRSIG, sig);
    table.fallback = nodata(img, id, owner, wild);
  }
  if (data.length === 1 && !hasTargets(data[0]!.type)) {
    // ANY at a name with one RRset is that RRset's answer: share it (most names of a large zone).
    const only = table.entries[0]![1];
    add(TYPE_ANY, only);
    add(KEY_ANY_UDP, only);
  } else if (data.length > 0) {
    // ANY: every RRset over TCP; over UDP one RRset, the minimal answer of RFC 8482 §4.1.
    tw.begin(owner, wild);
    for (const s of data) writeSet(null, s, sets);
    add(TYPE_ANY, tw.finishInto(out(img), T_AA, 0));
    const first = data.reduce((a, b) => (b.type < a.type ? b : a));
    tw.begin(owner, wild);
    writeSet(null, first, sets);
    add(KEY_ANY_UDP, tw.finishInto(out(img), T_AA, 0));
  }
  return table;
}

/** Builds (or rebuilds) the unsigned answer table of one node. */
export function compileNode(img: ZoneImage, id: number): void {
  signing = false;
  const table = buildTable(img, id);
  if (table) writeTable(img, id, table);
  else img.ansOff[id] = -1;
}

/** The signed answer tables and proofs of the zone: SOA with its RRSIG for negative answers, the NXDOMAIN template. */
function compileSignedShared(img: ZoneImage): void {
  const apex = img.findName(img.origin);
  const sets = rrsetsOf(img, apex);
  const soa = find(sets, TYPE_SOA)!;
  const rdata = soa.rdatas[0]!;
  const ttl = Math.min(soa.ttl, u32(rdata, rdata.length - 4));
  tw.begin(img.origin).to(1);
  tw.register = false;
  tw.rr(null, TYPE_SOA, CLASS_IN, ttl, rdata);
  // The RRSIG takes the TTL of the SOA it covers here (RFC 4035 §3.1.3: negative-answer TTL).
  for (const sig of sigsFor(sets, TYPE_SOA)) tw.rr(null, TYPE_RRSIG, CLASS_IN, ttl, sig);
  img.soaTailDo = tw.finishInto(img.dans, T_SUFFIX, 0);
  tw.begin(img.origin);
  img.nxdomainDo = tw.finishInto(img.dans, T_AA | T_SUFFIX | T_NEG_TAIL, RCODE_NXDOMAIN);
}

/**
 * The signed answer table of a node (offset of its header in `dans`), built
 * on first use: DO answers of a signed zone, and the header of DO_* fields.
 */
export function signedTable(img: ZoneImage, id: number): number {
  const known = img.doOff[id]!;
  if (known !== 0) return known - 1;
  if (img.soaTailDo < 0) compileSignedShared(img);
  signing = true;
  try {
    const owner = img.nameOf(id);
    const wild = (img.flags[id]! & F_WILDCARD) !== 0;
    const table = buildTable(img, id) ?? { fallback: img.nxdomainDo, entries: [] };
    const header = new Int32Array(5).fill(-1);
    const wildName = new Uint8Array(owner.length + 2);
    wildName.set(STAR, 0);
    wildName.set(owner, 2);
    if (img.nsec3) {
      header[0] = n3MatchName(img, owner);
      header[1] = n3CoverName(img, wildName);
    } else header[1] = nsecCover(img, wildName);
    header[2] = nodataProof(img, id)[0] ?? -1;
    // Without DO: RRSIG and NSEC queries (the unsigned table has no entry for them).
    if (!(img.flags[id]! & (F_DELEG | F_OCCLUDED))) {
      signing = false;
      intoDans = true;
      const sets = rrsetsOf(img, id);
      header[3] = rrsigAnswer(img, sets, wild, owner.slice());
      const nsec = find(sets, TYPE_NSEC);
      if (nsec) {
        tw.begin(owner.slice(), wild);
        writeSet(null, nsec, null);
        header[4] = tw.finishInto(img.dans, T_AA, 0);
      } else if (img.flags[id]! & F_CNAME) {
        // NODATA, not the chain; the SOA tail comes from the unsigned pool.
        tw.begin(owner.slice(), wild);
        header[4] = tw.finishInto(img.dans, T_AA | T_SUFFIX | T_NEG_TAIL, 0);
      }
    }
    const bytes = tableBytes(table, DO_HEADER);
    for (let i = 0; i < 5; i++) put32(bytes, i * 4, header[i]! >>> 0);
    const at = img.dans.append(bytes);
    img.doOff[id] = at + 1;
    return at;
  } finally {
    signing = false;
    intoDans = false;
  }
}

/** The proof chunk of an NSEC/NSEC3 owner (its RRset and RRSIGs, in authority, pointers into the question only), built on first use. */
export function proofChunk(img: ZoneImage, id: number): number {
  const known = img.proofOff[id]!;
  if (known !== 0) return known - 1;
  signing = true;
  try {
    tw.begin(img.origin).to(1);
    tw.register = false;
    writeProofs(img, [id]);
    const at = tw.finishInto(img.dans, T_SUFFIX, 0);
    img.proofOff[id] = at + 1;
    return at;
  } finally {
    signing = false;
  }
}

/** The answer-table offset of the template for `qtype` at a node's table. */
export function lookupType(ans: Uint8Array, table: number, qtype: number): number {
  const n = u16(ans, table + 4);
  let p = table + 6;
  for (let i = 0; i < n; i++, p += 6) if (u16(ans, p) === qtype) return u32(ans, p + 2);
  return u32(ans, table);
}
