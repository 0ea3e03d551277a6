// The edge registry: what each edge server (one per point of presence) last
// reported serving. Edges report every few seconds, so a report is one upsert
// and is not audited: it is telemetry, not a change to anyone's data.

/** One report, as the edge sent it (validated), plus who sent it. */
export interface EdgeReport {
  /** The edge's own name, e.g. `fra-1`; unique across the platform. */
  id: string;
  version: string;
  startedAt: Date;
  uptimeSeconds: number;
  /** When the edge last finished a sync with the control plane; null before its first. */
  lastSyncAt: Date | null;
  /** Absolute, lowercase zone name -> the SOA serial the edge serves for it. */
  zones: ReadonlyMap<string, number>;
  /** The API key that sent the report; null when the principal was not a key. */
  apiKeyId: string | null;
}

/** An edge as listed: everything but the zone map, which can hold 100,000 entries. */
export interface EdgeSummary {
  id: string;
  version: string;
  startedAt: Date;
  uptimeSeconds: number;
  /** Server time of the last report. */
  lastSeen: Date;
  lastSyncAt: Date | null;
  /** Number of zones in the last report. */
  zoneCount: number;
  apiKeyId: string | null;
}

/** An edge with its whole zone map. */
export interface StoredEdge extends EdgeSummary {
  zones: Map<string, number>;
}

/** What one edge serves for one zone. */
export interface EdgeZoneState {
  id: string;
  lastSeen: Date;
  /** The serial it serves; null when it does not serve the zone. */
  serial: number | null;
}

export interface EdgeRegistry {
  /** Inserts or replaces the edge's row (one statement); `lastSeen` becomes `seenAt`. */
  report(report: EdgeReport, seenAt: Date): Promise<EdgeSummary>;
  /** Every edge, by id. */
  list(): Promise<EdgeSummary[]>;
  get(id: string): Promise<StoredEdge | undefined>;
  /** Every edge, by id, with the serial it serves for `zone` (absolute, lowercase). */
  zoneStates(zone: string): Promise<EdgeZoneState[]>;
}
