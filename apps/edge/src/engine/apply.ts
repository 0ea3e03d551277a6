// Applies one change set (the control plane's IXFR-like diff) to a compiled
// zone in place: only the touched nodes and the answers built from them are
// rebuilt. JavaScript runs it to completion between two queries, so queries
// see the zone before or after the change set, never half of it. Changes to
// zone cuts or DNAMEs re-compile the whole zone (they re-shape the tree).
import {
  addToSets,
  buildZone,
  dataFlags,
  ensureNode,
  removeFromSets,
  zoneRecords,
  nameText,
  ZoneDataError,
  type WireRecord,
} from './build.js';
import {
  compileNode,
  compileShared,
  inZone,
  nameKey,
  rrsetsOf,
  TYPE_DNAME,
  TYPE_NS,
  TYPE_SOA,
} from './compile.js';
import {
  hasType,
  isNsec3Record,
  n3Insert,
  n3Remove,
  nsecInsert,
  nsecRemove,
  refreshDnssec,
  resetSigned,
  TYPE_NSEC,
} from './dnssec.js';
import { lowerName } from './name-hash.js';
import { encodeRRsets, type RRsetData } from './rrsets.js';
import { F_APEX, F_ENT, F_OCCLUDED, F_WILDCARD, F_WILDKID, type ZoneImage } from './zone-image.js';

/** Staging key of a record's owner: NSEC3 owners are a namespace of their own. */
function ownerKey(lower: Uint8Array, nsec3: boolean): string {
  return (nsec3 ? '\u0100' : '') + nameKey(lower);
}

interface Staged {
  lower: Uint8Array;
  sets: RRsetData[];
  nsec3: boolean;
}

/**
 * Applies removals then additions and moves the zone to `serial`. Returns the
 * zone to serve from now on: the same image changed in place, or a new one
 * when the change re-shapes the tree or its pools have doubled since the last full compile.
 * Throws ZoneDataError (image unchanged) when a removed record is not there.
 */
export function applyChanges(
  img: ZoneImage,
  removed: readonly WireRecord[],
  added: readonly WireRecord[],
  serial: number,
): ZoneImage {
  // Stage every touched node's new RRsets first: a bad change set throws before anything moves.
  const staged = new Map<string, Staged>();
  let structural = false;
  const stage = (rr: WireRecord) => {
    const lower = lowerName(rr.owner);
    if (!inZone(img, lower))
      throw new ZoneDataError(`${nameText(lower)} is outside the zone ${nameText(img.origin)}`);
    const nsec3 = isNsec3Record(rr.type, rr.rdata);
    const k = ownerKey(lower, nsec3);
    let s = staged.get(k);
    if (!s) {
      const id = nsec3 ? img.findNsec3(lower) : img.findName(lower);
      const sets =
        id < 0 ? [] : rrsetsOf(img, id).map((x) => ({ ...x, rdatas: x.rdatas.map((r) => r.slice()) }));
      staged.set(k, (s = { lower, sets, nsec3 }));
    }
    if (rr.type === TYPE_DNAME || (rr.type === TYPE_NS && lower.length !== img.origin.length))
      structural = true;
    return s;
  };
  for (const rr of removed)
    if (!removeFromSets(stage(rr).sets, rr.type, rr.rdata))
      throw new ZoneDataError(
        `change set removes a record the edge does not have at ${nameText(lowerName(rr.owner))} (type ${rr.type})`,
      );
  for (const rr of added) addToSets(stage(rr).sets, rr.type, rr.ttl, rr.rdata);
  const apexKey = nameKey(img.origin);
  const apexSets = staged.get(apexKey)?.sets;
  if (apexSets && !apexSets.some((s) => s.type === TYPE_SOA))
    throw new ZoneDataError('change set removes the SOA');
  // Also a node whose CNAME state changes re-shapes chains; a rebuild stays simple and correct.
  const delta = removed.length + added.length;
  // Rebuilt answers are appended and the old ones abandoned: compact once the
  // pools have doubled since the last full compile.
  const grown = img.ans.used > 2 * img.baseAns + (1 << 20) || img.data.used > 2 * img.baseData + (1 << 20);
  if (structural || grown || delta > Math.max(1000, img.live / 4)) {
    return rebuild(img, staged, serial);
  }

  const wasSigned = img.signed;
  const touched: number[] = [];
  const created: number[] = [];
  for (const { lower, sets, nsec3 } of staged.values()) {
    if (nsec3) {
      // NSEC3 owners feed no unsigned answer: only the hash order and the signed pool change.
      const n3 = img.findNsec3(lower);
      if (sets.length === 0) {
        if (n3 >= 0) {
          n3Remove(img, n3);
          img.removeNode(n3);
        }
        continue;
      }
      const at = n3 >= 0 ? n3 : img.addNsec3Node(lower);
      img.rrOff[at] = img.data.append(encodeRRsets(sets));
      if (n3 < 0) n3Insert(img, at);
      continue;
    }
    let id = img.findName(lower);
    const hadNsec = id >= 0 && hasType(img, id, TYPE_NSEC);
    const hasNsec = sets.some((x) => x.type === TYPE_NSEC);
    if (hadNsec && !hasNsec) nsecRemove(img, id);
    if (sets.length === 0) {
      if (id < 0) continue;
      img.rrOff[id] = -1;
      img.flags[id] = (img.flags[id]! & (F_OCCLUDED | F_WILDCARD | F_WILDKID | F_APEX)) | F_ENT;
      touched.push(id);
      continue;
    }
    if (id < 0) id = ensureNode(img, lower, created);
    img.rrOff[id] = img.data.append(encodeRRsets(sets));
    img.flags[id] =
      (img.flags[id]! & (F_OCCLUDED | F_WILDCARD | F_WILDKID)) |
      dataFlags(sets, id === img.findName(img.origin));
    if (hasNsec && !hadNsec) nsecInsert(img, id);
    touched.push(id);
  }
  img.records += added.length - removed.length;
  img.serial = serial;
  if (staged.has(apexKey)) refreshDnssec(img);
  // Becoming signed or unsigned changes every unsigned table (DNSSEC types leave them): a full compile.
  if (img.signed !== wasSigned) return buildZone(img.origin, [...zoneRecords(img)], serial);

  // Answers to rebuild: the touched nodes and every node whose answers were built from them.
  const recompile = new Set<number>();
  const names: Uint8Array[] = [];
  for (const id of [...touched, ...created]) {
    names.push(img.nameOf(id).slice());
    recompile.add(id);
  }
  if (staged.has(apexKey)) compileShared(img);
  pruneEmpty(img, touched, recompile, names);
  for (const name of names) {
    const deps = img.refs.get(nameKey(name));
    if (deps) for (const d of deps) recompile.add(d);
    // A new or removed name below a wildcard's parent changes nothing compiled; a wildcard itself may feed chains.
  }
  try {
    for (const id of recompile) {
      if (img.nameLen[id] === 0) continue;
      compileNode(img, id);
    }
    // Signed answers are rebuilt on first use: any change may move a proof.
    if (img.signed) resetSigned(img);
  } catch {
    // The records are already updated: a full compile of them gives a consistent zone.
    return buildZone(img.origin, [...zoneRecords(img)], serial);
  }
  return img;
}

/** Removes empty non-terminals left without children, up the tree. */
function pruneEmpty(img: ZoneImage, touched: number[], recompile: Set<number>, names: Uint8Array[]): void {
  for (const start of touched) {
    let id = start;
    while (
      id >= 0 &&
      img.nameLen[id]! > 0 &&
      img.flags[id]! & F_ENT &&
      img.kids[id] === 0 &&
      !(img.flags[id]! & F_APEX)
    ) {
      const parent = img.parentOf(id);
      const wasWild = (img.flags[id]! & F_WILDCARD) !== 0;
      // Answers built through this name (a chain that reached it) change too.
      names.push(img.nameOf(id).slice());
      img.removeNode(id);
      recompile.delete(id);
      if (parent < 0) break;
      img.kids[parent]!--;
      if (wasWild) img.flags[parent]! &= ~F_WILDKID;
      id = parent;
    }
  }
}

function rebuild(img: ZoneImage, staged: Map<string, Staged>, serial: number): ZoneImage {
  const records: WireRecord[] = [];
  for (const rr of zoneRecords(img))
    if (!staged.has(ownerKey(rr.owner, isNsec3Record(rr.type, rr.rdata)))) records.push(rr);
  for (const { lower, sets } of staged.values())
    for (const s of sets)
      for (const r of s.rdatas) records.push({ owner: lower, type: s.type, ttl: s.ttl, rdata: r });
  return buildZone(img.origin, records, serial);
}
