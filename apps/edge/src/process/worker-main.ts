// Entry of an edge worker process (see workers.ts): answers DNS from the local
// copy, reloads zones when the primary says so, reports its counters.
import { Responder } from '../pipeline/respond.js';
import { LocalStore, type JournalEntry } from '../sync/local-store.js';
import { ServedZones } from '../sync/served-zones.js';
import { listenTcp } from '../transport/tcp.js';
import { listenUdp } from '../transport/udp.js';
import { deserializeConfig, WORKER_CONFIG_ENV } from './workers.js';

const config = deserializeConfig(process.env[WORKER_CONFIG_ENV] ?? '{}');
const store = new LocalStore(config.dataDir);
await store.init(false);
const zones = new ServedZones(store, true);
await zones.loadLocal((text) => process.stderr.write(text + '\n'));
const responder = new Responder(zones.catalog, {
  ...(config.nsid ? { nsid: config.nsid } : {}),
  chaos: config.chaos,
});
const udp = await listenUdp(responder, config.dnsListen.host, config.dnsListen.port);
await listenTcp(responder, config.dnsListen.host, udp.port, {
  idleTimeoutMs: config.tcpIdleTimeoutMs,
  maxConnections: config.tcpMaxConnections,
});
let changing = Promise.resolve();
process.on('message', (m: { type: string; zone?: string; entries?: JournalEntry[] }) => {
  const zone = m.zone;
  if (!zone) return;
  // One zone change at a time, in the order the primary sent them.
  if (m.type === 'apply' && m.entries) {
    const entries = m.entries;
    changing = changing.then(() => zones.follow(zone, entries)).catch(() => {});
  } else if (m.type === 'reload') changing = changing.then(() => zones.reload(zone)).catch(() => {});
});
setInterval(() => process.send?.({ type: 'metrics', metrics: responder.metrics.snapshot() }), 1000).unref();
process.on('SIGTERM', () => process.exit(0));
// The primary is gone (crash or exit): so is this worker.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', port: udp.port });
