// The audit log, in explicit SQL: before/after are read back as text so that
// an absent value (SQL NULL) and a JSON null stay distinct.
import type { QueryRunner } from 'typeorm';
import type { AuditEntry } from '../../ports/zone-store.port.js';
import { selectRows } from './transaction.js';

interface AuditRow {
  org_id: string;
  actor: string;
  action: string;
  zone: string | null;
  before: string | null;
  after: string | null;
  forced: boolean;
  at: Date;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export async function insertAudit(runner: QueryRunner, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const parameters: unknown[] = [];
  const rows = entries.map((entry) => {
    const p = parameters.length;
    parameters.push(
      entry.orgId,
      entry.actor,
      entry.action,
      entry.zone ?? null,
      json(entry.before),
      json(entry.after),
      entry.forced ?? false,
      entry.at,
    );
    return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb, $${p + 6}::jsonb, $${p + 7}, $${p + 8})`;
  });
  await runner.query(
    `INSERT INTO audit_log (org_id, actor, action, zone, before, after, forced, at) VALUES ${rows.join(', ')}`,
    parameters,
  );
}

export async function selectAudit(
  runner: QueryRunner,
  orgId: string,
  filter: { zone?: string; actor?: string; action?: string; limit: number },
): Promise<AuditEntry[]> {
  const parameters: unknown[] = [orgId];
  let where = '';
  for (const [column, value] of [
    ['zone', filter.zone],
    ['actor', filter.actor],
    ['action', filter.action],
  ] as const) {
    if (value === undefined) continue;
    parameters.push(value);
    where += ` AND ${column} = $${parameters.length}`;
  }
  parameters.push(filter.limit);
  const rows = await selectRows<AuditRow>(
    runner,
    `SELECT org_id, actor, action, zone, before::text AS before, after::text AS after, forced, at
       FROM audit_log WHERE org_id = $1${where}
      ORDER BY at DESC, id DESC LIMIT $${parameters.length}`,
    parameters,
  );
  return rows.map((row) => ({
    orgId: row.org_id,
    actor: row.actor,
    action: row.action,
    ...(row.zone === null ? {} : { zone: row.zone }),
    ...(row.before === null ? {} : { before: JSON.parse(row.before) as unknown }),
    ...(row.after === null ? {} : { after: JSON.parse(row.after) as unknown }),
    ...(row.forced ? { forced: true } : {}),
    at: row.at,
  }));
}
