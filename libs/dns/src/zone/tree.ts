import type { Name } from '../name/name.js';
import { codecFor } from '../rdata/registry.js';
import { RRType } from '../rdata/rrtype.js';
import { isKeyAtOrBelow, parentKey } from './keys.js';
import type { RRset } from './rrset.js';

// Summary bits of a node's types, so the rules' hot paths need no RRset scans.
export const HAS_NS = 1;
export const HAS_DNAME = 2;
export const HAS_CNAME = 4;
export const HAS_ADDRESS = 8;

/**
 * One name of the zone's tree. Besides names with data the tree holds empty
 * non-terminals and names that only appear as targets (so that "everything
 * that points at or below X" can be found by walking X's subtree).
 */
export interface ZoneNode {
  /** The owner as first written with data (case preserved); all its RRsets carry this Name. */
  name: Name;
  readonly key: string;
  /** Undefined only for the apex: the tree never reaches above the origin. */
  parent: ZoneNode | undefined;
  /** Sorted by type; empty for empty non-terminals and target-only names. */
  rrsets: readonly RRset[];
  /** HAS_* bits of `rrsets`. */
  flags: number;
  /** Child nodes; an array (cheaper than a Set at a million children), `slot` is each one's index. */
  children: ZoneNode[] | undefined;
  slot: number;
  /** Owners whose NS, MX, SRV, CNAME or DNAME RDATA names this node. */
  refs: Set<ZoneNode> | undefined;
  /** Names with data in this subtree, this one included: > 0 means the name exists (RFC 8020). */
  weight: number;
}

/** Types whose targets the rules follow (host targets and alias chains), indexed in `refs`. */
const REFERRING = new Set<number>([RRType.NS, RRType.MX, RRType.SRV, RRType.CNAME, RRType.DNAME]);

function newNode(name: Name, key: string, parent: ZoneNode | undefined): ZoneNode {
  return {
    name,
    key,
    parent,
    rrsets: [],
    flags: 0,
    children: undefined,
    slot: -1,
    refs: undefined,
    weight: 0,
  };
}

function countRecords(rrsets: readonly RRset[]): number {
  let n = 0;
  for (const s of rrsets) n += s.rdatas.length;
  return n;
}

function flagsOf(rrsets: readonly RRset[]): number {
  let f = 0;
  for (const s of rrsets) {
    if (s.type === RRType.NS) f |= HAS_NS;
    else if (s.type === RRType.DNAME) f |= HAS_DNAME;
    else if (s.type === RRType.CNAME) f |= HAS_CNAME;
    else if (s.type === RRType.A || s.type === RRType.AAAA) f |= HAS_ADDRESS;
  }
  return f;
}

/** The names and RRsets of a zone with their hierarchy, target and DNAME indexes kept in step. */
export class NameTree {
  readonly apex: ZoneNode;
  readonly apexKey: string;
  recordCount = 0;
  /** Bumped whenever a name gains or loses all its data: cached name orders check it. */
  shape = 0;
  /** Owners of DNAME RRsets (few in practice); chains through a DNAME can start anywhere. */
  readonly dnameOwners = new Set<ZoneNode>();
  readonly nodes = new Map<string, ZoneNode>();
  private lastParent: ZoneNode | undefined;

  constructor(readonly origin: Name) {
    this.apexKey = origin.key;
    this.apex = newNode(origin, this.apexKey, undefined);
    this.nodes.set(this.apexKey, this.apex);
  }

  get(key: string): ZoneNode | undefined {
    return this.nodes.get(key);
  }

  /** True when `name` is at or below the origin. */
  contains(name: Name): boolean {
    return isKeyAtOrBelow(name.key, this.apexKey);
  }

  /** The node of `name`, creating it and any missing ancestors; callers check `contains(name)` first. */
  ensure(name: Name): ZoneNode {
    const key = name.key;
    const found = this.nodes.get(key);
    if (found) return found;
    const node = newNode(name, key, undefined);
    this.nodes.set(key, node);
    for (let child = node; ;) {
      const pk = parentKey(child.key);
      // Names usually arrive grouped by parent: try the last parent before the map.
      let parent = this.lastParent?.key === pk ? this.lastParent : this.nodes.get(pk);
      const existed = parent !== undefined;
      if (!parent) {
        parent = newNode(child.name.parent(), pk, undefined);
        this.nodes.set(pk, parent);
      }
      child.parent = parent;
      child.slot = (parent.children ??= []).push(child) - 1;
      if (existed) {
        this.lastParent = parent;
        break;
      }
      child = parent;
    }
    return node;
  }

  /**
   * Replaces all data at `name` (empty list: removes it), keeping record
   * count, weights, target references and the DNAME index in step. Used by
   * apply and by its rollback, so both agree.
   */
  setRRsets(name: Name, rrsets: readonly RRset[]): void {
    const node = rrsets.length > 0 ? this.ensure(name) : this.nodes.get(name.key);
    if (!node) return;
    const before = node.rrsets;
    const oldTargets = this.targetKeys(before);
    this.recordCount += countRecords(rrsets) - countRecords(before);
    if (before.length > 0 && rrsets.length === 0) this.addWeight(node, -1);
    else if (before.length === 0 && rrsets.length > 0) this.addWeight(node, 1);
    node.rrsets = rrsets;
    if (rrsets.length > 0) node.name = name;
    this.index(node, oldTargets);
    if (oldTargets) {
      const kept = this.targetKeys(rrsets);
      for (const key of oldTargets.keys()) {
        if (kept?.has(key)) continue;
        const t = this.nodes.get(key);
        if (!t) continue;
        t.refs?.delete(node);
        this.prune(t);
      }
    }
    this.prune(node);
  }

  /**
   * Counts in a node whose `rrsets` were filled while it had no data (the
   * build path): record count, weights, type flags, DNAME index, references.
   */
  link(node: ZoneNode): void {
    this.recordCount += countRecords(node.rrsets);
    this.addWeight(node, 1);
    this.index(node, undefined);
  }

  /** Type flags, DNAME index and the references to targets other than `skipRefs` (already there). */
  private index(node: ZoneNode, skipRefs: Map<string, Name> | undefined): void {
    const rrsets = node.rrsets;
    node.flags = flagsOf(rrsets);
    if (node.flags & HAS_DNAME) this.dnameOwners.add(node);
    else this.dnameOwners.delete(node);
    for (const s of rrsets) {
      if (!REFERRING.has(s.type)) continue;
      const codec = codecFor(s.type);
      if (!codec?.targets) continue;
      for (const data of s.rdatas)
        for (const t of codec.targets(data)) {
          if (!this.contains(t) || skipRefs?.has(t.key)) continue;
          const target = this.ensure(t);
          (target.refs ??= new Set()).add(node);
        }
    }
  }

  /** Every node at or below `node` (depth first), including empty and target-only ones. */
  *subtree(node: ZoneNode): Generator<ZoneNode> {
    const stack = [node];
    for (let n = stack.pop(); n; n = stack.pop()) {
      yield n;
      if (n.children) for (const c of n.children) stack.push(c);
    }
  }

  clone(): NameTree {
    const copy = new NameTree(this.origin);
    const twin = (n: ZoneNode): ZoneNode => copy.nodes.get(n.key)!;
    for (const [key, n] of this.nodes) {
      if (n === this.apex) Object.assign(copy.apex, { ...n, children: undefined, refs: undefined });
      else copy.nodes.set(key, { ...n, parent: undefined, children: undefined, refs: undefined });
    }
    for (const n of this.nodes.values()) {
      const c = twin(n);
      if (n.parent) c.parent = twin(n.parent);
      if (n.children) c.children = n.children.map(twin);
      if (n.refs) c.refs = new Set([...n.refs].map(twin));
    }
    for (const d of this.dnameOwners) copy.dnameOwners.add(twin(d));
    copy.recordCount = this.recordCount;
    return copy;
  }

  /** In-zone targets of the referring types, by key; undefined when there are none. */
  private targetKeys(rrsets: readonly RRset[]): Map<string, Name> | undefined {
    let out: Map<string, Name> | undefined;
    for (const s of rrsets) {
      if (!REFERRING.has(s.type)) continue;
      const codec = codecFor(s.type);
      if (!codec?.targets) continue;
      for (const data of s.rdatas)
        for (const t of codec.targets(data)) if (this.contains(t)) (out ??= new Map()).set(t.key, t);
    }
    return out;
  }

  private addWeight(node: ZoneNode, delta: number): void {
    this.shape++;
    for (let n: ZoneNode | undefined = node; n; n = n.parent) n.weight += delta;
  }

  /** Drops a node that holds nothing (no data, children or references), and so on upwards. */
  private prune(node: ZoneNode): void {
    for (let n = node; n !== this.apex;) {
      if (this.nodes.get(n.key) !== n) return;
      if (n.rrsets.length > 0 || n.children?.length || n.refs?.size) return;
      this.nodes.delete(n.key);
      if (this.lastParent === n) this.lastParent = undefined;
      const parent = n.parent!;
      const siblings = parent.children!;
      const moved = siblings.pop()!;
      if (moved !== n) {
        siblings[n.slot] = moved;
        moved.slot = n.slot;
      }
      if (siblings.length === 0) parent.children = undefined;
      n = parent;
    }
  }
}
