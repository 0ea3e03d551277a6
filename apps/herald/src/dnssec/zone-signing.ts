// The writer's DNSSEC step: inside the zone's locked transaction, after the
// change set and the SOA bump, it signs what the change touched (a few dozen
// records for a one-record change), so edges get the records and their
// signatures in one change set. Requests from the DNSSEC use cases (enable,
// rollover steps, refresh, a full sign) run here too, so keys and signatures
// always commit together.
import { performance } from 'node:perf_hooks';
import {
  RRType,
  localSigner,
  signZone,
  signingSetupOf,
  threadSigner,
  type BatchSigner,
  type ResourceRecord,
  type SigningScope,
  type Zone,
  type ZoneDiff,
} from '@herald/dns';
import { Problem } from '../http/problem.js';
import type { ZoneTransaction } from '../ports/zone-store.port.js';
import type { PlanAudit } from '../zones/zone-writer.js';
import { fromStored, keyPolicyOf, toStored, type DnssecDocument } from './dnssec-document.js';
import type { KeyStore } from './key-store.js';

/** Types only the signer writes in a signed zone. */
export const SIGNER_OWNED = new Set<number>([
  RRType.RRSIG,
  RRType.NSEC,
  RRType.NSEC3,
  RRType.NSEC3PARAM,
  RRType.DNSKEY,
  RRType.CDS,
  RRType.CDNSKEY,
]);

/** What a DNSSEC use case asks of the writer. */
export interface SigningRequest {
  /** Changes the document first (enable, settings, rollover, DS seen); may throw a Problem. */
  update?: (doc: DnssecDocument | undefined, model: Zone) => { doc: DnssecDocument; audit: PlanAudit[] };
  scope: 'full' | 'refresh';
  /** Spread signatures over worker threads (a full sign of a large zone). */
  threads?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SigningOutcome {
  diff: ZoneDiff;
  audit: PlanAudit[];
  /** The zone is (still) signed: records the signer adds are marked managed_by dnssec. */
  signed: boolean;
  /** The document changed (saved in the transaction). */
  documentChanged: boolean;
}

export class ZoneSigning {
  constructor(private readonly keys: KeyStore) {}

  /**
   * Runs a use case's request (before the SOA bump), or signs what a change
   * set touched (after it). Returns undefined when the zone is not signed and
   * nothing was asked.
   */
  async run(
    tx: ZoneTransaction,
    model: Zone,
    now: Date,
    what: {
      request?: SigningRequest;
      touched?: readonly ResourceRecord[];
      userChanges?: readonly ResourceRecord[];
    },
  ): Promise<SigningOutcome | undefined> {
    let doc = fromStored(await tx.dnssec());
    const audit: PlanAudit[] = [];
    let documentChanged = false;
    if (what.request?.update) {
      const updated = what.request.update(doc, model);
      doc = updated.doc;
      audit.push(...updated.audit);
      documentChanged = true;
    }
    if (!doc || doc.signing === 'unsigned') {
      if (documentChanged && doc) {
        await tx.saveDnssec(toStored(doc));
        // Turning off completed: the signer's records go (the CDS delete step came first).
        return { diff: stripSignerRecords(model), audit, signed: false, documentChanged };
      }
      return undefined;
    }
    if (what.userChanges?.some((rr) => SIGNER_OWNED.has(rr.type)))
      throw new Problem(
        409,
        'Conflict',
        `the zone is signed: DNSSEC records (${[...new Set(what.userChanges.filter((rr) => SIGNER_OWNED.has(rr.type)).map((rr) => rr.type))].join(', ')}) are managed by herald; change them through /v1/zones/{zone}/dnssec`,
      );

    const policy = keyPolicyOf(doc.settings);
    const setup = signingSetupOf(model.origin, doc.keys, policy, doc.signing);
    const signingKeys = doc.keys.filter(
      (k) => k.state === 'active' && [...setup.keySigning, ...setup.zoneSigning].some((r) => r.id === k.id),
    );
    const material = this.keys.open(tx.zone.name, doc, signingKeys);
    const signer: BatchSigner = what.request?.threads ? threadSigner(material) : localSigner(material);
    const scope: SigningScope = what.request
      ? { kind: what.request.scope }
      : { kind: 'changes', records: what.touched ?? [] };
    const t0 = performance.now();
    const result = await signZone(model, setup, now, scope, signer, what.request?.onProgress);
    if (scope.kind !== 'changes' || result.ran === 'full') {
      doc = {
        ...doc,
        lastSign: {
          at: now.toISOString(),
          kind: result.ran,
          signatures: result.signatures,
          seconds: Math.round(performance.now() - t0) / 1000,
        },
      };
      documentChanged = true;
    }
    if (documentChanged) await tx.saveDnssec(toStored(doc));
    return { diff: result.diff, audit, signed: true, documentChanged };
  }
}

/** Every record the signer owns, as a diff that removes them (the end of turning DNSSEC off). */
function stripSignerRecords(model: Zone): ZoneDiff {
  const removed: ResourceRecord[] = [];
  const changes = [];
  for (const set of [...model.rrsets()])
    if (SIGNER_OWNED.has(set.type)) {
      changes.push({ op: 'replace' as const, name: set.name, type: set.type, ttl: set.ttl, rdatas: [] });
    }
  if (changes.length === 0) return { removed, added: [] };
  const r = model.apply(changes);
  if (!r.ok) throw new Error(`removing DNSSEC records failed: ${r.errors[0]?.message}`);
  return r.diff;
}
