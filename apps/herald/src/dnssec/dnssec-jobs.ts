// DNSSEC's background work on the job queue: full signs of large zones, and
// an hourly pass over every signed zone (signature refresh, rollover steps,
// the parent's DS). Registered in every process that runs jobs (the
// all-in-one, `herald worker`); producers only enqueue.
import type { ChangeFeed } from '../ports/change-feed.port.js';
import type { DnsClient, DnsServer } from '../ports/dns-client.port.js';
import type { JobQueue } from '../ports/job-queue.port.js';
import type { SecretBox } from '../ports/secret-box.port.js';
import type { ZoneStore } from '../ports/zone-store.port.js';
import { ZoneWriter } from '../zones/zone-writer.js';
import { DnssecService, MAINTAIN_JOB, SIGN_JOB } from './dnssec.service.js';
import { KeyStore } from './key-store.js';
import { ZoneSigning } from './zone-signing.js';

export const MAINTAIN_EVERY_MS = 60 * 60 * 1000;

export interface DnssecJobDependencies {
  zoneStore: ZoneStore;
  changeFeed: ChangeFeed;
  secretBox?: SecretBox;
  clock?: () => Date;
  dns?: { client: DnsClient; resolver: DnsServer };
  /** How often every signed zone is looked at (default hourly). */
  maintainEveryMs?: number;
}

export async function registerDnssecJobs(
  queue: JobQueue,
  deps: DnssecJobDependencies,
): Promise<DnssecService> {
  const clock = deps.clock ?? (() => new Date());
  const keys = new KeyStore(deps.secretBox);
  const writer = new ZoneWriter(deps.zoneStore, deps.changeFeed, clock, undefined, new ZoneSigning(keys));
  const service = new DnssecService(deps.zoneStore, writer, keys, clock, queue, deps.dns);
  queue.handle(SIGN_JOB, async (job) => {
    await service.runSignJob(job.data as { orgId: string; zone: string }, (p) => void job.progress(p));
    return { zone: job.data.zone };
  });
  queue.handle(MAINTAIN_JOB, async () => ({ zones: await service.maintainAll() }));
  // Not awaited: an API process must start (and serve) while Redis is down; the
  // scheduler is upserted once the queue answers, retried every 30 s until then.
  const every = deps.maintainEveryMs ?? MAINTAIN_EVERY_MS;
  const schedule = () =>
    queue.schedule('dnssec-maintain', every, MAINTAIN_JOB, {}).catch(() => {
      setTimeout(() => void schedule(), 30_000).unref();
    });
  void schedule();
  return service;
}
