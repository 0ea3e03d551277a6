import { authorize, type Principal } from '../auth/principal.js';
import { Problem } from '../http/problem.js';
import type { EdgeRegistry, EdgeSummary } from '../ports/edge-registry.port.js';
import type { ZoneStore } from '../ports/zone-store.port.js';
import { readableZone } from '../zones/zone-access.js';
import { canonicalZoneName } from '../zones/zone-name.js';
import { parseEdgeReport, REPORT_INTERVAL_SECONDS, STALE_AFTER_SECONDS } from './edge-report.js';

export type EdgeStatus = 'healthy' | 'stale';

export interface ReportReply {
  id: string;
  lastSeen: string;
  reportIntervalSeconds: number;
}

export interface EdgeView {
  id: string;
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  lastSeen: string;
  lastSyncAt: string | null;
  status: EdgeStatus;
  /** How many zones the edge serves. */
  zones: number;
}

export interface Propagation {
  zone: string;
  /** The zone's current serial. */
  serial: number;
  /** Every healthy edge serves `serial`; false when no edge is healthy. */
  live: boolean;
  edges: {
    id: string;
    status: EdgeStatus;
    lastSeen: string;
    /** What the edge serves for the zone; null when it does not serve it. */
    serial: number | null;
    upToDate: boolean;
  }[];
}

/**
 * The edge registry's use cases. Edges report what they serve; the operator
 * lists them; anyone who can read a zone sees how far it has propagated.
 * Reports are telemetry, not mutations: one upsert each, never audited.
 */
export class EdgesService {
  constructor(
    private readonly registry: EdgeRegistry,
    private readonly zones: ZoneStore,
    /** Platform staff: credentials of the operator org (see ApiKeysService.isOperator). */
    private readonly isOperator: (p: Principal) => Promise<boolean>,
    private readonly clock: () => Date,
  ) {}

  /**
   * An edge's report. Only `edge` keys report; the role is checked before
   * the body (up to 32 MB) is even read.
   */
  async report(p: Principal, readBody: () => Promise<unknown>): Promise<ReportReply> {
    if (p.role !== 'edge')
      throw new Problem(403, 'Forbidden', `only edge keys report edges; the ${p.role} role may not`);
    const report = parseEdgeReport(await readBody());
    const keyId = /^key:(.+)$/.exec(p.actor)?.[1] ?? null;
    const saved = await this.registry.report({ ...report, apiKeyId: keyId }, this.clock());
    return {
      id: saved.id,
      lastSeen: saved.lastSeen.toISOString(),
      reportIntervalSeconds: REPORT_INTERVAL_SECONDS,
    };
  }

  /** Every edge, for the operator org (any role); every other org is 403. */
  async list(p: Principal): Promise<EdgeView[]> {
    authorize(p, 'read');
    if (!(await this.isOperator(p)))
      throw new Problem(
        403,
        'Forbidden',
        'edges are platform infrastructure: only the operator org may list them',
      );
    const now = this.clock();
    return (await this.registry.list()).map((e) => viewEdge(e, now));
  }

  /** Which edges serve the zone's current serial. Zone access is exactly that of the other zone routes. */
  async propagation(p: Principal, zoneName: string): Promise<Propagation> {
    const name = canonicalZoneName(zoneName);
    authorize(p, 'read', name);
    const zone = await readableZone(this.zones, p, name);
    if (!zone) throw Problem.notFound(`zone ${name}`);
    const now = this.clock();
    const edges = (await this.registry.zoneStates(name)).map((e) => ({
      id: e.id,
      status: statusAt(e.lastSeen, now),
      lastSeen: e.lastSeen.toISOString(),
      serial: e.serial,
      upToDate: e.serial === zone.serial,
    }));
    const healthy = edges.filter((e) => e.status === 'healthy');
    return {
      zone: name,
      serial: zone.serial,
      live: healthy.length > 0 && healthy.every((e) => e.upToDate),
      edges,
    };
  }
}

/** Healthy while the last report is at most STALE_AFTER_SECONDS old. */
export function statusAt(lastSeen: Date, now: Date): EdgeStatus {
  return now.getTime() - lastSeen.getTime() > STALE_AFTER_SECONDS * 1000 ? 'stale' : 'healthy';
}

function viewEdge(e: EdgeSummary, now: Date): EdgeView {
  return {
    id: e.id,
    version: e.version,
    startedAt: e.startedAt.toISOString(),
    uptimeSeconds: e.uptimeSeconds,
    lastSeen: e.lastSeen.toISOString(),
    lastSyncAt: e.lastSyncAt ? e.lastSyncAt.toISOString() : null,
    status: statusAt(e.lastSeen, now),
    zones: e.zoneCount,
  };
}
