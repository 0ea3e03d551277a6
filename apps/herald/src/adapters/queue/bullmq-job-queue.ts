// The queue between processes: one BullMQ queue (`herald-jobs`) on Redis.
// The api process only produces (enqueue, schedule, status); `herald worker`
// processes (any number) call start() and run the handlers, one job at a time
// each. Jobs are at-least-once: a worker that dies mid-job leaves it to be
// picked up again once its lock expires, so handlers must be idempotent.
//
// Connections: we open them ourselves (ioredis) and hand BullMQ the
// instances, because BullMQ merges its own host/port defaults over a URL. The
// producer connection fails a command after one reconnect attempt (an API
// request should not hang on Redis); the worker's has maxRetriesPerRequest
// null, as BullMQ requires for its blocking commands (it duplicates that one
// for the blocking connection, and closes the duplicate itself). Nothing
// connects before first use: building the queue in a process that never uses
// it costs nothing.
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type {
  EnqueueOptions,
  JobHandler,
  JobQueue,
  JobState,
  JobStatus,
} from '../../ports/job-queue.port.js';
import {
  checkAttempts,
  checkData,
  checkEvery,
  checkJobId,
  checkName,
  checkSchedulerId,
  clampProgress,
  closedError,
  consoleJobLogger,
  DEFAULT_RETENTION,
  DEFAULT_RETRY_DELAY_MS,
  describeError,
  errorMessage,
  progressOf,
  safeWarn,
  type JobQueueLogger,
  type JobRetention,
} from './job-options.js';

export const DEFAULT_QUEUE_NAME = 'herald-jobs';
/** The Redis key prefix (BullMQ's default is `bull`). */
export const DEFAULT_QUEUE_PREFIX = 'herald';

export interface BullMqJobQueueOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`; never logged. */
  url: string;
  /** Default `herald-jobs`. */
  queueName?: string;
  /** Redis key prefix, default `herald`; tests use a random one. */
  prefix?: string;
  /** Prefix of the connection names shown by `CLIENT LIST`. */
  connectionName?: string;
  logger?: JobQueueLogger;
  /** Finished jobs kept for status() (per state); default one day, 1000. */
  retention?: Partial<JobRetention>;
  /** First retry delay (doubling after each failure); default 1000 ms. */
  retryDelayMs?: number;
}

export class BullMqJobQueue implements JobQueue {
  readonly queueName: string;
  readonly prefix: string;
  private readonly url: string;
  private readonly connectionName: string;
  private readonly logger: JobQueueLogger;
  private readonly keep: { age: number; count: number };
  private readonly retryDelayMs: number;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly connections: Redis[] = [];
  private queueInstance: Queue | undefined;
  private worker: Worker | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: BullMqJobQueueOptions) {
    this.url = options.url;
    this.queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
    this.prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
    this.connectionName = options.connectionName ?? 'herald-jobs';
    this.logger = options.logger ?? consoleJobLogger;
    const retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.keep = { age: retention.ageSeconds, count: retention.count };
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  }

  handle(name: string, handler: JobHandler): void {
    checkName(name);
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    this.handlers.set(name, handler);
  }

  async enqueue(name: string, data: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) throw closedError();
    checkName(name);
    checkData(data);
    const attempts = checkAttempts(options.attempts);
    const queue = this.queue();
    const opts: JobsOptions = {
      attempts,
      ...(attempts > 1 ? { backoff: { type: 'exponential', delay: this.retryDelayMs } } : {}),
    };
    if (options.jobId !== undefined) {
      checkJobId(options.jobId);
      // BullMQ ignores an add whose id exists in any state; ours replaces a finished job.
      const existing = await queue.getJob(options.jobId);
      if (existing) {
        const state = await existing.getState();
        if (state === 'completed' || state === 'failed') await existing.remove();
        else if (state !== 'unknown') return options.jobId;
      }
      opts.jobId = options.jobId;
    }
    const job = await queue.add(name, data, opts);
    return job.id!;
  }

  async schedule(
    schedulerId: string,
    everyMs: number,
    name: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    if (this.closed) throw closedError();
    checkSchedulerId(schedulerId);
    checkEvery(everyMs);
    checkName(name);
    checkData(data);
    await this.queue().upsertJobScheduler(
      schedulerId,
      { every: everyMs },
      { name, data, opts: { removeOnComplete: this.keep, removeOnFail: this.keep } },
    );
  }

  async unschedule(schedulerId: string): Promise<void> {
    if (this.closed) throw closedError();
    await this.queue().removeJobScheduler(schedulerId);
  }

  async status(id: string): Promise<JobStatus | undefined> {
    if (this.closed) throw closedError();
    const job = (await this.queue().getJob(id)) as Job | undefined;
    if (!job) return undefined;
    const state = toState(await job.getState());
    if (!state) return undefined;
    const result: unknown = job.returnvalue;
    return {
      id: job.id!,
      name: job.name,
      state,
      progress: progressOf(job.progress),
      data: (job.data ?? {}) as Record<string, unknown>,
      ...(state === 'completed' && result !== undefined && result !== null ? { result } : {}),
      ...(state === 'failed' ? { error: job.failedReason ?? '' } : {}),
      createdAt: new Date(job.timestamp),
      ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn) } : {}),
      attemptsMade: job.attemptsStarted ?? job.attemptsMade,
    };
  }

  async start(): Promise<void> {
    if (this.closed) throw closedError();
    if (this.worker) return;
    const worker = new Worker(this.queueName, (job: Job) => this.process(job), {
      connection: this.connect('worker', { maxRetriesPerRequest: null }),
      prefix: this.prefix,
      concurrency: 1,
      removeOnComplete: this.keep,
      removeOnFail: this.keep,
    });
    this.worker = worker;
    worker.on('error', onceAnOutage(this.logger, 'worker'));
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      safeWarn(
        this.logger,
        `job ${job.name} (${job.id}) failed after ${job.attemptsMade} attempt(s): ${describeError(error)}`,
      );
    });
    // Not waiting for Redis: the worker connects (and reconnects) in the background.
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      try {
        // Waits for the active job; takes no other.
        await this.worker?.close();
      } finally {
        try {
          await this.queueInstance?.close();
        } finally {
          await Promise.all(this.connections.map(end));
        }
      }
    })();
    return this.closing;
  }

  private async process(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`no handler for job "${job.name}" in this process`);
    try {
      return await handler({
        id: job.id!,
        name: job.name,
        data: (job.data ?? {}) as Record<string, unknown>,
        progress: (percent) => job.updateProgress(clampProgress(percent)),
      });
    } catch (error) {
      // BullMQ keeps error.message: make sure there is one.
      if (error instanceof Error && error.message) throw error;
      throw new Error(errorMessage(error));
    }
  }

  private queue(): Queue {
    if (!this.queueInstance) {
      const queue = new Queue(this.queueName, {
        // One reconnect attempt, then the command fails instead of holding the caller.
        connection: this.connect('queue', { maxRetriesPerRequest: 1 }),
        prefix: this.prefix,
        // Otherwise every command waits for a connection that may never come.
        skipWaitingForReady: true,
        defaultJobOptions: { removeOnComplete: this.keep, removeOnFail: this.keep },
      });
      queue.on('error', onceAnOutage(this.logger, 'queue'));
      this.queueInstance = queue;
    }
    return this.queueInstance;
  }

  private connect(role: string, options: RedisOptions): Redis {
    const redis = new Redis(this.url, { connectionName: `${this.connectionName}:${role}`, ...options });
    // Log the first failure of an outage and the recovery, not every retry.
    let healthy = true;
    redis.on('error', (error: unknown) => {
      if (!healthy || this.closed) return;
      healthy = false;
      safeWarn(this.logger, `redis ${role} connection: ${describeError(error)}; retrying`);
    });
    redis.on('ready', () => {
      if (healthy) return;
      healthy = true;
      safeWarn(this.logger, `redis ${role} connection restored`);
    });
    this.connections.push(redis);
    return redis;
  }
}

function toState(state: string): JobState | undefined {
  switch (state) {
    case 'completed':
    case 'failed':
    case 'active':
      return state;
    case 'waiting':
    case 'delayed':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    default:
      return undefined;
  }
}

/** BullMQ's own error events repeat the connection errors: log only the first of a run. */
function onceAnOutage(logger: JobQueueLogger, role: string): (error: Error) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last > 60_000) safeWarn(logger, `${role}: ${describeError(error)}`);
    last = now;
  };
}

async function end(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Fall through: drop the socket instead.
    }
  }
  redis.disconnect();
}
