// Shape checks shared by both adapters: a publisher gets an error for a bad
// event at once, and the Redis subscriber drops anything else found on the
// channel (another program, an older or newer Herald, a typo in redis-cli).
import type { ZoneChanged } from '../../ports/change-feed.port.js';

const MAX_SERIAL = 0xffff_ffff;
// 255 octets on the wire; presentation form can be up to 4x longer with \DDD escapes.
const MAX_ZONE_TEXT = 255 * 4;

/** Why `value` is not a ZoneChanged, or undefined when it is one. */
export function zoneChangedProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'zone' && key !== 'serial' && key !== 'deleted') return `unknown field "${key.slice(0, 40)}"`;
  }
  const { zone, serial, deleted } = v;
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > MAX_ZONE_TEXT) {
    return 'zone must be a non-empty string';
  }
  if (!zone.endsWith('.')) return 'zone must be absolute (end with a dot)';
  if (zone !== zone.toLowerCase()) return 'zone must be lowercase';
  if (typeof serial !== 'number' || !Number.isInteger(serial) || serial < 0 || serial > MAX_SERIAL) {
    return 'serial must be an integer from 0 to 4294967295';
  }
  if (deleted !== undefined && deleted !== true) return 'deleted must be true when present';
  return undefined;
}

/** A fresh object with only the known fields, so listeners never share or see extra properties. */
export function toZoneChanged(value: ZoneChanged): ZoneChanged {
  return value.deleted
    ? { zone: value.zone, serial: value.serial, deleted: true }
    : { zone: value.zone, serial: value.serial };
}

/** Throws a TypeError naming the problem; used on publish. */
export function assertZoneChanged(value: unknown): asserts value is ZoneChanged {
  const problem = zoneChangedProblem(value);
  if (problem !== undefined) throw new TypeError(`invalid ZoneChanged event: ${problem}`);
}

/** Counters for /metrics and tests. */
export interface ChangeFeedStats {
  published: number;
  delivered: number;
  /** Listener calls that threw or rejected. */
  listenerErrors: number;
  /** Messages received that were not valid events (Redis only). */
  malformed: number;
}

/** Where adapters report problems; never given event payloads verbatim or connection URLs. */
export interface ChangeFeedLogger {
  warn(message: string): void;
}

export const consoleLogger: ChangeFeedLogger = {
  warn: (message) => console.warn(`[change-feed] ${message}`),
};

/**
 * Calls one listener, containing both synchronous throws and rejected
 * promises (a listener typed `=> void` may still be async).
 */
export function callListener(
  listener: (event: ZoneChanged) => void,
  event: ZoneChanged,
  onError: (error: unknown) => void,
): void {
  try {
    const result: unknown = listener(toZoneChanged(event));
    if (result instanceof Promise) result.catch(onError);
  } catch (error) {
    onError(error);
  }
}

/** Logs without ever letting a broken logger stall delivery. */
export function safeWarn(logger: ChangeFeedLogger, message: string): void {
  try {
    logger.warn(message);
  } catch {
    // Nothing sensible left to report to.
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}
