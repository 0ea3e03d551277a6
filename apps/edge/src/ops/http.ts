// The operations endpoint (EDGE_HTTP_LISTEN): /healthz (zones, serials, last
// sync, control plane reachable), /readyz (a local copy is loaded) and
// /metrics (Prometheus text). Served off the query path.
import http from 'node:http';
import type { ServedZones } from '../sync/served-zones.js';
import type { ControlPlaneStatus } from '../sync/syncer.js';
import type { Metrics } from './metrics.js';

export interface OpsSources {
  edgeId: string;
  version: string;
  zones: ServedZones;
  control?: ControlPlaneStatus;
  /** Query counters of this process plus its workers. */
  metrics: () => Metrics;
  ready: () => boolean;
  startedAt: Date;
}

function healthz(s: OpsSources) {
  const zones = [...s.zones.status.values()].map((z) => ({
    zone: z.zone,
    serial: z.serial,
    records: z.records,
    appliedAt: z.appliedAt.toISOString(),
  }));
  return {
    status: s.ready() ? 'ok' : 'loading',
    edgeId: s.edgeId,
    version: s.version,
    uptimeSeconds: Math.round((Date.now() - s.startedAt.getTime()) / 1000),
    zones,
    lastSync: s.control?.lastSyncAt?.toISOString() ?? null,
    controlPlane: s.control
      ? {
          reachable: s.control.reachable,
          lastContact: s.control.lastContact?.toISOString() ?? null,
          ...(s.control.lastError ? { lastError: s.control.lastError } : {}),
        }
      : { mode: 'static' },
  };
}

function metricsText(s: OpsSources): string {
  const lines = s.metrics().render();
  const now = Date.now();
  lines.push(
    '# HELP herald_edge_zones Zones served.',
    '# TYPE herald_edge_zones gauge',
    `herald_edge_zones ${s.zones.status.size}`,
  );
  lines.push(
    '# HELP herald_edge_records Resource records served.',
    '# TYPE herald_edge_records gauge',
    `herald_edge_records ${s.zones.records()}`,
  );
  lines.push(
    '# HELP herald_edge_zone_serial SOA serial served, per zone.',
    '# TYPE herald_edge_zone_serial gauge',
    ...[...s.zones.status.values()].map(
      (z) => `herald_edge_zone_serial{zone="${z.zone.replace(/["\\\n]/g, '_')}"} ${z.serial}`,
    ),
  );
  const lags = [...s.zones.status.values()].map((z) => z.lagMs).filter((v): v is number => v !== undefined);
  lines.push(
    '# HELP herald_edge_sync_lag_seconds Commit-to-served delay of the last change set applied.',
    '# TYPE herald_edge_sync_lag_seconds gauge',
    `herald_edge_sync_lag_seconds ${lags.length ? Math.max(...lags) / 1000 : 0}`,
  );
  if (s.control) {
    const age = s.control.lastSyncAt ? (now - s.control.lastSyncAt.getTime()) / 1000 : -1;
    lines.push(
      '# HELP herald_edge_last_sync_age_seconds Seconds since the last complete poll of herald (-1: never).',
      '# TYPE herald_edge_last_sync_age_seconds gauge',
      `herald_edge_last_sync_age_seconds ${age}`,
      '# HELP herald_edge_control_plane_reachable 1 when the last call to herald succeeded.',
      '# TYPE herald_edge_control_plane_reachable gauge',
      `herald_edge_control_plane_reachable ${s.control.reachable ? 1 : 0}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function listenOps(
  s: OpsSources,
  host: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(healthz(s)));
    } else if (path === '/readyz') {
      const ok = s.ready();
      res
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ready: ok }));
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metricsText(s));
    } else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as { port: number };
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${a.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
      server.closeIdleConnections?.();
    });
  });
}
