// EDGE_WORKERS > 1: that many query-answering processes (node:cluster). They
// share one UDP socket and one TCP listener through the cluster primary (the
// kernel spreads datagrams among them; the primary hands out connections),
// load the local copy from disk and reload a zone when the primary says it
// changed. The primary answers no queries: it syncs with herald, persists and
// serves /metrics. Each process holds its own compiled copy, so memory is
// about one image per process (measured in bench/edge).
import cluster, { type Worker } from 'node:cluster';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EdgeConfig } from './config.js';
import type { JournalEntry } from '../sync/local-store.js';

export interface Workers {
  /** Incremental change sets the workers apply themselves (no reload from disk). */
  apply(zone: string, entries: readonly JournalEntry[]): void;
  /** The DNS port the workers bound (the requested one, or the one chosen for port 0). */
  port: number;
  reload(zone: string): void;
  metrics(): { byType: number[]; byRcode: number[]; dropped: number }[];
  close(): Promise<void>;
}

export const WORKER_CONFIG_ENV = 'HERALD_EDGE_WORKER_CONFIG';

/** What a worker needs: never the herald token or the Redis URL (workers talk to neither). */
export function serializeConfig(config: EdgeConfig): string {
  const { token: _token, redisUrl: _redisUrl, ...rest } = config;
  return JSON.stringify({
    ...rest,
    nsid: config.nsid ? Buffer.from(config.nsid).toString('hex') : undefined,
  });
}

export function deserializeConfig(text: string): EdgeConfig {
  const raw = JSON.parse(text) as EdgeConfig & { nsid?: string };
  const { nsid, ...rest } = raw;
  return { ...rest, ...(nsid ? { nsid: Uint8Array.from(Buffer.from(nsid, 'hex')) } : {}) };
}

/** The worker entry, when the edge runs from its build (not from TypeScript sources, as in tests). */
export function workerEntry(): string | undefined {
  const entry = fileURLToPath(new URL('./worker-main.js', import.meta.url));
  return existsSync(entry) ? entry : undefined;
}

export async function startWorkers(config: EdgeConfig, warn: (text: string) => void): Promise<Workers> {
  const entry = workerEntry()!;
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
        if (i < 0) return; // never became ready: the start fails instead
        workers.splice(i, 1);
        if (closing) return;
        // A crashed worker is replaced, at most once a second, so a bad image cannot spin the CPU.
        warn(`edge: worker ${w.process.pid} exited (${code}); starting another`);
        setTimeout(() => {
          if (!closing)
            void fork().then(
              (n) => workers.push(n),
              (e: Error) => warn(`edge: ${e.message}`),
            );
        }, 1000).unref();
      });
    });
  // The first worker binds (port 0 picks a port); the others join its sockets.
  for (let i = 0; i < config.workers; i++) workers.push(await fork());
  return {
    port,
    reload: (zone) => {
      for (const w of workers) w.send({ type: 'reload', zone });
    },
    apply: (zone, entries) => {
      for (const w of workers) w.send({ type: 'apply', zone, entries });
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
