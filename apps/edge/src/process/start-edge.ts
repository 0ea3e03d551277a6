// `herald edge`: loads the local copy and answers DNS at once, before it has
// talked to anyone; then keeps the copy in sync with herald (change feed +
// poll), reports what it serves, and exposes /healthz, /readyz, /metrics.
// In static mode (zone files given) it serves the files and never calls herald.
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listenOps } from '../ops/http.js';
import { Metrics } from '../ops/metrics.js';
import { Responder } from '../pipeline/respond.js';
import { HeraldClient } from '../sync/herald-client.js';
import { LocalStore, zoneFileStem } from '../sync/local-store.js';
import { ServedZones } from '../sync/served-zones.js';
import { Syncer } from '../sync/syncer.js';
import { subscribeRedis } from '../sync/feed.js';
import { listenTcp } from '../transport/tcp.js';
import { listenUdp } from '../transport/udp.js';
import { EDGE_VERSION, type EdgeConfig, type ListenAddress, type StaticZone } from './config.js';
import { startWorkers, workerEntry, type Workers } from './workers.js';

/** What the change feed carries (the control plane's ZoneChanged). */
export interface ZoneChangedEvent {
  zone: string;
  serial: number;
  deleted?: true;
}

export interface StartEdgeOptions {
  /** In-process change feed of the all-in-one; otherwise Redis (REDIS_URL) or polling only. */
  feed?: { subscribe(listener: (event: ZoneChangedEvent) => void): Promise<() => Promise<void>> };
  /** Progress and warnings; default process.stdout / process.stderr. */
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
  /** Close on SIGINT/SIGTERM. Default true. */
  handleSignals?: boolean;
}

export interface EdgeHandle {
  /** Where DNS is answered (UDP and TCP), with the port actually bound. */
  dns: ListenAddress;
  /** Base URL of /healthz, /readyz, /metrics, when enabled. */
  httpUrl?: string;
  /** Settles once the first sync with herald is done (at once in static mode). */
  synced: Promise<void>;
  /** The served zones (tests and the all-in-one read serials here). */
  zones: ServedZones;
  close(): Promise<void>;
  closed: Promise<void>;
}

/** Serves a zone file; reuses the compiled local copy when the file has not changed since. */
async function loadStatic(zones: ServedZones, store: LocalStore, z: StaticZone): Promise<void> {
  const zone = z.origin.toLowerCase().endsWith('.') ? z.origin.toLowerCase() : `${z.origin.toLowerCase()}.`;
  const info = await stat(z.file);
  const source = path.join(store.dir, `${zoneFileStem(zone)}.source`);
  const fingerprint = JSON.stringify({ file: path.resolve(z.file), size: info.size, mtimeMs: info.mtimeMs });
  const previous = await readFile(source, 'utf8').catch(() => '');
  if (previous === fingerprint) {
    const loaded = await store.load(zone);
    if (loaded && loaded.journal.length === 0) {
      zones.adopt(zone, loaded.img);
      return;
    }
  }
  await zones.installFile(zone, z.file);
  await writeFile(source, fingerprint, { mode: 0o600 });
}

export async function startEdge(config: EdgeConfig, options: StartEdgeOptions = {}): Promise<EdgeHandle> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const warn = (text: string) => void stderr.write(text + '\n');
  const startedAt = new Date();
  const store = new LocalStore(config.dataDir);
  await store.init();
  const zones = new ServedZones(store);
  const begin = performance.now();
  if (config.staticZones) for (const z of config.staticZones) await loadStatic(zones, store, z);
  else await zones.loadLocal(warn);
  const loadedMs = performance.now() - begin;

  const responder = new Responder(zones.catalog, {
    ...(config.nsid ? { nsid: config.nsid } : {}),
    chaos: config.chaos,
  });
  // One process answers by itself; with EDGE_WORKERS > 1 the workers answer and this one syncs.
  let workers: Workers | undefined;
  let listeners: { close(): Promise<void> }[] = [];
  let port: number;
  if (config.workers > 1 && !workerEntry())
    warn('edge: EDGE_WORKERS > 1 needs the built edge (pnpm build); answering in this process');
  if (config.workers > 1 && workerEntry()) {
    workers = await startWorkers(config, warn);
    port = workers.port;
  } else {
    const udp = await listenUdp(responder, config.dnsListen.host, config.dnsListen.port);
    const tcp = await listenTcp(responder, config.dnsListen.host, udp.port, {
      idleTimeoutMs: config.tcpIdleTimeoutMs,
      maxConnections: config.tcpMaxConnections,
    });
    listeners = [udp, tcp];
    port = udp.port;
  }
  zones.onChange = (zone, entries) => (entries ? workers?.apply(zone, entries) : workers?.reload(zone));
  const dns = { host: config.dnsListen.host, port };
  stdout.write(
    `herald edge ${config.edgeId}: answering DNS on ${dns.host}:${dns.port} (udp, tcp${workers ? `, ${config.workers} workers` : ''}); ` +
      `${zones.catalog.size} zone(s), ${zones.records()} records loaded in ${Math.round(loadedMs)} ms\n`,
  );

  let syncer: Syncer | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let synced: Promise<void> = Promise.resolve();
  if (!config.staticZones) {
    syncer = new Syncer(zones, new HeraldClient(config.heraldUrl, config.token), {
      edgeId: config.edgeId,
      pollIntervalMs: config.pollIntervalMs,
      reportIntervalMs: config.reportIntervalMs,
      warn,
    });
    const s = syncer;
    const listener = (e: ZoneChangedEvent) => (e.deleted ? void s.poll() : s.notify(e.zone, e.serial));
    if (options.feed) unsubscribe = await options.feed.subscribe(listener);
    else if (config.redisUrl) unsubscribe = await subscribeRedis(config.redisUrl, listener, warn);
    syncer.start();
    synced = syncer.firstSync;
  }

  const metrics = () => {
    if (!workers) return responder.metrics;
    const all = new Metrics();
    all.merge(responder.metrics);
    for (const m of workers.metrics()) all.merge(m);
    return all;
  };
  const ops = config.httpListen
    ? await listenOps(
        {
          edgeId: config.edgeId,
          version: EDGE_VERSION,
          zones,
          ...(syncer ? { control: syncer.control } : {}),
          metrics,
          // Ready with a local copy, or once herald has been polled successfully (it may list no zones).
          ready: () => zones.catalog.size > 0 || !syncer || syncer.control.lastSyncAt !== undefined,
          startedAt,
        },
        config.httpListen.host,
        config.httpListen.port,
      )
    : undefined;

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      syncer?.close();
      await unsubscribe?.().catch(() => {});
      await workers?.close();
      await Promise.allSettled([...listeners.map((l) => l.close()), ops?.close()]);
      resolveClosed();
    })());
  if (options.handleSignals !== false) {
    const onSignal = () => void close().then(() => process.exit(0));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { dns, ...(ops ? { httpUrl: ops.url } : {}), synced, zones, close, closed };
}
