// Checks and defaults shared by both JobQueue adapters, so a call the BullMQ
// adapter would refuse is refused in the all-in-one as well.

export interface JobQueueLogger {
  warn(message: string): void;
}

export const consoleJobLogger: JobQueueLogger = {
  warn: (message) => console.warn(`[job-queue] ${message}`),
};

/** How long finished jobs stay visible to status(), and how many at most (per state). */
export interface JobRetention {
  /** Seconds; default one day. */
  ageSeconds: number;
  /** Default 1000. */
  count: number;
}

export const DEFAULT_RETENTION: JobRetention = { ageSeconds: 24 * 60 * 60, count: 1000 };

/** Delay before the first retry; each further retry waits twice as long. */
export const DEFAULT_RETRY_DELAY_MS = 1000;

export function checkName(name: string, what = 'job name'): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200)
    throw new TypeError(`${what} must be a non-empty string of at most 200 characters`);
}

/** BullMQ's rules for custom ids: not an integer (those are its own ids), no ':'. */
export function checkJobId(id: string): void {
  checkName(id, 'jobId');
  if (`${parseInt(id, 10)}` === id) throw new TypeError(`jobId must not be an integer: ${id}`);
  if (id.includes(':')) throw new TypeError(`jobId must not contain ':'`);
}

export function checkSchedulerId(id: string): void {
  checkName(id, 'scheduler id');
  if (id.includes(':')) throw new TypeError(`scheduler id must not contain ':'`);
}

export function checkAttempts(attempts: number | undefined): number {
  if (attempts === undefined) return 1;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100)
    throw new TypeError(`attempts must be an integer from 1 to 100, not ${attempts}`);
  return attempts;
}

export function checkEvery(everyMs: number): void {
  if (!Number.isInteger(everyMs) || everyMs < 10)
    throw new TypeError(`everyMs must be an integer number of milliseconds, at least 10, not ${everyMs}`);
}

export function checkData(data: Record<string, unknown>): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new TypeError('job data must be an object');
}

/** 0..100; NaN and non-numbers are refused, the rest clamped. */
export function clampProgress(percent: number): number {
  if (typeof percent !== 'number' || Number.isNaN(percent))
    throw new TypeError(`progress must be a number from 0 to 100, not ${String(percent)}`);
  return Math.min(100, Math.max(0, percent));
}

/** What a stored progress value reads as (BullMQ also allows objects). */
export function progressOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}

/** The message a failed job keeps. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return `non-error thrown: ${typeof error}`;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}

/** Logs without ever letting a broken logger break the queue. */
export function safeWarn(logger: JobQueueLogger, message: string): void {
  try {
    logger.warn(message);
  } catch {
    // Nothing sensible left to report to.
  }
}

export function closedError(): Error {
  return new Error('job queue is closed');
}
