import type { DataSource, QueryRunner } from 'typeorm';
import { MoreThan } from 'typeorm';
import {
  ZoneExistsError,
  type AuditEntry,
  type ChangeSet,
  type MetadataUpdate,
  type NewRecord,
  type RecordFilter,
  type RecordPage,
  type StoredRecord,
  type StoredDnssec,
  type StoredZone,
  type ZoneStore,
  type ZoneTransaction,
} from '../../ports/zone-store.port.js';
import { insertAudit, selectAudit } from './audit-rows.js';
import { RecordEntity, ZoneChangeEntity, ZoneEntity } from './entities/index.js';
import { asciiLower, isUuid } from './name-keys.js';
import { decodeRecordCursor, encodeRecordCursor } from './record-cursor.js';
import {
  deleteRecords,
  insertRecords,
  selectRecord,
  selectRecordPage,
  selectRecords,
  selectManagedRecords,
  updateRecordMetadata,
} from './record-rows.js';
import { withRunner, withTransaction } from './transaction.js';
import { isUniqueViolation } from './unique-violation.js';
import { assertOutsideChange, runInChangeScope } from './change-scope.js';

/**
 * ZoneStore on TypeORM, the same for PostgreSQL and embedded PGlite.
 *
 * Serials are compared as plain numbers: the log continues from a serial only
 * when that serial is the previous serial of a logged change. RFC 1982 serial
 * arithmetic (wrapping past 2^32 - 1) is future work; the schema rejects
 * serials outside 0..2^32 - 1 meanwhile.
 *
 * Inside `changeZone`, `fn` must use `tx`: store calls made from it throw
 * (see change-scope.ts) rather than wait on the transaction's own locks.
 */
export class TypeOrmZoneStore implements ZoneStore {
  constructor(private readonly dataSource: DataSource) {}

  async createZone(input: {
    orgId: string;
    name: string;
    serial: number;
    records: NewRecord[];
    change: Omit<ChangeSet, 'zoneId'>;
    audit: AuditEntry;
  }): Promise<StoredZone> {
    assertOutsideChange();
    const name = asciiLower(input.name);
    if (input.change.serial !== input.serial) {
      throw new Error(`the first change set of ${name} must end at the zone's serial ${input.serial}`);
    }
    try {
      return await withTransaction(this.dataSource, async (runner) => {
        const zone = await runner.manager.save(
          runner.manager.create(ZoneEntity, { orgId: input.orgId, name, serial: input.serial }),
        );
        await insertRecords(runner, zone.id, input.records);
        await insertChange(runner, { ...input.change, zoneId: zone.id });
        await insertAudit(runner, [input.audit]);
        return toZone(zone);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'zones_name_key')) throw new ZoneExistsError(name);
      throw error;
    }
  }

  async listZones(orgId: string): Promise<StoredZone[]> {
    assertOutsideChange();
    if (!isUuid(orgId)) return [];
    const zones = await this.dataSource.manager.find(ZoneEntity, {
      where: { orgId },
      order: { name: 'ASC' },
    });
    return zones.map(toZone);
  }

  async getZone(orgId: string, name: string): Promise<StoredZone | undefined> {
    assertOutsideChange();
    if (!isUuid(orgId)) return undefined;
    const zone = await this.dataSource.manager.findOneBy(ZoneEntity, { orgId, name: asciiLower(name) });
    return zone ? toZone(zone) : undefined;
  }

  async listAllZones(): Promise<StoredZone[]> {
    assertOutsideChange();
    return (await this.dataSource.manager.find(ZoneEntity, { order: { name: 'ASC' } })).map(toZone);
  }

  async findZone(name: string): Promise<StoredZone | undefined> {
    assertOutsideChange();
    const zone = await this.dataSource.manager.findOneBy(ZoneEntity, { name: asciiLower(name) });
    return zone ? toZone(zone) : undefined;
  }

  async deleteZone(orgId: string, name: string, audit: AuditEntry): Promise<boolean> {
    assertOutsideChange();
    if (!isUuid(orgId)) return false;
    return withTransaction(this.dataSource, async (runner) => {
      const zone = await lockZone(runner, orgId, name);
      if (!zone) return false;
      // Records and the change log go with it (ON DELETE CASCADE).
      await runner.manager.delete(ZoneEntity, { id: zone.id });
      await insertAudit(runner, [audit]);
      return true;
    });
  }

  async listRecords(
    zoneId: string,
    filter: RecordFilter & { after?: string; limit: number },
  ): Promise<RecordPage> {
    assertOutsideChange();
    if (!Number.isInteger(filter.limit) || filter.limit < 1) {
      throw new RangeError(`records page limit must be a positive integer, not ${filter.limit}`);
    }
    const after = filter.after === undefined ? undefined : decodeRecordCursor(filter.after);
    if (!isUuid(zoneId)) return { records: [] };
    const { owner, type } = filter;
    const page = await withRunner(this.dataSource, (runner) =>
      selectRecordPage(runner, zoneId, { owner, type }, after, filter.limit),
    );
    return { records: page.records, ...(page.last ? { next: encodeRecordCursor(page.last) } : {}) };
  }

  async getRecord(zoneId: string, id: string): Promise<StoredRecord | undefined> {
    assertOutsideChange();
    if (!isUuid(zoneId) || !isUuid(id)) return undefined;
    return withRunner(this.dataSource, (runner) => selectRecord(runner, zoneId, id));
  }

  async countRecords(zoneId: string): Promise<number> {
    assertOutsideChange();
    if (!isUuid(zoneId)) return 0;
    return this.dataSource.manager.countBy(RecordEntity, { zoneId });
  }

  async changeZone<T>(
    orgId: string,
    name: string,
    fn: (tx: ZoneTransaction) => Promise<T>,
  ): Promise<T | undefined> {
    assertOutsideChange();
    if (!isUuid(orgId)) return undefined;
    return withTransaction(this.dataSource, async (runner) => {
      const zone = await lockZone(runner, orgId, name);
      if (!zone) return undefined;
      const tx = new LockedZone(runner, toZone(zone));
      try {
        return await runInChangeScope(() => fn(tx));
      } finally {
        tx.close();
      }
    });
  }

  async changesSince(zoneId: string, since: number, limit?: number): Promise<ChangeSet[] | 'gone'> {
    assertOutsideChange();
    if (!isUuid(zoneId)) return 'gone';
    const manager = this.dataSource.manager;
    const changes = await manager.find(ZoneChangeEntity, {
      where: { zoneId, serial: MoreThan(since) },
      order: { serial: 'ASC' },
      ...(limit !== undefined ? { take: limit } : {}),
    });
    const first = changes[0];
    if (!first) {
      // Nothing newer: fine when `since` is where the zone is, 'gone' for a
      // serial the zone never had (or a zone that no longer exists).
      const zone = await manager.findOneBy(ZoneEntity, { id: zoneId });
      return zone?.serial === since ? [] : 'gone';
    }
    // The log continues from `since` only if some change starts there.
    return first.previousSerial === since ? changes.map(toChangeSet) : 'gone';
  }

  async dnssecZones(): Promise<{ orgId: string; zone: string }[]> {
    assertOutsideChange();
    const rows: { org_id: string; name: string }[] = await this.dataSource.query(
      `SELECT z.org_id, z.name FROM zone_dnssec d JOIN zones z ON z.id = d.zone_id
        WHERE d.signing <> 'unsigned' ORDER BY z.name`,
    );
    return rows.map((r) => ({ orgId: r.org_id, zone: r.name }));
  }

  async recordCounts(): Promise<{ zone: string; records: number }[]> {
    assertOutsideChange();
    const rows: { zone: string; records: number }[] = await this.dataSource.query(
      `SELECT z.name AS zone, count(r.id)::int AS records
         FROM zones z LEFT JOIN records r ON r.zone_id = z.id
        GROUP BY z.id, z.name ORDER BY z.name`,
    );
    return rows;
  }

  async ping(): Promise<void> {
    assertOutsideChange();
    await this.dataSource.query('SELECT 1');
  }

  async audit(
    orgId: string,
    filter: { zone?: string; actor?: string; action?: string; limit: number },
  ): Promise<AuditEntry[]> {
    assertOutsideChange();
    if (!isUuid(orgId)) return [];
    return withRunner(this.dataSource, (runner) => selectAudit(runner, orgId, filter));
  }
}

/** The zone's row, locked until the transaction ends: changes of one zone queue here. */
function lockZone(runner: QueryRunner, orgId: string, name: string): Promise<ZoneEntity | null> {
  return runner.manager.findOne(ZoneEntity, {
    where: { orgId, name: asciiLower(name) },
    lock: { mode: 'pessimistic_write' },
  });
}

class LockedZone implements ZoneTransaction {
  private committed = false;
  private open = true;

  constructor(
    private readonly runner: QueryRunner,
    readonly zone: StoredZone,
  ) {}

  close(): void {
    this.open = false;
  }

  records(filter?: RecordFilter): Promise<StoredRecord[]> {
    this.assertOpen();
    return selectRecords(this.runner, this.zone.id, filter);
  }

  async commit(input: {
    serial: number;
    removeIds: string[];
    add: NewRecord[];
    change: ChangeSet;
    audit: AuditEntry[];
  }): Promise<StoredRecord[]> {
    this.assertOpen();
    if (this.committed) throw new Error('a zone transaction commits at most once');
    this.committed = true;
    const { zone, runner } = this;
    // Guards for the log's chain, which changesSince relies on.
    if (input.change.zoneId !== zone.id) throw new Error(`change set is for zone ${input.change.zoneId}`);
    if (input.change.previousSerial !== zone.serial || input.change.serial !== input.serial) {
      throw new Error(
        `change set ${input.change.previousSerial} -> ${input.change.serial} does not move ${zone.name} from ${zone.serial} to ${input.serial}`,
      );
    }
    await deleteRecords(runner, zone.id, input.removeIds);
    const added = await insertRecords(runner, zone.id, input.add);
    await runner.manager.update(ZoneEntity, { id: zone.id }, { serial: input.serial });
    await insertChange(runner, input.change);
    await insertAudit(runner, input.audit);
    return added;
  }

  async updateMetadata(updates: MetadataUpdate[], audit: AuditEntry[]): Promise<StoredRecord[]> {
    this.assertOpen();
    const updated = await updateRecordMetadata(this.runner, this.zone.id, updates);
    await insertAudit(this.runner, audit);
    return updated;
  }

  managedRecords(): Promise<StoredRecord[]> {
    this.assertOpen();
    return selectManagedRecords(this.runner, this.zone.id);
  }

  async dnssec(): Promise<StoredDnssec | undefined> {
    this.assertOpen();
    const rows: { signing: StoredDnssec['signing']; state: Record<string, unknown> }[] =
      await this.runner.query('SELECT signing, state FROM zone_dnssec WHERE zone_id = $1', [this.zone.id]);
    const row = rows[0];
    return row ? { signing: row.signing, state: row.state } : undefined;
  }

  async saveDnssec(doc: StoredDnssec): Promise<void> {
    this.assertOpen();
    await this.runner.query(
      `INSERT INTO zone_dnssec (zone_id, signing, state, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (zone_id) DO UPDATE SET signing = EXCLUDED.signing, state = EXCLUDED.state, updated_at = now()`,
      [this.zone.id, doc.signing, JSON.stringify(doc.state)],
    );
  }

  private assertOpen(): void {
    if (!this.open) throw new Error(`the transaction on ${this.zone.name} has ended`);
  }
}

async function insertChange(runner: QueryRunner, change: ChangeSet): Promise<void> {
  await runner.manager.insert(ZoneChangeEntity, {
    zoneId: change.zoneId,
    serial: change.serial,
    previousSerial: change.previousSerial,
    removed: change.removed,
    added: change.added,
    actor: change.actor,
    at: change.at,
  });
}

function toZone(zone: ZoneEntity): StoredZone {
  return {
    id: zone.id,
    orgId: zone.orgId,
    name: zone.name,
    serial: zone.serial,
    createdAt: zone.createdAt,
    updatedAt: zone.updatedAt,
  };
}

function toChangeSet(change: ZoneChangeEntity): ChangeSet {
  return {
    zoneId: change.zoneId,
    serial: change.serial,
    previousSerial: change.previousSerial,
    removed: change.removed,
    added: change.added,
    actor: change.actor,
    at: change.at,
  };
}
