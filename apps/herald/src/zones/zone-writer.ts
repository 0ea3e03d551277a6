import {
  Name,
  RRType,
  Zone,
  canonicalRdata,
  formatRecordLine,
  hexEncode,
  nextSerial,
  type Change,
  type Problem as ZoneProblem,
  type ResourceRecord,
  type SOARdata,
  type ZoneDiff,
} from '@herald/dns';
import type { Principal } from '../auth/principal.js';
import { Problem, type FieldError } from '../http/problem.js';
import type { ChangeFeed } from '../ports/change-feed.port.js';
import type {
  AuditEntry,
  NewRecord,
  RecordFilter,
  StoredRecord,
  StoredZone,
  ZoneStore,
  ZoneTransaction,
} from '../ports/zone-store.port.js';
import { ZoneModelCache } from './zone-model-cache.js';
import { toNewRecord, toResourceRecord } from '../records/record-mapping.js';
import { publishQuietly } from './publish.js';
import {
  SIGNER_OWNED,
  type SigningOutcome,
  type SigningRequest,
  type ZoneSigning,
} from '../dnssec/zone-signing.js';

/** An audit entry as a plan writes it: the writer stamps org, actor, time and zone. */
export type PlanAudit = Omit<AuditEntry, 'orgId' | 'actor' | 'at' | 'zone'>;

/** What the change did, for audit entries written after it is applied. */
export interface AppliedCounts {
  /** Records in the zone before and after the change (SOA included). */
  before: number;
  after: number;
  /** Records removed and added (the SOA's serial bump included). */
  removed: number;
  added: number;
}

/** New metadata for a stored record whose DNS data the plan leaves as it is. */
export interface PlannedMetadata {
  id: string;
  metadata: Record<string, unknown>;
  /** Written with the metadata, even when the DNS data does not change. */
  audit: PlanAudit;
}

/** What a use case wants done to a zone, decided from its current state. */
export interface ZonePlan {
  changes: Change[];
  /** Metadata of records this plan creates, by `recordIdentity`. */
  metadata?: Map<string, Record<string, unknown>>;
  /** Ids to keep for records this plan creates (an update keeps its id), by `recordIdentity`. */
  keepIds?: Map<string, string>;
  /**
   * Metadata changes of stored records, by id. Metadata is not DNS data: on
   * their own they are stored and audited, but the serial does not move and
   * nothing is published.
   */
  metadataUpdates?: PlannedMetadata[];
  /** Records whose stored rows the caller wants back (`WriteResult.records`), e.g. to show them. */
  returns?: readonly (ResourceRecord | undefined)[];
  /** Audit entries of the DNS change, or a function of what it did (called once it is applied). */
  audit: PlanAudit[] | ((counts: AppliedCounts) => PlanAudit[]);
  /** DNSSEC work to do in this change set (a DNSSEC use case); signing what `changes` touch needs none. */
  signing?: SigningRequest;
}

export interface PlanContext {
  zone: StoredZone;
  origin: Name;
  /** The zone as it is now (read-only for the plan: the writer applies the plan to it). */
  model: Zone;
  /** Stored rows (ids, metadata) within the locked transaction, e.g. by id or by owner and type. */
  lookup(filter: RecordFilter): Promise<StoredRecord[]>;
  /** Stored rows marked platform-managed (`metadata.managed_by`), within the locked transaction. */
  managed(): Promise<StoredRecord[]>;
}

export interface WriteResult {
  zone: StoredZone;
  serial: number;
  /** False when the plan changed nothing (DNS data nor metadata): no serial bump, nothing published. */
  changed: boolean;
  /** True when the DNS data changed: the serial moved and `{zone, serial}` was published. */
  published: boolean;
  added: StoredRecord[];
  /** Rows whose metadata alone was written. */
  updated: StoredRecord[];
  /** The stored rows of `ZonePlan.returns`, in its order (undefined where there is none). */
  records: (StoredRecord | undefined)[];
  /** Records removed and added by the change set (the SOA's serial bump included). */
  counts: { removed: number; added: number };
  warnings: ZoneProblem[];
}

/** Owner (without case), type and canonical RDATA: what makes two records the same record. */
export function recordIdentity(rr: Pick<ResourceRecord, 'name' | 'type' | 'data'>): string {
  return `${rr.name.key}|${rr.type}|${hexEncode(canonicalRdata(rr))}`;
}

export function ruleErrors(problems: readonly ZoneProblem[]): FieldError[] {
  return problems.map((p) => ({
    code: p.rule,
    message: p.message,
    rfc: p.rfc,
    field: p.type ? `${p.name} ${p.type}` : p.name,
  }));
}

/**
 * Two successive diffs as one: a record the first adds and the second removes
 * (an imported SOA whose serial is then bumped) never reaches storage.
 */
function netChange(first: ZoneDiff, second: ZoneDiff): ZoneDiff {
  const key = (rr: ResourceRecord) => `${recordIdentity(rr)}|${rr.ttl}`;
  const transient = new Set(first.added.map(key));
  const cancelled = new Set(second.removed.filter((rr) => transient.has(key(rr))).map(key));
  return {
    removed: [...first.removed, ...second.removed.filter((rr) => !cancelled.has(key(rr)))],
    added: [...first.added.filter((rr) => !cancelled.has(key(rr))), ...second.added],
  };
}

function soaRow(carried: Map<string, StoredRecord>): StoredRecord | undefined {
  for (const r of carried.values()) if (r.type === RRType.SOA) return r;
  return undefined;
}

/** Past this many removed records, reading the whole zone's rows once beats one query per owner batch. */
const BULK_REMOVAL = 20_000;

/**
 * The one write path for zone data. Inside a transaction holding the zone
 * row locked it checks `If-Match`, takes the zone's model (cached from the
 * previous write at this serial, or loaded), lets the use case plan its
 * changes, applies them with the zone rules checked on the end state (only
 * the names the change affects are re-checked), bumps the SOA serial once,
 * and commits records, serial, change log and audit together. Only after
 * commit is `{zone, serial}` published.
 */
export class ZoneWriter {
  constructor(
    private readonly store: ZoneStore,
    private readonly feed: ChangeFeed,
    private readonly clock: () => Date,
    private readonly cache = new ZoneModelCache(),
    private readonly signing?: ZoneSigning,
  ) {}

  private readonly queues = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task queued under `key` has settled. */
  private async oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.queues.get(key) ?? Promise.resolve();
    const run = before.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    try {
      return await run;
    } finally {
      // The last one out removes the key, so the map holds only zones with writers waiting.
      if (this.queues.get(key) === settled) this.queues.delete(key);
    }
  }

  /** Forgets a zone's model (the zone was deleted). */
  forget(zoneId: string): void {
    this.cache.drop(zoneId);
  }

  async write(
    principal: Principal,
    zoneName: string,
    ifMatch: number | undefined,
    plan: (ctx: PlanContext) => ZonePlan | Promise<ZonePlan>,
  ): Promise<WriteResult> {
    const now = this.clock();
    // Writers of one zone in this process queue here, in memory, rather than each
    // holding a pooled connection while it waits for the zone's row lock.
    const outcome = await this.oneAtATime(`${principal.orgId}|${zoneName.toLowerCase()}`, async () => {
      const done = await this.store.changeZone(principal.orgId, zoneName, async (tx) => {
        if (ifMatch !== undefined && ifMatch !== tx.zone.serial)
          throw new Problem(
            412,
            'Precondition Failed',
            `the zone is at serial ${tx.zone.serial}, not ${ifMatch}`,
          );
        const origin = Name.parse(tx.zone.name);
        const model = this.cache.take(tx.zone.id, tx.zone.serial) ?? (await loadModel(tx, origin));
        // The plan only reads the model, and a rejected apply leaves it untouched: on
        // either failure it goes back to the cache as it was (the transaction rolls
        // back to the same serial).
        let wanted: ZonePlan;
        try {
          wanted = await plan({
            zone: tx.zone,
            origin,
            model,
            lookup: (f) => tx.records(f),
            managed: () => tx.managedRecords(),
          });
        } catch (e) {
          this.cache.put(tx.zone.id, tx.zone.serial, model);
          throw e;
        }

        const before = model.recordCount;
        const applied = model.apply(wanted.changes);
        if (!applied.ok) {
          this.cache.put(tx.zone.id, tx.zone.serial, model);
          throw Problem.invalid(
            'the change breaks zone rules; nothing was changed',
            ruleErrors(applied.errors),
          );
        }
        const stamp = { orgId: principal.orgId, actor: principal.actor, at: now, zone: tx.zone.name };
        const metadataUpdates = wanted.metadataUpdates ?? [];
        // A DNSSEC use case's work (keys, a full sign, a refresh) comes first; it may change no record.
        let requested: SigningOutcome | undefined;
        try {
          requested =
            wanted.signing && this.signing
              ? await this.signing.run(tx, model, now, { request: wanted.signing })
              : undefined;
        } catch (e) {
          // The model may be half signed: it is not cached again (the transaction rolls back).
          this.cache.drop(tx.zone.id);
          throw e;
        }
        const first = requested ? netChange(applied.diff, requested.diff) : applied.diff;
        if (first.added.length === 0 && first.removed.length === 0) {
          // No DNS change: metadata alone is stored (and audited), without a serial bump.
          const signingAudit = (requested?.audit ?? []).map((a) => ({ ...stamp, ...a }));
          const updated =
            metadataUpdates.length || signingAudit.length
              ? await tx.updateMetadata(
                  metadataUpdates.map(({ id, metadata }) => ({ id, metadata })),
                  [...metadataUpdates.map((u) => ({ ...stamp, ...u.audit })), ...signingAudit],
                )
              : [];
          return {
            model,
            modelSerial: tx.zone.serial,
            result: {
              zone: tx.zone,
              serial: tx.zone.serial,
              changed: updated.length > 0 || !!requested?.documentChanged,
              published: false,
              added: [],
              updated,
              records: await returnedRows(tx, wanted.returns, updated),
              counts: { removed: 0, added: 0 },
              warnings: applied.warnings,
            } satisfies WriteResult,
          };
        }

        // The SOA serial moves exactly once per committed change set.
        const serial = nextSerial(tx.zone.serial, 'date', now);
        const soa = model.soa;
        const bumped = model.apply([
          {
            op: 'replace',
            name: origin,
            type: RRType.SOA,
            ttl: soa.ttl,
            rdatas: [{ ...(soa.data as SOARdata), serial }],
          },
        ]);
        if (!bumped.ok) throw new Error(`SOA serial bump failed: ${bumped.errors[0]?.message}`);
        // Signatures over what changed (the new SOA included), in this same change set.
        let signedAfter: SigningOutcome | undefined;
        try {
          signedAfter = this.signing
            ? await this.signing.run(tx, model, now, {
                touched: [...first.removed, ...first.added, ...bumped.diff.removed, ...bumped.diff.added],
                userChanges: [...applied.diff.removed, ...applied.diff.added],
              })
            : undefined;
        } catch (e) {
          this.cache.drop(tx.zone.id);
          throw e;
        }
        const withSoa = netChange(first, bumped.diff);
        const { removed, added } = signedAfter ? netChange(withSoa, signedAfter.diff) : withSoa;
        const signerOwned = !!(requested?.signed || signedAfter?.signed);

        const storedByIdentity = await storedRows(tx, removed);
        const removeIds: string[] = [];
        const carried = new Map<string, StoredRecord>();
        for (const rr of removed) {
          const id = recordIdentity(rr);
          const stored = storedByIdentity.get(id);
          if (!stored) throw new Error(`removed record not found in storage: ${formatRecordLine(rr)}`);
          removeIds.push(stored.id);
          carried.set(id, stored);
        }
        const newMetadata = new Map(metadataUpdates.map((u) => [u.id, u.metadata]));
        const add: NewRecord[] = added.map((rr) => {
          const id = recordIdentity(rr);
          // A record removed and added again (a TTL change) keeps its id and metadata;
          // the SOA is one record whose serial moves: it keeps its id too.
          const before = carried.get(id) ?? (rr.type === RRType.SOA ? soaRow(carried) : undefined);
          const keepId = wanted.keepIds?.get(id) ?? before?.id;
          return toNewRecord(
            rr,
            wanted.metadata?.get(id) ??
              (keepId !== undefined ? newMetadata.get(keepId) : undefined) ??
              before?.metadata ??
              (signerOwned && SIGNER_OWNED.has(rr.type) ? { managed_by: 'dnssec' } : {}),
            keepId,
          );
        });
        const counts = { removed: removed.length, added: added.length };
        const audit =
          typeof wanted.audit === 'function'
            ? wanted.audit({ before, after: model.recordCount, ...counts })
            : wanted.audit;

        const addedRows = await tx.commit({
          serial,
          removeIds,
          add,
          change: {
            zoneId: tx.zone.id,
            serial,
            previousSerial: tx.zone.serial,
            removed: removed.map((rr) => formatRecordLine(rr)),
            added: added.map((rr) => formatRecordLine(rr)),
            actor: principal.actor,
            at: now,
          },
          audit: [...audit, ...(requested?.audit ?? []), ...metadataUpdates.map((u) => u.audit)].map((a) => ({
            ...stamp,
            ...a,
          })),
        });
        // Metadata of records the change set left in place (removed ones got theirs above).
        const removedIds = new Set(removeIds);
        const kept = metadataUpdates.filter((u) => !removedIds.has(u.id));
        const updated = kept.length
          ? await tx.updateMetadata(
              kept.map(({ id, metadata }) => ({ id, metadata })),
              [],
            )
          : [];
        return {
          model,
          modelSerial: serial,
          result: {
            zone: { ...tx.zone, serial, updatedAt: now },
            serial,
            changed: true,
            published: true,
            added: addedRows,
            updated,
            records: await returnedRows(tx, wanted.returns, [...addedRows, ...updated]),
            counts,
            warnings: applied.warnings,
          } satisfies WriteResult,
        };
      });
      // Only now is the transaction committed: a model the database does not hold is never cached.
      if (done) this.cache.put(done.result.zone.id, done.modelSerial, done.model);
      return done;
    });
    if (outcome === undefined) throw Problem.notFound(`zone ${zoneName}`);
    const { result } = outcome;
    if (result.published) await publishQuietly(this.feed, { zone: result.zone.name, serial: result.serial });
    return result;
  }
}

async function loadModel(tx: ZoneTransaction, origin: Name): Promise<Zone> {
  const built = Zone.build(origin, (await tx.records()).map(toResourceRecord));
  if (!built.zone)
    throw new Error(`stored zone ${origin.toString()} fails its own rules: ${built.problems[0]?.message}`);
  return built.zone;
}

/** The stored rows of the records a change removes, by identity: their ids and metadata. */
async function storedRows(
  tx: ZoneTransaction,
  removed: readonly ResourceRecord[],
): Promise<Map<string, StoredRecord>> {
  const byIdentity = new Map<string, StoredRecord>();
  if (removed.length === 0) return byIdentity;
  const rows =
    removed.length > BULK_REMOVAL
      ? await tx.records()
      : await tx.records({ owners: [...new Set(removed.map((rr) => rr.name.toString()))] });
  for (const r of rows) byIdentity.set(recordIdentity(toResourceRecord(r)), r);
  return byIdentity;
}

/**
 * The stored rows of the records a caller wants back: from the rows just
 * written, else read once by owner (records the change left as they were).
 */
async function returnedRows(
  tx: ZoneTransaction,
  wanted: readonly (ResourceRecord | undefined)[] | undefined,
  written: readonly StoredRecord[],
): Promise<(StoredRecord | undefined)[]> {
  if (!wanted?.length) return [];
  const byIdentity = new Map<string, StoredRecord>();
  for (const r of written) byIdentity.set(recordIdentity(toResourceRecord(r)), r);
  const missing = wanted.filter((rr): rr is ResourceRecord => !!rr && !byIdentity.has(recordIdentity(rr)));
  if (missing.length) {
    const owners = [...new Set(missing.map((rr) => rr.name.toString()))];
    for (const r of await tx.records({ owners })) {
      const id = recordIdentity(toResourceRecord(r));
      if (!byIdentity.has(id)) byIdentity.set(id, r);
    }
  }
  return wanted.map((rr) => (rr ? byIdentity.get(recordIdentity(rr)) : undefined));
}
