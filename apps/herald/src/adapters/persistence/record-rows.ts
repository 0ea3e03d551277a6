// Records are read and written with explicit SQL: imports write up to a
// million rows, and pages must use the (zone_id, owner_key, type, id) index.
import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import type { MetadataUpdate, NewRecord, RecordFilter, StoredRecord } from '../../ports/zone-store.port.js';
import { asciiLower, isUuid } from './name-keys.js';
import type { RecordCursor } from './record-cursor.js';
import { affectedRows, selectRows } from './transaction.js';

/** Rows per INSERT statement: bounds one message's size (a few MB at most). */
export const INSERT_CHUNK = 5_000;
const DELETE_CHUNK = 10_000;

interface RecordRow {
  id: string;
  zone_id: string;
  owner: string;
  owner_key: string;
  type: number;
  ttl: number;
  value: string;
  metadata: Record<string, unknown>;
}

const COLUMNS = 'id, zone_id, owner, owner_key, type, ttl, value, metadata';

function toStoredRecord(row: RecordRow): StoredRecord {
  return {
    id: row.id,
    zoneId: row.zone_id,
    owner: row.owner,
    type: row.type,
    ttl: row.ttl,
    value: row.value,
    metadata: row.metadata,
  };
}

/**
 * Inserts in chunks of arrays unnested server-side: eight parameters per
 * statement whatever its size, which parses and binds much faster than a
 * VALUES list. Ids are made here so the result needs no RETURNING order.
 */
export async function insertRecords(
  runner: QueryRunner,
  zoneId: string,
  records: NewRecord[],
): Promise<StoredRecord[]> {
  const stored: StoredRecord[] = [];
  for (let start = 0; start < records.length; start += INSERT_CHUNK) {
    const chunk = records.slice(start, start + INSERT_CHUNK);
    const columns = {
      id: [] as string[],
      owner: [] as string[],
      ownerKey: [] as string[],
      type: [] as number[],
      ttl: [] as number[],
      value: [] as string[],
      canonical: [] as Buffer[],
      metadata: [] as string[],
    };
    for (const record of chunk) {
      // An update keeps its record's id (NewRecord.id); new records get a fresh one.
      const id = record.id ?? randomUUID();
      const metadata = record.metadata ?? {};
      columns.id.push(id);
      columns.owner.push(record.owner);
      columns.ownerKey.push(asciiLower(record.owner));
      columns.type.push(record.type);
      columns.ttl.push(record.ttl);
      columns.value.push(record.value);
      columns.canonical.push(
        Buffer.from(record.canonical.buffer, record.canonical.byteOffset, record.canonical.byteLength),
      );
      columns.metadata.push(JSON.stringify(metadata));
      stored.push({
        id,
        zoneId,
        owner: record.owner,
        type: record.type,
        ttl: record.ttl,
        value: record.value,
        metadata,
      });
    }
    await runner.query(
      `INSERT INTO records (id, zone_id, owner, owner_key, type, ttl, value, canonical, metadata)
       SELECT id, $1, owner, owner_key, type, ttl, value, canonical, metadata
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::bytea[], $9::jsonb[])
           AS r (id, owner, owner_key, type, ttl, value, canonical, metadata)`,
      [zoneId, ...Object.values(columns)],
    );
  }
  return stored;
}

/** Deletes by id within the zone; throws when any id is not a record of it. */
export async function deleteRecords(runner: QueryRunner, zoneId: string, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  let deleted = 0;
  for (let start = 0; start < unique.length; start += DELETE_CHUNK) {
    deleted += await affectedRows(runner, 'DELETE FROM records WHERE zone_id = $1 AND id = ANY($2::uuid[])', [
      zoneId,
      unique.slice(start, start + DELETE_CHUNK),
    ]);
  }
  // A stale id would leave the change log describing a removal that did not happen.
  if (deleted !== unique.length) {
    throw new Error(`${unique.length - deleted} of the records to remove are not in zone ${zoneId}`);
  }
}

/** Sets metadata by id within the zone; throws when any id is not a record of it. */
export async function updateRecordMetadata(
  runner: QueryRunner,
  zoneId: string,
  updates: MetadataUpdate[],
): Promise<StoredRecord[]> {
  const latest = new Map(updates.map((u) => [u.id, u.metadata]));
  const updated: StoredRecord[] = [];
  const ids = [...latest.keys()];
  for (let start = 0; start < ids.length; start += INSERT_CHUNK) {
    const chunk = ids.slice(start, start + INSERT_CHUNK);
    const rows = await selectRows<RecordRow>(
      runner,
      `UPDATE records AS r SET metadata = u.metadata
         FROM unnest($2::uuid[], $3::jsonb[]) AS u (id, metadata)
        WHERE r.zone_id = $1 AND r.id = u.id
        RETURNING r.id, r.zone_id, r.owner, r.owner_key, r.type, r.ttl, r.value, r.metadata`,
      [zoneId, chunk, chunk.map((id) => JSON.stringify(latest.get(id) ?? {}))],
    );
    updated.push(...rows.map(toStoredRecord));
  }
  if (updated.length !== ids.length) {
    throw new Error(`${ids.length - updated.length} of the records to update are not in zone ${zoneId}`);
  }
  return updated;
}

/** Records whose metadata has a `managed_by` key (whatever its value). */
export async function selectManagedRecords(runner: QueryRunner, zoneId: string): Promise<StoredRecord[]> {
  const rows = await selectRows<RecordRow>(
    runner,
    `SELECT ${COLUMNS} FROM records WHERE zone_id = $1 AND (metadata -> 'managed_by') IS NOT NULL
      ORDER BY owner_key, type, id`,
    [zoneId],
  );
  return rows.map(toStoredRecord);
}

function filterSql(filter: RecordFilter, parameters: unknown[]): string {
  let sql = '';
  if (filter.owner !== undefined) {
    parameters.push(asciiLower(filter.owner));
    sql += ` AND owner_key = $${parameters.length}`;
  }
  if (filter.owners !== undefined) {
    parameters.push(filter.owners.map(asciiLower));
    sql += ` AND owner_key = ANY($${parameters.length}::text[])`;
  }
  if (filter.type !== undefined) {
    parameters.push(filter.type);
    sql += ` AND type = $${parameters.length}`;
  }
  if (filter.ids !== undefined) {
    parameters.push(filter.ids.filter(isUuid));
    sql += ` AND id = ANY($${parameters.length}::uuid[])`;
  }
  return sql;
}

export async function selectRecords(
  runner: QueryRunner,
  zoneId: string,
  filter: RecordFilter = {},
): Promise<StoredRecord[]> {
  const parameters: unknown[] = [zoneId];
  const where = filterSql(filter, parameters);
  const rows = await selectRows<RecordRow>(
    runner,
    `SELECT ${COLUMNS} FROM records WHERE zone_id = $1${where} ORDER BY owner_key, type, id`,
    parameters,
  );
  return rows.map(toStoredRecord);
}

/**
 * The query of one keyset page: the row comparison continues the index order
 * exactly, so PostgreSQL walks records_page_idx from the cursor instead of
 * counting an OFFSET. Asks for one row more than the page to know whether
 * another page follows.
 */
export function recordPageQuery(
  zoneId: string,
  filter: RecordFilter,
  after: RecordCursor | undefined,
  limit: number,
): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [zoneId];
  let where = filterSql(filter, parameters);
  if (after) {
    parameters.push(after.ownerKey, after.type, after.id);
    const n = parameters.length;
    where += ` AND (owner_key, type, id) > ($${n - 2}, $${n - 1}, $${n}::uuid)`;
  }
  parameters.push(limit + 1);
  return {
    sql: `SELECT ${COLUMNS} FROM records WHERE zone_id = $1${where} ORDER BY owner_key, type, id LIMIT $${parameters.length}`,
    parameters,
  };
}

/** One record of a zone by id. */
export async function selectRecord(
  runner: QueryRunner,
  zoneId: string,
  id: string,
): Promise<StoredRecord | undefined> {
  const rows: RecordRow[] = await runner.query(
    `SELECT ${COLUMNS} FROM records WHERE zone_id = $1 AND id = $2`,
    [zoneId, id],
  );
  return rows[0] ? toStoredRecord(rows[0]) : undefined;
}

export async function selectRecordPage(
  runner: QueryRunner,
  zoneId: string,
  filter: RecordFilter,
  after: RecordCursor | undefined,
  limit: number,
): Promise<{ records: StoredRecord[]; last?: RecordCursor }> {
  const { sql, parameters } = recordPageQuery(zoneId, filter, after, limit);
  const rows = await selectRows<RecordRow>(runner, sql, parameters);
  const page = rows.slice(0, limit);
  const tail = page.at(-1);
  return {
    records: page.map(toStoredRecord),
    ...(rows.length > limit && tail
      ? { last: { ownerKey: tail.owner_key, type: tail.type, id: tail.id } }
      : {}),
  };
}
