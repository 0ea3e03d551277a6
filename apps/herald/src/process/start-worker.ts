// `herald worker`: runs background jobs from the BullMQ queue on REDIS_URL,
// against the database on DATABASE_URL, next to any number of `herald api`
// processes (which enqueue) and other workers (each runs one job at a time).
// Both variables are required: without Redis no other process can reach this
// one's queue, and the embedded database serves one process only (the
// all-in-one runs its jobs itself). Shuts down on SIGINT/SIGTERM after the
// active job finishes (or after SHUTDOWN_TIMEOUT_MS; BullMQ then hands the
// unfinished job to another worker once its lock expires).
import type { JobQueue } from '../ports/job-queue.port.js';
import { ConfigError, type HeraldConfig } from './config.js';
import { registerJobHandlers } from './job-handlers.js';
import { jobDependencies, onShutdownSignals, openRuntime, type JobRegistrar } from './runtime.js';
import type { Output } from './start-api.js';

export interface StartWorkerOptions {
  /** Progress; default process.stdout. */
  stdout?: Output;
  /** Warnings; default process.stderr. */
  stderr?: Output;
  /** Close on SIGINT/SIGTERM, then exit 0 (1 when closing fails). Default true. */
  handleSignals?: boolean;
  /** How to end the process after a signal; default process.exit. */
  exit?: (code: number) => void;
  /** Registers the job handlers before the queue starts; default registerJobHandlers (job-handlers.ts). */
  register?: JobRegistrar;
}

export interface WorkerHandle {
  /** The started queue (BullMQ). */
  queue: JobQueue;
  /** Stops taking jobs, waits for the active one, then closes the change feed and the database. Idempotent. */
  close(): Promise<void>;
  /** Settles when close() has finished. */
  closed: Promise<void>;
}

export async function startWorker(
  config: HeraldConfig,
  options: StartWorkerOptions = {},
): Promise<WorkerHandle> {
  if (!config.redisUrl)
    throw new ConfigError(
      'REDIS_URL',
      'herald worker needs REDIS_URL: it takes its jobs from the Redis queue the api processes fill. ' +
        'Without Redis, `herald api` (and `herald all`) run the jobs themselves: no worker is needed.',
    );
  if (!config.databaseUrl)
    throw new ConfigError(
      'DATABASE_URL',
      'herald worker needs DATABASE_URL: the embedded database serves the one process that opened it. ' +
        'Point the worker at the same PostgreSQL as `herald api`, or run `herald all` alone.',
    );
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const say = (line: string) => stdout.write(`herald worker: ${line}\n`);
  const warn = (line: string) => stderr.write(`herald worker: ${line}\n`);

  const runtime = await openRuntime(config, say, warn);
  const queue = runtime.jobQueue;
  try {
    await (options.register ?? registerJobHandlers)(queue, jobDependencies(runtime));
    await queue.start();
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
  say('running jobs (one at a time; start more workers for more)');

  let closing: Promise<void> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const close = () =>
    (closing ??= (async () => {
      removeSignalHandlers();
      try {
        await runtime.close();
      } finally {
        resolveClosed();
      }
    })());
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const handleSignals = options.handleSignals ?? true;
  const removeSignalHandlers = handleSignals ? onShutdownSignals(close, say, warn, exit) : () => {};
  return { queue, close, closed };
}
