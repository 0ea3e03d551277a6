// The signatures one signing run makes, handed to the BatchSigner in chunks
// as soon as they are planned: a full sign of a large zone keeps the signing
// threads busy while this thread goes on building the NSEC/NSEC3 chain.
import type { Name } from '../name/name.js';
import { compareBytes } from '../rdata/rdata.js';
import { RRType } from '../rdata/rrtype.js';
import type { RRSIGRdata } from '../rdata/types/dnssec.js';
import { canonicalRdata } from '../rr.js';
import type { RRset } from '../zone/rrset.js';
import type { RRsetReplacement } from '../zone/zone.js';
import { signedData, type RRSIGHeader } from './signed-data.js';
import type { BatchSigner, KeyRef } from './zone-signer.js';

/** Signatures handed to the signer at once: big enough to spread over threads, small enough to start early. */
const CHUNK = 16_384;

/** One name's signatures for some of its types: those kept, and where its new ones sit in the batch. */
export interface SignaturePlan {
  owner: Name;
  /** Which types the plan decided on (see ZoneSigning.planSignatures). */
  phase: 'data' | 'chain';
  /** Valid signatures over the phase's types. */
  kept: { data: RRSIGRdata; ttl: number }[];
  /** Signatures over the other phase's types, as found: they stay unless that phase planned the name too. */
  outside: { data: RRSIGRdata; ttl: number }[];
  from: number;
  to: number;
  /** Some signature was dropped or is new. */
  changed: boolean;
}

interface Pending {
  set: RRset;
  key: KeyRef;
  header: RRSIGHeader;
}

export class SignatureBatch {
  private readonly pending: Pending[] = [];
  private readonly chunks: { from: number; signatures: Promise<Uint8Array[]> }[] = [];
  private submitted = 0;
  private readonly done: number[] = [];
  /** Plans by owner key; a name can have one per phase. */
  private readonly plans = new Map<string, SignaturePlan[]>();

  constructor(
    private readonly signer: BatchSigner,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /** Queues one new signature over `set`. */
  add(set: RRset, key: KeyRef, header: RRSIGHeader): void {
    this.pending.push({ set, key, header });
    if (this.pending.length - this.submitted >= CHUNK) this.flush();
  }

  addPlan(key: string, plan: SignaturePlan): void {
    const list = this.plans.get(key);
    if (list) list.push(plan);
    else this.plans.set(key, [plan]);
  }

  /** Hands the queued signatures to the signer. */
  flush(): void {
    const from = this.submitted;
    const to = this.pending.length;
    if (to === from) return;
    this.submitted = to;
    const jobs = new Array<{ key: KeyRef; data: Uint8Array }>(to - from);
    for (let i = from; i < to; i++) {
      const p = this.pending[i]!;
      jobs[i - from] = { key: p.key, data: signedData(p.header, p.set.name, p.set.rdatas) };
    }
    const slot = this.done.push(0) - 1;
    const signatures = this.signer.sign(jobs, (n) => {
      this.done[slot] = n;
      if (this.onProgress)
        this.onProgress(
          this.done.reduce((a, b) => a + b, 0),
          this.pending.length,
        );
    });
    this.chunks.push({ from, signatures });
  }

  /** Waits for every signature and returns each changed name's whole RRSIG set, in canonical order. */
  async finish(): Promise<RRsetReplacement[]> {
    this.flush();
    const signatures = new Array<Uint8Array>(this.pending.length);
    // All chunks are awaited (even after a failure) so no signer call is left running unobserved.
    const results = await Promise.allSettled(this.chunks.map((c) => c.signatures));
    results.forEach((r, i) => {
      if (r.status === 'rejected') throw r.reason;
      const from = this.chunks[i]!.from;
      r.value.forEach((sig, j) => (signatures[from + j] = sig));
    });
    const out: RRsetReplacement[] = [];
    for (const plans of this.plans.values()) {
      if (!plans.some((p) => p.changed)) continue;
      const entries: { data: RRSIGRdata; ttl: number }[] = [];
      for (const plan of plans) {
        entries.push(...plan.kept);
        if (!plans.some((p) => p.phase !== plan.phase)) entries.push(...plan.outside);
        for (let i = plan.from; i < plan.to; i++) {
          const { header, set } = this.pending[i]!;
          entries.push({ data: { ...header, signature: signatures[i]! }, ttl: set.ttl });
        }
      }
      if (entries.length > 1) entries.sort((a, b) => compareRrsig(a.data, b.data));
      out.push({
        name: plans[0]!.owner,
        type: RRType.RRSIG,
        ttl: 0,
        rdatas: entries.map((e) => e.data),
        ttls: entries.map((e) => e.ttl),
      });
    }
    return out;
  }
}

/**
 * Canonical RRSIG order (RFC 4034 §6.3) from the fixed-width fields, which
 * precede the signer name and signature in the RDATA: the octets are needed
 * only for the rare tie (two keys with one tag).
 */
export function compareRrsig(a: RRSIGRdata, b: RRSIGRdata): number {
  return (
    a.typeCovered - b.typeCovered ||
    a.algorithm - b.algorithm ||
    a.labels - b.labels ||
    a.originalTtl - b.originalTtl ||
    a.expiration - b.expiration ||
    a.inception - b.inception ||
    a.keyTag - b.keyTag ||
    compareBytes(
      canonicalRdata({ type: RRType.RRSIG, data: a }),
      canonicalRdata({ type: RRType.RRSIG, data: b }),
    )
  );
}
