// EDGE_WORKERS > 1: that many query-answering processes (node:cluster). They
// share one UDP socket and one TCP listener through the cluster primary (the
// kernel spreads datagrams among them; the primary hands out connections),
// load the local copy from disk and reload a zone when the primary says it
// changed. The primary answers no queries: it syncs with herald, persists and
// serves /metrics. Each process holds its own compiled copy, so memory is
// about one image per process (measured in bench/edge).
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { EdgeConfig } from './config.js';

export interface Workers {
  /** The DNS port the workers bound (the requested one, or the one chosen for port 0). */
  port: number;
  reload(zone: string): void;
  metrics(): { byType: number[]; byRcode: number[]; dropped: number }[];
  close(): Promise<void>;
}

export const WORKER_CONFIG_ENV = 'HERALD_EDGE_WORKER_CONFIG';

export function serializeConfig(config: EdgeConfig): string {
  return JSON.stringify({
    ...config,
    nsid: config.nsid ? Buffer.from(config.nsid).toString('hex') : undefined,
  });
}

export function deserializeConfig(text: string): EdgeConfig {
  const raw = JSON.parse(text) as EdgeConfig & { nsid?: string };
  const { nsid, ...rest } = raw;
  return { ...rest, ...(nsid ? { nsid: Uint8Array.from(Buffer.from(nsid, 'hex')) } : {}) };
}

export async function startWorkers(config: EdgeConfig, warn: (text: string) => void): Promise<Workers> {
  const entry = fileURLToPath(new URL('./worker-main.js', import.meta.url));
  cluster.setupPrimary({ exec: entry, args: [] });
  const counters = new Map<number, { byType: number[]; byRcode: number[]; dropped: number }>();
  const workers: Worker[] = [];
  let closing = false;
  let port = config.dnsListen.port;
  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const w = cluster.fork({
        [WORKER_CONFIG_ENV]: serializeConfig({ ...config, dnsListen: { ...config.dnsListen, port } }),
      });
      w.once('exit', (code) => reject(new Error(`edge worker exited with code ${code} before it was ready`)));
      w.on(
        'message',
        (m: {
          type: string;
          port?: number;
          metrics?: { byType: number[]; byRcode: number[]; dropped: number };
        }) => {
          if (m.type === 'ready') {
            port = m.port ?? port;
            resolve(w);
          } else if (m.type === 'metrics' && m.metrics) counters.set(w.id, m.metrics);
        },
      );
      w.on('exit', (code) => {
        const i = workers.indexOf(w);
        if (i >= 0) workers.splice(i, 1);
        if (!closing) {
          warn(`edge: worker ${w.process.pid} exited (${code}); starting another`);
          void fork().then((n) => workers.push(n));
        }
      });
    });
  // The first worker binds (port 0 picks a port); the others join its sockets.
  for (let i = 0; i < config.workers; i++) workers.push(await fork());
  return {
    port,
    reload: (zone) => {
      for (const w of workers) w.send({ type: 'reload', zone });
    },
    metrics: () => [...counters.values()],
    close: async () => {
      closing = true;
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((done) => {
              w.once('exit', () => done());
              w.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
