// The in-process queue of the all-in-one process (no Redis): a FIFO run one
// job at a time on setImmediate, `every` schedulers on unref'd intervals, and
// a bounded history of finished jobs for status(). Nothing survives a restart:
// jobs waiting when the process stops are lost, and the schedulers are
// registered again by whoever registered them at start. Data and results are
// copied through JSON, as BullMQ stores them, so handlers see the same values
// on both adapters.
import type {
  EnqueueOptions,
  JobContext,
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
  safeWarn,
  type JobQueueLogger,
  type JobRetention,
} from './job-options.js';

export interface MemoryJobQueueOptions {
  logger?: JobQueueLogger;
  /** Finished jobs kept for status() (per state); default one day, 1000. */
  retention?: Partial<JobRetention>;
  /** First retry delay (doubling after each failure); default 1000 ms. */
  retryDelayMs?: number;
  /** Default Date.now. */
  now?: () => number;
}

interface Entry {
  id: string;
  name: string;
  data: Record<string, unknown>;
  state: JobState;
  progress: number;
  result?: unknown;
  error?: string;
  createdAt: number;
  finishedAt?: number;
  attempts: number;
  attemptsMade: number;
  /** The scheduler that added it, if any. */
  scheduler?: string;
}

interface Scheduler {
  everyMs: number;
  name: string;
  data: Record<string, unknown>;
  timer: NodeJS.Timeout;
}

export class MemoryJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  /** Waiting, active, and finished jobs still within retention. */
  private readonly jobs = new Map<string, Entry>();
  /** Ready to run, in order. */
  private readonly waiting: Entry[] = [];
  /** Finished jobs in the order they finished, per state, for pruning. */
  private readonly finished: Record<'completed' | 'failed', Entry[]> = { completed: [], failed: [] };
  private readonly schedulers = new Map<string, Scheduler>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly logger: JobQueueLogger;
  private readonly retention: JobRetention;
  private readonly retryDelayMs: number;
  private readonly now: () => number;
  private nextId = 1;
  private started = false;
  private closed = false;
  private pumpQueued = false;
  private active: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: MemoryJobQueueOptions = {}) {
    this.logger = options.logger ?? consoleJobLogger;
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.now = options.now ?? Date.now;
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
    let id: string;
    if (options.jobId !== undefined) {
      checkJobId(options.jobId);
      const existing = this.jobs.get(options.jobId);
      if (existing && (existing.state === 'waiting' || existing.state === 'active')) return existing.id;
      // A finished one is replaced: its history entry goes.
      if (existing) this.jobs.delete(existing.id);
      id = options.jobId;
    } else {
      id = String(this.nextId++);
    }
    this.add({ id, name, data: copy(data), attempts });
    return id;
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
    const template = { name, data: copy(data) };
    const existing = this.schedulers.get(schedulerId);
    if (existing && existing.everyMs === everyMs) {
      // Same period: the next runs use the new template, on the same beat.
      Object.assign(existing, template);
      return;
    }
    if (existing) clearInterval(existing.timer);
    const timer = setInterval(() => this.tick(schedulerId), everyMs);
    timer.unref();
    this.schedulers.set(schedulerId, { everyMs, ...template, timer });
    this.tick(schedulerId);
  }

  async unschedule(schedulerId: string): Promise<void> {
    if (this.closed) throw closedError();
    const scheduler = this.schedulers.get(schedulerId);
    if (!scheduler) return;
    clearInterval(scheduler.timer);
    this.schedulers.delete(schedulerId);
    // Its next job goes too (BullMQ removes the scheduler's delayed job).
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const entry = this.waiting[i]!;
      if (entry.scheduler === schedulerId) {
        this.waiting.splice(i, 1);
        this.jobs.delete(entry.id);
      }
    }
  }

  async status(id: string): Promise<JobStatus | undefined> {
    if (this.closed) throw closedError();
    this.prune();
    const entry = this.jobs.get(id);
    if (!entry) return undefined;
    return {
      id: entry.id,
      name: entry.name,
      state: entry.state,
      progress: entry.progress,
      data: copy(entry.data),
      ...(entry.result !== undefined ? { result: copy(entry.result) } : {}),
      ...(entry.error !== undefined && entry.state === 'failed' ? { error: entry.error } : {}),
      createdAt: new Date(entry.createdAt),
      ...(entry.finishedAt !== undefined ? { finishedAt: new Date(entry.finishedAt) } : {}),
      attemptsMade: entry.attemptsMade,
    };
  }

  async start(): Promise<void> {
    if (this.closed) throw closedError();
    this.started = true;
    this.pump();
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      for (const scheduler of this.schedulers.values()) clearInterval(scheduler.timer);
      this.schedulers.clear();
      for (const timer of this.retryTimers) clearTimeout(timer);
      this.retryTimers.clear();
      // Waits for the active job; nothing new starts (pump checks `closed`).
      await this.active;
    })();
    return this.closing;
  }

  private add(job: Pick<Entry, 'id' | 'name' | 'data' | 'attempts' | 'scheduler'>): Entry {
    const entry: Entry = { ...job, state: 'waiting', progress: 0, createdAt: this.now(), attemptsMade: 0 };
    this.jobs.set(entry.id, entry);
    this.waiting.push(entry);
    this.pump();
    return entry;
  }

  private tick(schedulerId: string): void {
    const scheduler = this.schedulers.get(schedulerId);
    if (!scheduler || this.closed) return;
    // Like BullMQ: the next job of a scheduler exists once; while it waits, no other is added.
    for (const entry of this.waiting) if (entry.scheduler === schedulerId) return;
    let id = `repeat:${schedulerId}:${this.now()}`;
    for (let n = 1; this.jobs.has(id); n++) id = `repeat:${schedulerId}:${this.now()}-${n}`;
    this.add({ id, name: scheduler.name, data: copy(scheduler.data), attempts: 1, scheduler: schedulerId });
  }

  private pump(): void {
    if (!this.started || this.closed || this.active || this.pumpQueued || this.waiting.length === 0) return;
    this.pumpQueued = true;
    // Never on the caller's stack: enqueue returns before the handler starts.
    setImmediate(() => {
      this.pumpQueued = false;
      if (!this.started || this.closed || this.active) return;
      const entry = this.waiting.shift();
      if (!entry) return;
      this.active = this.run(entry).finally(() => {
        this.active = undefined;
        this.pump();
      });
    });
  }

  private async run(entry: Entry): Promise<void> {
    entry.state = 'active';
    entry.attemptsMade++;
    delete entry.error;
    const handler = this.handlers.get(entry.name);
    const context: JobContext = {
      id: entry.id,
      name: entry.name,
      data: copy(entry.data),
      progress: async (percent) => {
        const value = clampProgress(percent);
        if (entry.state === 'active') entry.progress = value;
      },
    };
    try {
      if (!handler) throw new Error(`no handler for job "${entry.name}" in this process`);
      const result = await handler(context);
      entry.result = result === undefined || result === null ? undefined : copy(result);
      this.finish(entry, 'completed');
    } catch (error) {
      entry.error = errorMessage(error);
      if (entry.attemptsMade < entry.attempts && !this.closed) {
        entry.state = 'waiting';
        const delay = this.retryDelayMs * 2 ** (entry.attemptsMade - 1);
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          if (this.jobs.get(entry.id) !== entry || this.closed) return;
          this.waiting.push(entry);
          this.pump();
        }, delay);
        timer.unref();
        this.retryTimers.add(timer);
        return;
      }
      safeWarn(
        this.logger,
        `job ${entry.name} (${entry.id}) failed after ${entry.attemptsMade} attempt(s): ${describeError(error)}`,
      );
      this.finish(entry, 'failed');
    }
  }

  private finish(entry: Entry, state: 'completed' | 'failed'): void {
    entry.state = state;
    entry.finishedAt = this.now();
    this.finished[state].push(entry);
    this.prune();
  }

  /** Drops finished jobs beyond the count or older than the age limit. */
  private prune(): void {
    const oldest = this.now() - this.retention.ageSeconds * 1000;
    for (const list of Object.values(this.finished)) {
      while (list.length > 0 && (list.length > this.retention.count || list[0]!.finishedAt! < oldest)) {
        const gone = list.shift()!;
        // Only when it is still that job (a jobId can be reused once finished).
        if (this.jobs.get(gone.id) === gone) this.jobs.delete(gone.id);
      }
    }
  }
}

/** Through JSON, as a job's data and result would travel through Redis. */
function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
