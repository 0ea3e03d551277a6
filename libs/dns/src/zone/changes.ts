import type { Name } from '../name/name.js';
import { printRdata } from '../rdata/rdata.js';
import { typeToString } from '../rdata/rrtype.js';
import type { ResourceRecord } from '../rr.js';
import type { Touched } from './affected.js';
import type { ZoneDiff } from './diff.js';
import type { Problem, ProblemSink } from './problem.js';
import { hasRecordTtls, lowestTtl, sameRRsets, searchRdata, sortUniqueRdatas, type RRset } from './rrset.js';
import { admitOwnerType, admitRdata, admitRecord } from './rules/admission.js';
import { reportDuplicate } from './rules/duplicate.js';
import { NOT_FOUND } from './rules/not-found.js';
import { reconcileTtls, type TtlPolicy } from './rules/ttl.js';
import type { NameTree } from './tree.js';

/**
 * One step of an ordered change set. Records are matched by owner, type and
 * canonical RDATA; the TTL of a record to delete (or of `from`) is ignored,
 * as in DNS UPDATE (RFC 2136 §2.5.4).
 */
export type Change =
  /** Adds a record; an identical one already there makes this a no-op (warning `duplicate`). */
  | { op: 'create'; record: ResourceRecord }
  /** Removes a record that must exist (error `not-found`). */
  | { op: 'delete'; record: ResourceRecord }
  /** Delete `from` (must exist), then create `to`. */
  | { op: 'update'; from: ResourceRecord; to: ResourceRecord }
  /**
   * Sets the whole RRset, TTL included (for RRSIG: every signature at the name gets `ttl`); empty
   * `rdatas` deletes it (a no-op when there is none).
   */
  | { op: 'replace'; name: Name; type: number; ttl: number; rdatas: readonly unknown[] };

export interface ApplyOptions {
  ttlPolicy?: TtlPolicy;
}

export type ApplyResult =
  { ok: true; diff: ZoneDiff; warnings: Problem[] } | { ok: false; errors: Problem[]; warnings: Problem[] };

interface StagedSet {
  ttl: number;
  rdatas: unknown[];
  /** RRSIG: every record's own TTL, in step with `rdatas` (see RRset). */
  ttls: number[] | undefined;
  /** The zone's RRset this started from, while unchanged (its rdatas are then shared, not copied). */
  base: RRset | undefined;
}

interface StagedName {
  key: string;
  name: Name;
  before: readonly RRset[];
  sets: Map<number, StagedSet>;
}

/**
 * Applies change operations in order to copies of the touched names' data,
 * never to the zone. touched() then gives the end state of each name.
 */
export class ChangeStage {
  private readonly names = new Map<string, StagedName>();

  constructor(
    private readonly tree: NameTree,
    private readonly policy: TtlPolicy,
    private readonly sink: ProblemSink,
  ) {}

  apply(change: Change, where: string): void {
    switch (change.op) {
      case 'create':
        this.create(change.record, where);
        break;
      case 'delete':
        this.delete(change.record, where);
        break;
      case 'update':
        if (this.delete(change.from, where)) this.create(change.to, where);
        else admitRecord(this.tree, change.to, this.sink, where);
        break;
      case 'replace':
        this.replace(change, where);
        break;
    }
  }

  /** Names whose data really changes (a create undone by a delete is no change), with before and after. */
  touched(): Touched[] {
    const out: Touched[] = [];
    for (const e of this.names.values()) {
      const after: RRset[] = [];
      for (const [type, s] of [...e.sets].sort((a, b) => a[0] - b[0])) {
        if (s.rdatas.length === 0) continue;
        if (s.base) after.push(s.base);
        else if (s.ttls)
          after.push({ name: e.name, type, ttl: lowestTtl(s.ttls), rdatas: s.rdatas, ttls: s.ttls });
        else after.push({ name: e.name, type, ttl: s.ttl, rdatas: s.rdatas });
      }
      if (!sameRRsets(e.before, after)) out.push({ key: e.key, name: e.name, before: e.before, after });
    }
    return out;
  }

  private create(rr: ResourceRecord, where: string): void {
    if (!admitRecord(this.tree, rr, this.sink, where)) return;
    const entry = this.stage(rr.name);
    const set = entry.sets.get(rr.type);
    const own = hasRecordTtls(rr.type);
    if (!set || set.rdatas.length === 0) {
      entry.sets.set(rr.type, {
        ttl: rr.ttl,
        rdatas: [rr.data],
        ttls: own ? [rr.ttl] : undefined,
        base: undefined,
      });
      return;
    }
    // An RRSIG has the TTL of the RRset it covers, not a TTL shared with the other RRSIGs (RFC 4034 §3).
    if (!own && rr.ttl !== set.ttl) {
      const ttl = reconcileTtls(
        this.policy,
        rr.name,
        rr.type,
        [set.ttl, rr.ttl],
        this.sink,
        where,
        ` (the RRset has ${set.ttl}, this record ${rr.ttl}); to change the TTL, use a replace change for the whole RRset`,
      );
      if (this.policy === 'reject') return;
      if (ttl !== set.ttl) this.writable(set).ttl = ttl;
    }
    const at = searchRdata(rr.type, set.rdatas, rr.data);
    if (at >= 0) {
      reportDuplicate(this.sink, rr.name, rr.type, rr.data, where);
      return;
    }
    const w = this.writable(set);
    w.rdatas.splice(-at - 1, 0, rr.data);
    w.ttls?.splice(-at - 1, 0, rr.ttl);
  }

  private delete(rr: ResourceRecord, where: string): boolean {
    if (!admitRecord(this.tree, rr, this.sink, where)) return false;
    const staged = this.names.get(rr.name.key);
    const exists = staged !== undefined || (this.tree.get(rr.name.key)?.rrsets.length ?? 0) > 0;
    const set = exists ? this.stage(rr.name).sets.get(rr.type) : undefined;
    const at = set ? searchRdata(rr.type, set.rdatas, rr.data) : -1;
    if (!set || at < 0) {
      this.sink.add(
        NOT_FOUND,
        rr.name,
        rr.type,
        `${where}${rr.name} ${typeToString(rr.type)} ${printRdata(rr.type, rr.data)} is not in the zone, so it cannot be deleted or updated`,
      );
      return false;
    }
    const w = this.writable(set);
    w.rdatas.splice(at, 1);
    w.ttls?.splice(at, 1);
    return true;
  }

  private replace(c: Extract<Change, { op: 'replace' }>, where: string): void {
    if (!admitOwnerType(this.tree, c.name, c.type, this.sink, where)) return;
    let valid = true;
    for (const d of c.rdatas) valid = admitRdata(c.name, c.type, d, this.sink, where) && valid;
    if (!valid) return;
    const rdatas = [...c.rdatas];
    const ttls = hasRecordTtls(c.type) ? rdatas.map(() => c.ttl) : undefined;
    for (const d of sortUniqueRdatas(c.type, rdatas, ttls))
      reportDuplicate(this.sink, c.name, c.type, d, where);
    this.stage(c.name).sets.set(c.type, { ttl: c.ttl, rdatas, ttls, base: undefined });
  }

  private stage(name: Name): StagedName {
    const key = name.key;
    let e = this.names.get(key);
    if (e) return e;
    const node = this.tree.get(key);
    const before = node?.rrsets ?? [];
    // A name keeps the spelling it has in the zone; a new one takes the first change's.
    e = { key, name: before.length > 0 ? node!.name : name, before, sets: new Map() };
    for (const s of before)
      e.sets.set(s.type, {
        ttl: s.ttl,
        rdatas: s.rdatas as unknown[],
        ttls: s.ttls as number[] | undefined,
        base: s,
      });
    this.names.set(key, e);
    return e;
  }

  /** Copy on first write: the zone's RRsets are never mutated. */
  private writable(set: StagedSet): StagedSet {
    if (set.base) {
      set.rdatas = set.rdatas.slice();
      set.ttls = set.ttls?.slice();
      set.base = undefined;
    }
    return set;
  }
}
