// Picks the adapter from configuration: BullMQ on Redis when REDIS_URL is set
// (any number of api and worker processes), in-process otherwise (the
// all-in-one process only: another process would never see these jobs).
import type { JobQueue } from '../../ports/job-queue.port.js';
import { BullMqJobQueue } from './bullmq-job-queue.js';
import type { JobQueueLogger, JobRetention } from './job-options.js';
import { MemoryJobQueue } from './memory-job-queue.js';

export interface JobQueueConfig {
  /** Typically `process.env.REDIS_URL`; unset or blank selects the in-process queue. */
  redisUrl?: string;
  /** Redis key prefix (default `herald`), e.g. to share one Redis between installations. */
  prefix?: string;
  logger?: JobQueueLogger;
  retention?: Partial<JobRetention>;
  retryDelayMs?: number;
}

export function createJobQueue(config: JobQueueConfig = {}): JobQueue {
  const url = config.redisUrl?.trim();
  const common = {
    ...(config.logger ? { logger: config.logger } : {}),
    ...(config.retention ? { retention: config.retention } : {}),
    ...(config.retryDelayMs !== undefined ? { retryDelayMs: config.retryDelayMs } : {}),
  };
  if (url) return new BullMqJobQueue({ url, ...(config.prefix ? { prefix: config.prefix } : {}), ...common });
  return new MemoryJobQueue(common);
}

export { BullMqJobQueue, DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX } from './bullmq-job-queue.js';
export { MemoryJobQueue } from './memory-job-queue.js';
export type { JobQueueLogger, JobRetention } from './job-options.js';
