// Signs a zone in place (RFC 4033-4035, RFC 5155): the apex key RRsets, the
// NSEC or NSEC3 chain and an RRSIG over every authoritative RRset. It runs in
// three passes over the names a change can affect, applying each pass to the
// Zone (the zone rules check every step) and returning one net diff, so a
// one-record change yields a few dozen records that go out in the same change
// set as the edit. A full sign is the same code over every name.
import type { Name } from '../name/name.js';
import { base32HexEncode, hexEncode } from '../rdata/binary.js';
import { compareBytes } from '../rdata/rdata.js';
import { RRType } from '../rdata/rrtype.js';
import type {
  DNSKEYRdata,
  DSRdata,
  NSEC3PARAMRdata,
  NSEC3Rdata,
  NSECRdata,
  RRSIGRdata,
} from '../rdata/types/dnssec.js';
import type { SOARdata } from '../rdata/types/soa.js';
import { canonicalRdata, compareRecords, type ResourceRecord } from '../rr.js';
import type { Change } from '../zone/changes.js';
import type { ZoneDiff } from '../zone/diff.js';
import { findRRset, type RRset } from '../zone/rrset.js';
import type { RRsetReplacement, Zone } from '../zone/zone.js';
import { ChainIndex, compareNames, compareText } from './chain-index.js';
import { nsec3Hash } from './nsec3-hash.js';
import { SignatureBatch, type SignaturePlan } from './signature-batch.js';
import { rrsigLabels, type RRSIGHeader } from './signed-data.js';

export type Denial = { kind: 'nsec' } | { kind: 'nsec3'; iterations: number; salt: Uint8Array };

/** A signing key as the signer sees it: no private material (a BatchSigner holds that). */
export interface KeyRef {
  id: string;
  tag: number;
  algorithm: number;
}

export interface SignatureTiming {
  /** Seconds from inception to expiration. */
  validity: number;
  /** A signature with less than this many seconds left is replaced. */
  refresh: number;
  /** Inception this many seconds before now, for validators whose clocks are behind (RFC 6781 §4.4.2). */
  inceptionOffset: number;
  /** Expirations are spread over this many seconds, so refreshes do not all fall due at once. */
  jitter: number;
}

/** 14 days' validity refreshed under 7 days left (docs/dnssec.md: edges ride out a week's outage). */
export const DEFAULT_TIMING: SignatureTiming = {
  validity: 14 * 86400,
  refresh: 7 * 86400,
  inceptionOffset: 3600,
  jitter: 86400,
};

export interface SigningSetup {
  /** The DNSKEY RRset to publish: every key in a published state. */
  dnskeys: readonly DNSKEYRdata[];
  dnskeyTtl: number;
  /** Keys that sign DNSKEY, CDS and CDNSKEY (KSKs, or the CSK). */
  keySigning: readonly KeyRef[];
  /** Keys that sign every other RRset (ZSKs, or the CSK). */
  zoneSigning: readonly KeyRef[];
  /** CDS and CDNSKEY to publish (RFC 7344); empty for none. */
  cds: readonly DSRdata[];
  cdnskey: readonly DNSKEYRdata[];
  denial: Denial;
  timing: SignatureTiming;
}

export interface SignJob {
  key: KeyRef;
  data: Uint8Array;
}

/** Makes signatures; an implementation may spread a large batch over threads. */
export interface BatchSigner {
  sign(jobs: readonly SignJob[], onProgress?: (done: number) => void): Promise<Uint8Array[]>;
}

export type SigningScope =
  /** Every signature made anew and the chain rebuilt. */
  | { kind: 'full' }
  /** Every name checked; only missing, expiring or wrongly keyed signatures are made. */
  | { kind: 'refresh' }
  /** The records a change set removed and added: only the names they can affect. */
  | { kind: 'changes'; records: readonly ResourceRecord[] };

export interface SigningResult {
  diff: ZoneDiff;
  /** Signatures made. */
  signatures: number;
  /** NSEC or NSEC3 records written or removed. */
  chainChanges: number;
  /** The scope that actually ran ('changes' becomes 'full' when the chain's parameters changed). */
  ran: SigningScope['kind'];
}

/** Types the signer owns everywhere: they are never data of a name. */
const SIGNER_TYPES = new Set<number>([RRType.RRSIG, RRType.NSEC, RRType.NSEC3]);
/** The chain's types: signed once the chain is built. */
const CHAIN_TYPES = new Set<number>([RRType.NSEC, RRType.NSEC3]);
/** Apex types signed by the key-signing keys (RFC 6781 §3.1, RFC 7344 §4.1). */
const KEY_SIGNED = new Set<number>([RRType.DNSKEY, RRType.CDS, RRType.CDNSKEY]);

type Status = 'auth' | 'cut' | 'below' | 'nsec3' | 'absent';

interface ChainState {
  /** 'nsec' or the NSEC3 parameters as text, so a parameter change rebuilds the chain. */
  params: string;
  names: ChainIndex<Name> | undefined;
  hashes: ChainIndex<string> | undefined;
  /** NSEC3: hash -> the original owner. */
  owners: Map<string, Name>;
}

// The chain of each Zone object, kept between calls so a change finds its neighbours without a walk.
const chains = new WeakMap<Zone, ChainState>();

function denialParams(d: Denial): string {
  return d.kind === 'nsec' ? 'nsec' : `nsec3 ${d.iterations} ${hexEncode(d.salt)}`;
}

/**
 * Brings the zone's DNSSEC records in line with `setup` at time `now`,
 * mutating `zone`. Throws (leaving the zone partly signed: callers discard
 * it, as the writer discards a model whose transaction fails) only on a
 * signer fault, never on zone data a Zone can hold.
 */
export async function signZone(
  zone: Zone,
  setup: SigningSetup,
  now: Date,
  scope: SigningScope,
  signer: BatchSigner,
  onProgress?: (done: number, total: number) => void,
): Promise<SigningResult> {
  try {
    return await new ZoneSigning(zone, setup, now, signer, onProgress).run(scope);
  } catch (e) {
    chains.delete(zone);
    throw e;
  }
}

class ZoneSigning {
  private readonly origin: Name;
  private readonly diffs: ZoneDiff[] = [];
  /** `${owner key}|${type}` of RRsets changed in this run or by the change set: their signatures are made anew. */
  private readonly touched = new Set<string>();
  private everythingTouched = false;
  private readonly cutMemo = new Map<string, boolean>();
  /** Status by owner key, valid until the next step changes the zone. */
  private readonly statusMemo = new Map<string, Status>();
  private readonly nowSeconds: number;
  private readonly negativeTtl: number;
  private chainChanges = 0;

  constructor(
    private readonly zone: Zone,
    private readonly setup: SigningSetup,
    now: Date,
    private readonly signer: BatchSigner,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {
    this.origin = zone.origin;
    this.nowSeconds = Math.floor(now.getTime() / 1000);
    const soa = zone.soa;
    // RFC 9077: NSEC/NSEC3 TTL is the lesser of the SOA's TTL and MINIMUM, as for negative answers.
    this.negativeTtl = Math.min(soa.ttl, (soa.data as SOARdata).minimum);
  }

  async run(requested: SigningScope): Promise<SigningResult> {
    let scope = requested;
    const params = denialParams(this.setup.denial);
    const state = chains.get(this.zone);
    // A chain of other parameters (or none: a zone signed for the first time) is rebuilt whole.
    if (scope.kind === 'changes' && !this.chainMatches(state, params)) scope = { kind: 'full' };
    if (scope.kind === 'full') this.everythingTouched = true;
    if (scope.kind === 'changes') for (const rr of scope.records) this.touch(rr.name, rr.type);

    this.applyStep(this.apexChanges());
    const dirty = scope.kind === 'changes' ? this.affectedNames(scope.records) : this.allNames();
    this.applyStep(this.leftoverRemovals(dirty), true);
    // Signatures over the data go to the signer first; the chain is built while they are made.
    const batch = new SignatureBatch(this.signer, this.onProgress);
    this.planSignatures(dirty.values(), 'data', batch);
    batch.flush();
    if (scope.kind === 'changes') {
      const chainOwners = this.updateChain(dirty);
      this.planSignatures(concat([dirty.values(), chainOwners]), 'chain', batch);
      this.applyStep(await batch.finish(), true);
    } else if (scope.kind === 'refresh') {
      // The chain checked whole, but only records that differ are written; valid signatures stay.
      const chain = this.rebuildChain(dirty, this.setup.denial, params).filter(
        (c) => !sameContent(c.type, this.zone.get(c.name, c.type), c.ttl, c.rdatas),
      );
      this.chainChanges += chain.length;
      this.applyStep(chain, true);
      const hashes = chains.get(this.zone)?.hashes?.values() ?? [];
      const owners = hashes.map((h) => this.hashOwner(h));
      this.planSignatures(concat([dirty.values(), owners, chain.map((c) => c.name)]), 'chain', batch);
      this.applyStep(await batch.finish(), true);
    } else {
      // A full sign signs the new chain records as built and installs them with every signature in one step.
      const chain = this.rebuildChain(dirty, this.setup.denial, params);
      this.chainChanges += chain.length;
      for (const c of chain)
        if (c.rdatas.length > 0 && CHAIN_TYPES.has(c.type)) this.planChainRecord(c, batch);
      const sigs = await batch.finish();
      this.applyStep([...chain, ...sigs], true);
    }
    const signatures = batch.size;
    return { diff: netDiff(this.diffs), signatures, chainChanges: this.chainChanges, ran: scope.kind };
  }

  // ---- helpers over the zone -------------------------------------------------

  /** Whether the zone's chain has the wanted parameters (from the cached index, else the apex records). */
  private chainMatches(state: ChainState | undefined, params: string): boolean {
    if (state) return state.params === params;
    const d = this.setup.denial;
    if (d.kind === 'nsec') return !!this.zone.get(this.origin, RRType.NSEC);
    const p = this.zone.get(this.origin, RRType.NSEC3PARAM)?.rdatas[0] as NSEC3PARAMRdata | undefined;
    return !!p && denialParams({ kind: 'nsec3', iterations: p.iterations, salt: p.salt }) === params;
  }

  private touch(name: Name, type: number): void {
    this.touched.add(`${name.key}|${type}`);
  }

  private applyStep(changes: Change[] | RRsetReplacement[], replace = false): void {
    if (changes.length === 0) return;
    const result = replace
      ? this.zone.replaceRRsets(changes as RRsetReplacement[])
      : this.zone.apply(changes as Change[]);
    if (!result.ok)
      throw new Error(`signing produced records the zone rejects: ${result.errors[0]?.message}`);
    this.statusMemo.clear();
    this.cutMemo.clear();
    for (const rr of result.diff.removed) this.touch(rr.name, rr.type);
    for (const rr of result.diff.added) this.touch(rr.name, rr.type);
    this.diffs.push(result.diff);
  }

  /** Whether `name` sits strictly below a delegation (or a DNAME) other than at the apex. */
  private belowCut(name: Name): boolean {
    const depth = name.labelCount - this.origin.labelCount;
    for (let i = 1; i < depth; i++) {
      const ancestor = name.parent(i);
      let cut = this.cutMemo.get(ancestor.key);
      if (cut === undefined) {
        cut = !!(this.zone.get(ancestor, RRType.NS) || this.zone.get(ancestor, RRType.DNAME));
        this.cutMemo.set(ancestor.key, cut);
      }
      if (cut) return true;
    }
    return false;
  }

  private status(name: Name): Status {
    let st = this.statusMemo.get(name.key);
    if (st === undefined) {
      st = this.statusNow(name);
      this.statusMemo.set(name.key, st);
    }
    return st;
  }

  private statusNow(name: Name): Status {
    if (!this.zone.nameExists(name)) return 'absent';
    const depth = name.labelCount - this.origin.labelCount;
    if (depth === 0) return 'auth';
    if (this.belowCut(name)) return 'below';
    const sets = this.zone.rrsetsAt(name);
    if (findRRset(sets, RRType.NS)) return 'cut';
    if (depth === 1 && findRRset(sets, RRType.NSEC3) && sets.every((s) => SIGNER_TYPES.has(s.type)))
      return 'nsec3';
    return 'auth';
  }

  /** Types of data at a name (what NSEC bitmaps describe), without the signer's own. */
  private dataTypes(name: Name): number[] {
    const out: number[] = [];
    for (const s of this.zone.rrsetsAt(name)) if (!SIGNER_TYPES.has(s.type)) out.push(s.type);
    return out;
  }

  private allNames(): Map<string, Name> {
    const out = new Map<string, Name>();
    for (const name of this.zone.names()) {
      out.set(name.key, name);
      // Empty non-terminals have no records but are names (NSEC3 covers them, RFC 5155 §7.1).
      const depth = name.labelCount - this.origin.labelCount;
      for (let i = 1; i < depth; i++) {
        const ancestor = name.parent(i);
        if (out.has(ancestor.key)) break;
        out.set(ancestor.key, ancestor);
      }
    }
    return out;
  }

  /** Names whose signatures or chain entries a change to `records` can alter. */
  private affectedNames(records: readonly ResourceRecord[]): Map<string, Name> {
    const out = new Map<string, Name>();
    const add = (name: Name) => {
      if (!name.isSubdomainOf(this.origin)) return;
      const depth = name.labelCount - this.origin.labelCount;
      for (let i = 0; i <= depth; i++) {
        const n = name.parent(i);
        if (out.has(n.key) && i > 0) break;
        out.set(n.key, n);
      }
    };
    add(this.origin);
    for (const rr of records) {
      add(rr.name);
      // A cut or DNAME that comes or goes changes what is authoritative below it.
      if ((rr.type === RRType.NS || rr.type === RRType.DNAME) && !rr.name.equals(this.origin))
        for (const below of this.zone.namesAtOrBelow(rr.name)) add(below);
    }
    return out;
  }

  // ---- pass 1: apex key RRsets and NSEC3PARAM ------------------------------------

  private apexChanges(): Change[] {
    const { setup } = this;
    const changes: Change[] = [];
    const want = (type: number, ttl: number, rdatas: readonly unknown[]) => {
      const have = this.zone.get(this.origin, type);
      if (sameContent(type, have, ttl, rdatas)) return;
      changes.push({ op: 'replace', name: have?.name ?? this.origin, type, ttl, rdatas });
    };
    want(RRType.DNSKEY, setup.dnskeyTtl, setup.dnskeys);
    want(RRType.CDS, setup.dnskeyTtl, setup.cds);
    want(RRType.CDNSKEY, setup.dnskeyTtl, setup.cdnskey);
    const d = setup.denial;
    // NSEC3PARAM's TTL is 0, as BIND writes it: only signers read it (RFC 5155 §4).
    want(
      RRType.NSEC3PARAM,
      0,
      d.kind === 'nsec3'
        ? [{ hashAlgorithm: 1, flags: 0, iterations: d.iterations, salt: d.salt } satisfies NSEC3PARAMRdata]
        : [],
    );
    return changes;
  }

  /** Names left holding nothing but signatures or an NSEC (their data was deleted) lose them, so they stop existing. */
  private leftoverRemovals(dirty: Map<string, Name>): RRsetReplacement[] {
    const changes: RRsetReplacement[] = [];
    for (const name of dirty.values()) {
      const sets = this.zone.rrsetsAt(name);
      if (sets.length === 0 || sets.some((s) => !SIGNER_TYPES.has(s.type))) continue;
      if (findRRset(sets, RRType.NSEC3)) continue; // an NSEC3 owner: the chain pass decides
      for (const s of sets) changes.push({ name: s.name, type: s.type, ttl: s.ttl, rdatas: [] });
    }
    return changes;
  }

  // ---- pass 2: the NSEC or NSEC3 chain ----------------------------------------

  private hashOwner(hash: string): Name {
    return this.origin.child(hash);
  }

  /** The chain key of a name when it belongs in the chain (RFC 4034 §4.1.1, RFC 5155 §7.1), else undefined. */
  private chainKey(name: Name, st: Status, types: readonly number[], d: Denial): Name | string | undefined {
    if (d.kind === 'nsec') return (st === 'auth' && types.length > 0) || st === 'cut' ? name : undefined;
    return st === 'auth' || st === 'cut' ? this.hashOf(name, d) : undefined;
  }

  private hashOf(name: Name, d: Extract<Denial, { kind: 'nsec3' }>): string {
    return base32HexEncode(nsec3Hash(name, d.salt, d.iterations)).toLowerCase();
  }

  /** The chain's members as the zone has them now: one pass over every name. */
  private buildIndex(d: Denial, params: string): ChainState {
    const state: ChainState = {
      params,
      names: d.kind === 'nsec' ? new ChainIndex(compareNames) : undefined,
      hashes: d.kind === 'nsec3' ? new ChainIndex(compareText) : undefined,
      owners: new Map(),
    };
    const names: Name[] = [];
    const hashes: string[] = [];
    for (const name of this.allNames().values()) {
      const key = this.chainKey(name, this.status(name), this.dataTypes(name), d);
      if (key === undefined) continue;
      if (typeof key === 'string') {
        hashes.push(key);
        state.owners.set(key, name);
      } else names.push(key);
    }
    if (state.names) state.names.reset(names);
    else state.hashes!.reset(hashes);
    chains.set(this.zone, state);
    return state;
  }

  private updateChain(dirty: Map<string, Name>): Name[] {
    const d = this.setup.denial;
    const params = denialParams(d);
    let state = chains.get(this.zone);
    // Built from the zone when this Zone object has none yet (a model loaded from storage):
    // the changed names below then find their neighbours as usual.
    if (!state || state.params !== params) state = this.buildIndex(d, params);
    const changes: RRsetReplacement[] = [];
    const chainOwners: Name[] = [];
    const members: { key: Name | string; owner: Name; types: number[] }[] = [];
    const changedKeys: (Name | string)[] = [];

    for (const name of dirty.values()) {
      const st = this.status(name);
      const types = this.dataTypes(name);
      const nsecHere = this.zone.get(name, RRType.NSEC);
      if (d.kind === 'nsec3' && st === 'nsec3') continue;
      const key = this.chainKey(name, st, types, d);
      if (key !== undefined) members.push({ key, owner: name, types });
      if (nsecHere && (d.kind === 'nsec3' || key === undefined))
        changes.push({ name: nsecHere.name, type: RRType.NSEC, ttl: 0, rdatas: [] });
      if (d.kind === 'nsec') {
        if (key !== undefined) state.names!.insert(name);
        else state.names!.remove(name);
        // Its predecessor's NSEC names the next owner: relinked whether this name came, went or stayed.
        changedKeys.push(name);
      } else {
        const hash = (key as string | undefined) ?? this.hashOf(name, d);
        if (key !== undefined) {
          state.hashes!.insert(hash);
          state.owners.set(hash, name);
        } else {
          if (st === 'below' || st === 'absent') {
            state.hashes!.remove(hash);
            state.owners.delete(hash);
          }
          if (this.zone.get(this.hashOwner(hash), RRType.NSEC3)) this.removeNsec3(hash, changes, chainOwners);
        }
        changedKeys.push(hash);
      }
    }

    // Each member's own record, and the predecessor of every entry that came or went.
    const relink = new Map<string, { key: Name | string; types: number[] | undefined }>();
    const id = (k: Name | string) => (typeof k === 'string' ? k : k.key);
    for (const m of members) relink.set(id(m.key), { key: m.key, types: m.types });
    for (const k of changedKeys) {
      const before =
        d.kind === 'nsec' ? state.names!.previous(k as Name) : state.hashes!.previous(k as string);
      if (before !== undefined && !relink.has(id(before)))
        relink.set(id(before), { key: before, types: undefined });
    }
    for (const { key, types } of relink.values()) {
      if (d.kind === 'nsec') this.linkNsec(state, key as Name, types, changes, chainOwners);
      else this.linkNsec3(state, d, key as string, types, changes, chainOwners);
    }
    this.chainChanges += changes.length;
    this.applyStep(changes, true);
    return chainOwners;
  }

  /**
   * A full sign: the chain made anew from one pass over every name (`all`),
   * every record written (so each is signed anew) but not yet applied.
   */
  private rebuildChain(all: Map<string, Name>, d: Denial, params: string): RRsetReplacement[] {
    const changes: RRsetReplacement[] = [];
    const chainOwners: Name[] = [];
    const members: { key: Name | string; owner: Name; types: number[]; st: Status }[] = [];
    for (const name of all.values()) {
      const st = this.status(name);
      if (d.kind === 'nsec3' && st === 'nsec3') continue;
      const types = this.dataTypes(name);
      const key = this.chainKey(name, st, types, d);
      if (key !== undefined) members.push({ key, owner: name, types, st });
      const nsecHere = this.zone.get(name, RRType.NSEC);
      if (nsecHere && (d.kind === 'nsec3' || key === undefined))
        changes.push({ name: nsecHere.name, type: RRType.NSEC, ttl: 0, rdatas: [] });
    }
    const state: ChainState = { params, names: undefined, hashes: undefined, owners: new Map() };
    if (d.kind === 'nsec') {
      members.sort((a, b) => compareNames(a.key as Name, b.key as Name));
      state.names = new ChainIndex(compareNames);
      state.names.reset(members.map((m) => m.key as Name));
    } else {
      members.sort((a, b) => compareText(a.key as string, b.key as string));
      state.hashes = new ChainIndex(compareText);
      state.hashes.reset(members.map((m) => m.key as string));
      for (const m of members) state.owners.set(m.key as string, m.owner);
    }
    chains.set(this.zone, state);
    // NSEC3 records of owners no longer in the chain, of other parameters, or of NSEC3 when NSEC is chosen.
    const keep = d.kind === 'nsec3' ? state.owners : new Map<string, Name>();
    const hashDepth = this.origin.labelCount + 1;
    for (const name of this.zone.names()) {
      if (name.labelCount !== hashDepth || this.status(name) !== 'nsec3') continue;
      const hash = String.fromCharCode(...name.labels()[0]!).toLowerCase();
      if (!keep.has(hash)) this.removeNsec3(hash, changes, chainOwners);
    }
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      const next = members[(i + 1) % members.length]!.key;
      if (d.kind === 'nsec') {
        const rdata: NSECRdata = { next: next as Name, types: this.bitmap(m.owner, m.types, m.st, true) };
        changes.push({ name: m.owner, type: RRType.NSEC, ttl: this.negativeTtl, rdatas: [rdata] });
      } else
        changes.push(
          this.nsec3Record(d, m.key as string, next as string, this.bitmap(m.owner, m.types, m.st, false)),
        );
    }
    return changes;
  }

  private nsec3Record(
    d: Extract<Denial, { kind: 'nsec3' }>,
    hash: string,
    next: string,
    types: number[],
  ): RRsetReplacement {
    const rdata: NSEC3Rdata = {
      hashAlgorithm: 1,
      flags: 0,
      iterations: d.iterations,
      salt: d.salt,
      nextHashed: base32HexToBytes(next),
      types,
    };
    return { name: this.hashOwner(hash), type: RRType.NSEC3, ttl: this.negativeTtl, rdatas: [rdata] };
  }

  /** Queues the signature of a chain record a full sign made (every older one at its owner goes). */
  private planChainRecord(c: RRsetReplacement, batch: SignatureBatch): void {
    const set: RRset = { name: c.name, type: c.type, ttl: c.ttl, rdatas: c.rdatas };
    const from = batch.size;
    for (const key of this.setup.zoneSigning) batch.add(set, key, this.rrsigHeader(set, key));
    batch.addPlan(c.name.key, {
      owner: c.name,
      phase: 'chain',
      kept: [],
      outside: [],
      from,
      to: batch.size,
      changed: true,
    });
  }

  /** The RRSIG RDATA of a new signature over `set`, but for the signature itself. */
  private rrsigHeader(set: RRset, key: KeyRef): RRSIGHeader {
    const t = this.setup.timing;
    const inception = this.nowSeconds - t.inceptionOffset;
    return {
      typeCovered: set.type,
      algorithm: key.algorithm,
      labels: rrsigLabels(set.name),
      originalTtl: set.ttl,
      expiration: (inception + t.validity - jitterOf(set.name, set.type, t.jitter)) >>> 0,
      inception: inception >>> 0,
      keyTag: key.tag,
      signerName: this.origin,
    };
  }

  private removeNsec3(hash: string, changes: RRsetReplacement[], chainOwners: Name[]): void {
    const owner = this.hashOwner(hash);
    if (this.zone.get(owner, RRType.NSEC3))
      changes.push({ name: owner, type: RRType.NSEC3, ttl: 0, rdatas: [] });
    if (this.zone.get(owner, RRType.RRSIG))
      changes.push({ name: owner, type: RRType.RRSIG, ttl: 0, rdatas: [] });
    chainOwners.push(owner);
  }

  private linkNsec(
    state: ChainState,
    name: Name,
    types: number[] | undefined,
    changes: RRsetReplacement[],
    chainOwners: Name[],
  ): void {
    const next = state.names!.next(name)!;
    const bitmap = types ?? this.dataTypes(name);
    const st = types ? undefined : this.status(name);
    this.putNsec(name, next, this.bitmap(name, bitmap, st, true), changes, chainOwners);
  }

  /** The NSEC at `name`, queued when it differs from the zone's. */
  private putNsec(
    name: Name,
    next: Name,
    types: number[],
    changes: RRsetReplacement[],
    chainOwners: Name[],
  ): void {
    const rdata: NSECRdata = { next, types };
    const have = this.zone.get(name, RRType.NSEC);
    if (sameContent(RRType.NSEC, have, this.negativeTtl, [rdata])) return;
    changes.push({ name: have?.name ?? name, type: RRType.NSEC, ttl: this.negativeTtl, rdatas: [rdata] });
    chainOwners.push(name);
  }

  private linkNsec3(
    state: ChainState,
    d: Extract<Denial, { kind: 'nsec3' }>,
    hash: string,
    types: number[] | undefined,
    changes: RRsetReplacement[],
    chainOwners: Name[],
  ): void {
    const owner = this.hashOwner(hash);
    const next = state.hashes!.next(hash)!;
    const have = this.zone.get(owner, RRType.NSEC3);
    let bitmapTypes: number[];
    if (types) {
      const original = state.owners.get(hash)!;
      bitmapTypes = this.bitmap(original, types, undefined, false);
    } else if (have) {
      bitmapTypes = (have.rdatas[0] as NSEC3Rdata).types;
    } else {
      const original = state.owners.get(hash)!;
      bitmapTypes = this.bitmap(original, this.dataTypes(original), undefined, false);
    }
    this.putNsec3(d, hash, next, bitmapTypes, changes, chainOwners);
  }

  /** The NSEC3 of `hash`, queued when it differs from the zone's. */
  private putNsec3(
    d: Extract<Denial, { kind: 'nsec3' }>,
    hash: string,
    next: string,
    types: number[],
    changes: RRsetReplacement[],
    chainOwners: Name[],
  ): void {
    const record = this.nsec3Record(d, hash, next, types);
    const have = this.zone.get(record.name, RRType.NSEC3);
    if (sameContent(RRType.NSEC3, have, this.negativeTtl, record.rdatas)) return;
    changes.push(record);
    chainOwners.push(record.name);
  }

  /** The type bitmap of a chain entry (RFC 4034 §4.1.2; at a cut only NS, DS and the signer's, §2.3). */
  private bitmap(name: Name, types: number[], st: Status | undefined, nsec: boolean): number[] {
    const status = st ?? this.status(name);
    let out: number[];
    if (status === 'cut') {
      out = [RRType.NS];
      if (types.includes(RRType.DS)) out.push(RRType.DS);
      if (nsec || types.includes(RRType.DS)) out.push(RRType.RRSIG);
    } else {
      out = [...types];
      if (nsec || types.length > 0) out.push(RRType.RRSIG);
    }
    if (nsec) out.push(RRType.NSEC);
    return out.sort((a, b) => a - b);
  }

  // ---- pass 3: signatures -----------------------------------------------------

  private signable(name: Name): RRset[] {
    const st = this.status(name);
    const sets = this.zone.rrsetsAt(name);
    if (st === 'auth') return sets.filter((s) => s.type !== RRType.RRSIG);
    if (st === 'cut') return sets.filter((s) => s.type === RRType.DS || s.type === RRType.NSEC);
    if (st === 'nsec3') return sets.filter((s) => s.type === RRType.NSEC3);
    return [];
  }

  /**
   * Decides the signatures of the RRsets at `names` of the phase's types
   * (the chain's, or all others; signatures over the other phase's types stay as they are): keeps
   * the valid ones, drops the rest and queues new ones in `batch`.
   */
  private planSignatures(names: Iterable<Name>, phase: SignaturePlan['phase'], batch: SignatureBatch): void {
    const inPhase = (type: number) => CHAIN_TYPES.has(type) === (phase === 'chain');
    const { setup, nowSeconds } = this;
    const t = setup.timing;
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name.key)) continue;
      seen.add(name.key);
      const sigs = this.zone.get(name, RRType.RRSIG);
      const wanted = new Map<number, RRset>();
      for (const s of this.signable(name)) if (inPhase(s.type)) wanted.set(s.type, s);
      if (!sigs && wanted.size === 0) continue;
      const plan: SignaturePlan = {
        owner: sigs?.name ?? name,
        phase,
        kept: [],
        outside: [],
        from: batch.size,
        to: 0,
        changed: false,
      };
      const kept = new Set<string>();
      if (sigs)
        sigs.rdatas.forEach((raw, i) => {
          const sig = raw as RRSIGRdata;
          if (!inPhase(sig.typeCovered)) {
            // A full sign makes every signature anew: one no phase re-plans is dropped.
            if (this.everythingTouched) plan.changed = true;
            else plan.outside.push({ data: sig, ttl: sigs.ttls?.[i] ?? sigs.ttl });
            return;
          }
          const set = wanted.get(sig.typeCovered);
          const keys = KEY_SIGNED.has(sig.typeCovered) ? setup.keySigning : setup.zoneSigning;
          const key = keys.find((k) => k.tag === sig.keyTag && k.algorithm === sig.algorithm);
          const keep =
            set !== undefined &&
            key !== undefined &&
            !this.everythingTouched &&
            !this.touched.has(`${name.key}|${sig.typeCovered}`) &&
            sig.originalTtl === set.ttl &&
            sigs.ttls?.[i] === set.ttl &&
            sig.labels === rrsigLabels(set.name) &&
            sig.signerName.equals(this.origin) &&
            sig.inception <= nowSeconds &&
            sig.expiration - nowSeconds >= t.refresh &&
            !kept.has(`${sig.typeCovered}|${key.id}`);
          if (keep) {
            kept.add(`${sig.typeCovered}|${key.id}`);
            plan.kept.push({ data: sig, ttl: sigs.ttls?.[i] ?? sigs.ttl });
          } else plan.changed = true;
        });
      for (const set of wanted.values()) {
        const keys = KEY_SIGNED.has(set.type) ? setup.keySigning : setup.zoneSigning;
        for (const key of keys) {
          if (kept.has(`${set.type}|${key.id}`)) continue;
          plan.changed = true;
          batch.add(set, key, this.rrsigHeader(set, key));
        }
      }
      plan.to = batch.size;
      batch.addPlan(name.key, plan);
    }
  }
}

/** Whether an RRset holds exactly `rdatas` with TTL `ttl` (both absent counts as the same). */
function sameContent(
  type: number,
  have: RRset | undefined,
  ttl: number,
  rdatas: readonly unknown[],
): boolean {
  if (!have) return rdatas.length === 0;
  if (have.rdatas.length !== rdatas.length || have.ttl !== ttl) return false;
  const a = have.rdatas.map((r) => canonicalRdata({ type, data: r })).sort(compareBytes);
  const b = rdatas.map((r) => canonicalRdata({ type, data: r })).sort(compareBytes);
  return a.every((x, i) => compareBytes(x, b[i]!) === 0);
}

function base32HexToBytes(text: string): Uint8Array {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let p = 0;
  for (const ch of text) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out[p++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

function* concat<T>(lists: readonly Iterable<T>[]): Generator<T> {
  for (const list of lists) yield* list;
}

/** A stable spread in [0, jitter) per RRset (FNV-1a of owner and type), so re-runs agree. */
function jitterOf(name: Name, type: number, jitter: number): number {
  if (jitter <= 0) return 0;
  let h = 0x811c9dc5;
  const key = name.key;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ type, 0x01000193) >>> 0;
  return h % jitter;
}

/** The net of successive diffs: a record added then removed (or the reverse) does not appear. */
export function netDiff(diffs: readonly ZoneDiff[]): ZoneDiff {
  const parts = diffs.filter((d) => d.removed.length > 0 || d.added.length > 0);
  if (parts.length === 0) return diffs[0] ?? { removed: [], added: [] };
  if (parts.length === 1) return parts[0]!;
  // Only a record removed by one diff and added by another can cancel, so the full key
  // (canonical octets) is made only for owners and types found on both sides.
  const ownerType = (rr: ResourceRecord) => `${rr.name.key}|${rr.type}`;
  const removedAt = new Set<string>();
  const addedAt = new Set<string>();
  for (const d of parts) for (const rr of d.removed) removedAt.add(ownerType(rr));
  // Nothing removed (a zone signed for the first time): nothing can cancel.
  if (removedAt.size > 0) for (const d of parts) for (const rr of d.added) addedAt.add(ownerType(rr));
  const net = new Map<string, number>();
  const key = (rr: ResourceRecord) => `${ownerType(rr)}|${rr.ttl}|${hexEncode(canonicalRdata(rr))}`;
  const candidate = (rr: ResourceRecord) => {
    if (addedAt.size === 0) return false;
    const k = ownerType(rr);
    return removedAt.has(k) && addedAt.has(k);
  };
  for (const d of parts) {
    for (const rr of d.removed) if (candidate(rr)) net.set(key(rr), (net.get(key(rr)) ?? 0) - 1);
    for (const rr of d.added) if (candidate(rr)) net.set(key(rr), (net.get(key(rr)) ?? 0) + 1);
  }
  // A record that cancels is dropped from every diff; what stays keeps each diff's canonical order.
  const keepIf = (rr: ResourceRecord, sign: number) =>
    !candidate(rr) || Math.sign(net.get(key(rr))!) === sign;
  const once = new Set<string>();
  const firstOnly = (rr: ResourceRecord) => {
    if (!candidate(rr)) return true;
    const k = key(rr);
    if (once.has(k)) return false;
    once.add(k);
    return true;
  };
  const removed = mergeSorted(parts.map((d) => d.removed.filter((rr) => keepIf(rr, -1))));
  const added = mergeSorted(parts.map((d) => d.added.filter((rr) => keepIf(rr, 1))));
  return { removed: removed.filter(firstOnly), added: added.filter(firstOnly) };
}

/** Merges lists that are each in canonical order. */
function mergeSorted(lists: ResourceRecord[][]): ResourceRecord[] {
  let out: ResourceRecord[] = [];
  for (const list of lists) {
    if (list.length === 0) continue;
    if (out.length === 0) {
      out = list;
      continue;
    }
    const merged: ResourceRecord[] = new Array(out.length + list.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < out.length && j < list.length)
      merged[k++] = compareRecords(out[i]!, list[j]!) <= 0 ? out[i++]! : list[j++]!;
    while (i < out.length) merged[k++] = out[i++]!;
    while (j < list.length) merged[k++] = list[j++]!;
    out = merged;
  }
  return out;
}
