import type { Name } from '../name/name.js';
import { CLASS_IN, RRType } from '../rdata/rrtype.js';
import type { SOARdata } from '../rdata/types/soa.js';
import type { ResourceRecord } from '../rr.js';
import { affectedKeys, type Touched } from './affected.js';
import { buildTree } from './build.js';
import { ChangeStage, type ApplyOptions, type ApplyResult, type Change } from './changes.js';
import { checkAll, checkNames } from './check.js';
import { ZoneContext } from './context.js';
import { diffTouched } from './diff.js';
import { ProblemSink, type Problem } from './problem.js';
import { findRRset, lowestTtl, rrsetRecord, sameRRsets, type RRset } from './rrset.js';
import { admitOwnerType } from './rules/admission.js';
import type { TtlPolicy } from './rules/ttl.js';
import type { NameTree, ZoneNode } from './tree.js';

export interface BuildOptions {
  /** What to do when records of one RRset have different TTLs (see rules/ttl.ts); default `reject`. */
  ttlPolicy?: TtlPolicy;
}

/** One whole RRset for Zone.replaceRRsets: `rdatas` in canonical order without duplicates; none removes it. */
export interface RRsetReplacement {
  name: Name;
  type: number;
  ttl: number;
  rdatas: readonly unknown[];
  /** RRSIG: each record's TTL, in step with `rdatas`. */
  ttls?: readonly number[];
}

export interface BuildResult {
  /** Undefined when any problem is an error. */
  zone?: Zone;
  problems: Problem[];
}

/**
 * An authoritative zone: the RRsets at and below `origin`, always free of
 * rule errors (build() refuses a zone with errors and apply() refuses a change
 * set that would introduce one). Mutable only through apply(), which is
 * atomic: either every change of the set takes effect or none does.
 *
 * Records are treated as values: their RDATA objects are stored as given and
 * must not be mutated afterwards.
 */
export class Zone {
  readonly #tree: NameTree;
  /** Data-bearing names in canonical order, valid while the tree's shape is unchanged. */
  #order: { shape: number; nodes: ZoneNode[] } | undefined;

  private constructor(tree: NameTree) {
    this.#tree = tree;
  }

  /** Loads records and runs every rule; the zone is returned only when no problem is an error. */
  static build(origin: Name, records: Iterable<ResourceRecord>, options: BuildOptions = {}): BuildResult {
    const sink = new ProblemSink();
    const tree = buildTree(origin, records, options.ttlPolicy ?? 'reject', sink);
    checkAll(tree, sink);
    const problems = sink.problems();
    return sink.hasErrors ? { problems } : { zone: new Zone(tree), problems };
  }

  get origin(): Name {
    return this.#tree.origin;
  }

  get recordCount(): number {
    return this.#tree.recordCount;
  }

  get(name: Name, type: number): RRset | undefined {
    const node = this.#tree.get(name.key);
    return node && findRRset(node.rrsets, type);
  }

  /** The RRsets at a name, by type; empty when it has none. */
  rrsetsAt(name: Name): readonly RRset[] {
    return this.#tree.get(name.key)?.rrsets ?? [];
  }

  /** True when the name has records. */
  has(name: Name): boolean {
    return (this.#tree.get(name.key)?.rrsets.length ?? 0) > 0;
  }

  /**
   * True when the name exists in the DNS sense: it has records, or is an
   * empty non-terminal with records below it (RFC 8020: no NXDOMAIN there).
   */
  nameExists(name: Name): boolean {
    return (this.#tree.get(name.key)?.weight ?? 0) > 0;
  }

  /** The apex SOA record (a Zone always has exactly one). */
  get soa(): ResourceRecord<SOARdata> {
    const set = findRRset(this.#tree.apex.rrsets, RRType.SOA);
    if (!set) throw new Error(`zone ${this.origin} has no SOA`); // unreachable: soa-apex rejects such zones
    return {
      name: set.name,
      type: RRType.SOA,
      class: CLASS_IN,
      ttl: set.ttl,
      data: set.rdatas[0] as SOARdata,
    };
  }

  /** Names with records, in canonical order (RFC 4034 §6.1). */
  *names(): Generator<Name> {
    for (const node of this.orderedNodes()) yield node.name;
  }

  /** Names with records at or below `name` (any order); none when `name` is not in the tree. */
  *namesAtOrBelow(name: Name): Generator<Name> {
    const node = this.#tree.get(name.key);
    if (!node) return;
    for (const n of this.#tree.subtree(node)) if (n.rrsets.length > 0) yield n.name;
  }

  /** RRsets in canonical order: by owner, then type. */
  *rrsets(): Generator<RRset> {
    for (const node of this.orderedNodes()) for (const set of node.rrsets) yield set;
  }

  /** Records in canonical order (RFC 4034 §6.1 owner, then type, then §6.3 RDATA). */
  *records(): Generator<ResourceRecord> {
    for (const node of this.orderedNodes())
      for (const set of node.rrsets) for (let i = 0; i < set.rdatas.length; i++) yield rrsetRecord(set, i);
  }

  /** An independent copy (RRsets are immutable, so they are shared). */
  clone(): Zone {
    return new Zone(this.#tree.clone());
  }

  /** Every rule over the whole zone: the warnings it has (a Zone has no errors). */
  check(): Problem[] {
    const sink = new ProblemSink();
    checkAll(this.#tree, sink);
    return sink.problems();
  }

  /**
   * Applies an ordered change set atomically. The operations run in order on
   * staged copies of the names they touch; the rules then judge the end state
   * (so an A RRset can be swapped for a CNAME in either order). Only the
   * touched names and the names they affect are checked (see affected.ts).
   * The staged names are swapped into the zone for that check and swapped
   * back if it finds an error (or throws), so on failure the zone is as before.
   * Warnings are those of the change itself and of the names it affects.
   */
  apply(changes: readonly Change[], options: ApplyOptions = {}): ApplyResult {
    const sink = new ProblemSink();
    const stage = new ChangeStage(this.#tree, options.ttlPolicy ?? 'reject', sink);
    changes.forEach((change, i) => stage.apply(change, `change ${i + 1} (${change.op}): `));
    if (sink.hasErrors) return { ok: false, errors: sink.errors(), warnings: sink.warnings() };
    return this.#commit(stage.touched(), sink);
  }

  /**
   * Replaces whole RRsets (empty `rdatas`: removes one) with data the caller
   * built itself in canonical RDATA order without duplicates, as the DNSSEC
   * signer does for its RRSIG, NSEC and NSEC3 sets: apply()'s per-record
   * staging, admission and duplicate search are skipped, while the zone rules
   * judge the touched names exactly as in apply(), atomically. For hundreds of
   * thousands of records this is several times cheaper than apply().
   */
  replaceRRsets(sets: readonly RRsetReplacement[]): ApplyResult {
    const sink = new ProblemSink();
    const byName = new Map<
      string,
      { name: Name; before: readonly RRset[]; after: Map<number, RRset | null> }
    >();
    for (const s of sets) {
      if (!admitOwnerType(this.#tree, s.name, s.type, sink)) continue;
      const key = s.name.key;
      let e = byName.get(key);
      if (!e) {
        const node = this.#tree.get(key);
        const before = node?.rrsets ?? [];
        e = { name: before.length > 0 ? node!.name : s.name, before, after: new Map() };
        byName.set(key, e);
      }
      if (s.rdatas.length === 0) e.after.set(s.type, null);
      else if (s.ttls)
        e.after.set(s.type, {
          name: e.name,
          type: s.type,
          ttl: lowestTtl(s.ttls),
          rdatas: s.rdatas,
          ttls: s.ttls,
        });
      else e.after.set(s.type, { name: e.name, type: s.type, ttl: s.ttl, rdatas: s.rdatas });
    }
    if (sink.hasErrors) return { ok: false, errors: sink.errors(), warnings: sink.warnings() };
    const touched: Touched[] = [];
    for (const [key, e] of byName) {
      const after: RRset[] = [];
      for (const set of e.before) if (!e.after.has(set.type)) after.push(set);
      for (const set of e.after.values()) if (set) after.push(set);
      after.sort((a, b) => a.type - b.type);
      if (!sameRRsets(e.before, after)) touched.push({ key, name: e.name, before: e.before, after });
    }
    return this.#commit(touched, sink);
  }

  /** Swaps the touched names in, judges them and what they affect, and swaps them back on an error. */
  #commit(touched: readonly Touched[], sink: ProblemSink): ApplyResult {
    // The diff needs only the staged data: made before the zone changes, it cannot fail after.
    const diff = diffTouched(touched);
    try {
      for (const t of touched) this.#tree.setRRsets(t.name, t.after);
      const ctx = new ZoneContext(this.#tree, sink);
      checkNames(ctx, affectedKeys(ctx, touched));
    } catch (e) {
      // Names not swapped in yet already hold their `before` data: restoring them changes nothing.
      this.#restore(touched);
      throw e;
    }
    if (sink.hasErrors) {
      this.#restore(touched);
      return { ok: false, errors: sink.errors(), warnings: sink.warnings() };
    }
    return { ok: true, diff, warnings: sink.warnings() };
  }

  #restore(touched: readonly Touched[]): void {
    for (let i = touched.length - 1; i >= 0; i--) {
      const t = touched[i]!;
      this.#tree.setRRsets(t.before[0]?.name ?? t.name, t.before);
    }
  }

  private orderedNodes(): ZoneNode[] {
    const tree = this.#tree;
    if (this.#order?.shape === tree.shape) return this.#order.nodes;
    // Depth first from the apex, each node's children in label order: that is
    // canonical order (RFC 4034 §6.1) without ever comparing whole names.
    const ordered: ZoneNode[] = [];
    const stack: ZoneNode[] = [tree.apex];
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.rrsets.length > 0) ordered.push(node);
      if (!node.children) continue;
      const children = node.children.length === 1 ? node.children : sortByLabel(node.children);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
    this.#order = { shape: tree.shape, nodes: ordered };
    return ordered;
  }
}

/** Siblings in canonical order: they share a parent, so comparing names compares their labels. */
function sortByLabel(children: readonly ZoneNode[]): ZoneNode[] {
  return [...children].sort((a, b) => a.name.compare(b.name));
}
