import type { DataSource } from 'typeorm';
import type {
  EdgeRegistry,
  EdgeReport,
  EdgeSummary,
  EdgeZoneState,
  StoredEdge,
} from '../../ports/edge-registry.port.js';
import { assertOutsideChange } from './change-scope.js';

interface SummaryRow {
  id: string;
  version: string;
  started_at: Date;
  uptime_seconds: number;
  last_seen: Date;
  last_sync_at: Date | null;
  zone_count: number;
  api_key_id: string | null;
}

const SUMMARY_COLUMNS =
  'id, version, started_at, uptime_seconds, last_seen, last_sync_at, zone_count, api_key_id';

/**
 * EdgeRegistry on TypeORM (PostgreSQL or PGlite), in explicit SQL: a report
 * is a single INSERT … ON CONFLICT, and no read sends the zone maps back
 * except `get` (a map can hold 100,000 zones).
 */
export class TypeOrmEdgeRegistry implements EdgeRegistry {
  constructor(private readonly dataSource: DataSource) {}

  async report(report: EdgeReport, seenAt: Date): Promise<EdgeSummary> {
    assertOutsideChange();
    const rows: SummaryRow[] = await this.dataSource.query(
      `INSERT INTO edges (id, version, started_at, uptime_seconds, last_seen, last_sync_at, zones, zone_count, api_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
       ON CONFLICT (id) DO UPDATE SET
         version = EXCLUDED.version,
         started_at = EXCLUDED.started_at,
         uptime_seconds = EXCLUDED.uptime_seconds,
         last_seen = EXCLUDED.last_seen,
         last_sync_at = EXCLUDED.last_sync_at,
         zones = EXCLUDED.zones,
         zone_count = EXCLUDED.zone_count,
         api_key_id = EXCLUDED.api_key_id
       RETURNING ${SUMMARY_COLUMNS}`,
      [
        report.id,
        report.version,
        report.startedAt,
        report.uptimeSeconds,
        seenAt,
        report.lastSyncAt,
        JSON.stringify(Object.fromEntries(report.zones)),
        report.zones.size,
        report.apiKeyId,
      ],
    );
    return toSummary(rows[0]!);
  }

  async list(): Promise<EdgeSummary[]> {
    assertOutsideChange();
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM edges ORDER BY id COLLATE "C"`,
    );
    return rows.map(toSummary);
  }

  async get(id: string): Promise<StoredEdge | undefined> {
    assertOutsideChange();
    const rows: (SummaryRow & { zones: Record<string, number> })[] = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS}, zones FROM edges WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { ...toSummary(row), zones: new Map(Object.entries(row.zones)) };
  }

  async zoneStates(zone: string): Promise<EdgeZoneState[]> {
    assertOutsideChange();
    // Only this zone's serial leaves the database, not each edge's whole map.
    const rows: { id: string; last_seen: Date; serial: string | null }[] = await this.dataSource.query(
      `SELECT id, last_seen, (zones ->> $1)::bigint AS serial FROM edges ORDER BY id COLLATE "C"`,
      [zone],
    );
    return rows.map((r) => ({
      id: r.id,
      lastSeen: r.last_seen,
      serial: r.serial === null ? null : Number(r.serial),
    }));
  }
}

function toSummary(row: SummaryRow): EdgeSummary {
  return {
    id: row.id,
    version: row.version,
    startedAt: row.started_at,
    uptimeSeconds: row.uptime_seconds,
    lastSeen: row.last_seen,
    lastSyncAt: row.last_sync_at,
    zoneCount: row.zone_count,
    apiKeyId: row.api_key_id,
  };
}
