import { DnsError } from '../errors.js';

// SOA serial numbers use RFC 1982 serial number arithmetic with SERIAL_BITS = 32.

const MODULUS = 2 ** 32;
const HALF = 2 ** 31;

export type SerialMode = 'increment' | 'unixtime' | 'date';

function checkSerial(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= MODULUS)
    throw new DnsError(
      'serial.range',
      `${field}: ${value} is not a serial number (an integer from 0 to 4294967295)`,
      'RFC 1982 §2',
      field,
    );
}

/**
 * RFC 1982 §3.2 comparison: -1 when `a` precedes `b`, 0 when equal, 1 when it
 * follows; undefined when they are exactly 2^31 apart (the order is undefined).
 */
export function serialCompare(a: number, b: number): -1 | 0 | 1 | undefined {
  checkSerial(a, 'a');
  checkSerial(b, 'b');
  if (a === b) return 0;
  const forward = (b - a + MODULUS) % MODULUS; // how far b is ahead of a
  if (forward === HALF) return undefined;
  return forward < HALF ? -1 : 1;
}

/** RFC 1982 §3.1 addition; `n` must be below 2^31. */
function serialAdd(s: number, n: number): number {
  return (s + n) % MODULUS;
}

/**
 * The serial to use after `current`, always strictly greater in RFC 1982
 * terms so secondaries see the change:
 *
 * - `increment`: current + 1 (4294967295 wraps to 0).
 * - `unixtime`: seconds since the epoch at `now`, or current + 1 when that is
 *   not ahead of current (clock behind, or several changes in one second).
 * - `date`: YYYYMMDD00 for `now`'s UTC date when that is ahead of current;
 *   otherwise current + 1, which counts nn up within the day and falls back
 *   to plain increments once nn would pass 99 or current is already ahead.
 *
 * A clock-derived value more than 2^31 - 1 ahead (or exactly 2^31) does not
 * count as ahead, so moving far forward takes the RFC 1982 §7 two-step
 * procedure rather than one silent jump.
 */
export function nextSerial(current: number, mode: SerialMode, now: Date): number {
  checkSerial(current, 'current');
  const incremented = serialAdd(current, 1);
  let candidate: number;
  if (mode === 'increment') return incremented;
  if (mode === 'unixtime') candidate = Math.floor(now.getTime() / 1000) % MODULUS;
  else candidate = (now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate()) * 100;
  if (!Number.isInteger(candidate) || candidate < 0 || candidate >= MODULUS) return incremented;
  return serialCompare(candidate, current) === 1 ? candidate : incremented;
}
