// Background jobs (DNSSEC signing and key rollovers, health checks): the API
// enqueues, a process that called start() runs the handlers. Adapters: BullMQ
// on Redis between processes (`herald api` + `herald worker`), in-process
// inside the all-in-one. Job data and results travel as JSON: a Date arrives
// as a string, undefined fields disappear.

export type JobState = 'waiting' | 'active' | 'completed' | 'failed';

export interface JobStatus {
  id: string;
  name: string;
  /** A job waiting for a retry (attempts > 1) counts as waiting. */
  state: JobState;
  /** 0..100, as last reported by the handler. */
  progress: number;
  data: Record<string, unknown>;
  /** What the handler returned (completed jobs); undefined when it returned nothing or null. */
  result?: unknown;
  /** The error message of the last attempt (failed jobs). */
  error?: string;
  createdAt: Date;
  finishedAt?: Date;
  /** Attempts started so far (1 while the first one runs). */
  attemptsMade?: number;
}

export interface JobContext {
  id: string;
  name: string;
  data: Record<string, unknown>;
  /** Reports progress (0..100, clamped); visible through status() while the job is active. */
  progress(percent: number): Promise<void>;
}

export type JobHandler = (job: JobContext) => Promise<unknown>;

export interface EnqueueOptions {
  /**
   * Deduplication key and job id at once: not an integer and without ':'.
   * While a job with this id is waiting or active, enqueue adds nothing and
   * returns the id; a finished one is replaced by the new job.
   */
  jobId?: string;
  /** Tries before the job counts as failed (default 1); retries back off exponentially. */
  attempts?: number;
}

export interface JobQueue {
  /**
   * Registers the handler of a job name; only processes that call start()
   * run handlers. A job whose name has no handler in the running process fails.
   */
  handle(name: string, handler: JobHandler): void;
  /** Adds a job; with `jobId`, a job with that id still waiting or active is not added again (returns its id). */
  enqueue(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<string>;
  /**
   * Creates or updates a repeating job (BullMQ job scheduler semantics:
   * upsertJobScheduler with `every` ms): the first job is added at once, then
   * one every `everyMs`; a scheduler never has more than one job waiting.
   */
  schedule(schedulerId: string, everyMs: number, name: string, data: Record<string, unknown>): Promise<void>;
  /** Removes the scheduler and its next job; a job already running finishes. Unknown ids are ignored. */
  unschedule(schedulerId: string): Promise<void>;
  /** undefined when unknown (or removed). */
  status(id: string): Promise<JobStatus | undefined>;
  /** Starts running handlers in this process (concurrency 1 per process is fine). Idempotent. */
  start(): Promise<void>;
  /** Stops taking jobs, waits for the active one, releases connections/timers. Idempotent; other calls reject afterwards. */
  close(): Promise<void>;
}
