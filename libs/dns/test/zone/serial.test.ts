import { describe, expect, it } from 'vitest';
import { nextSerial, serialCompare } from '../../src/index.js';

const MAX = 4294967295;
const HALF = 2 ** 31;

describe('serialCompare (RFC 1982 §3.2)', () => {
  it('orders nearby serials as integers', () => {
    expect(serialCompare(1, 2)).toBe(-1);
    expect(serialCompare(2, 1)).toBe(1);
    expect(serialCompare(7, 7)).toBe(0);
  });

  it('wraps: 4294967295 -> 0 -> 1 moves forward', () => {
    expect(serialCompare(MAX, 0)).toBe(-1);
    expect(serialCompare(0, 1)).toBe(-1);
    expect(serialCompare(MAX, 1)).toBe(-1);
    expect(serialCompare(0, MAX)).toBe(1);
  });

  it('the largest step forward is 2^31 - 1; exactly 2^31 apart is undefined', () => {
    expect(serialCompare(0, HALF - 1)).toBe(-1);
    expect(serialCompare(0, HALF + 1)).toBe(1);
    expect(serialCompare(0, HALF)).toBeUndefined();
    expect(serialCompare(HALF, 0)).toBeUndefined();
    expect(serialCompare(100, 100 + HALF)).toBeUndefined();
  });

  it('matches the §3.1/§5.2 examples scaled to 32 bits', () => {
    // With SERIAL_BITS = 8: 255 < 0, 100 < 200, 200 < 255, 255 < 100, 0 < 100; 0 and 128 are unordered.
    const scale = 2 ** 24;
    expect(serialCompare(255 * scale, 0)).toBe(-1);
    expect(serialCompare(100 * scale, 200 * scale)).toBe(-1);
    expect(serialCompare(200 * scale, 255 * scale)).toBe(-1);
    expect(serialCompare(255 * scale, 100 * scale)).toBe(-1);
    expect(serialCompare(0, 100 * scale)).toBe(-1);
    expect(serialCompare(0, 128 * scale)).toBeUndefined();
  });

  it('rejects values that are not 32-bit serials', () => {
    expect(() => serialCompare(-1, 0)).toThrow(/serial/);
    expect(() => serialCompare(0, 2 ** 32)).toThrow(/serial/);
    expect(() => serialCompare(1.5, 0)).toThrow(/serial/);
  });
});

describe('nextSerial', () => {
  const now = new Date(Date.UTC(2024, 2, 5, 23, 59, 30)); // 2024-03-05
  const unix = Math.floor(now.getTime() / 1000);

  it('increment adds one and wraps', () => {
    expect(nextSerial(41, 'increment', now)).toBe(42);
    expect(nextSerial(MAX, 'increment', now)).toBe(0);
    expect(nextSerial(0, 'increment', now)).toBe(1);
  });

  it('unixtime uses the clock when it is ahead, else increments', () => {
    expect(nextSerial(1000, 'unixtime', now)).toBe(unix);
    expect(nextSerial(unix, 'unixtime', now)).toBe(unix + 1);
    expect(nextSerial(unix + 50, 'unixtime', now)).toBe(unix + 51);
  });

  it('date uses YYYYMMDD00, counts nn within the day, and falls back to +1', () => {
    expect(nextSerial(2024030400, 'date', now)).toBe(2024030500);
    expect(nextSerial(2024030500, 'date', now)).toBe(2024030501);
    expect(nextSerial(2024030598, 'date', now)).toBe(2024030599);
    expect(nextSerial(2024030599, 'date', now)).toBe(2024030600); // nn would overflow
    expect(nextSerial(2024031000, 'date', now)).toBe(2024031001); // already ahead of today
    expect(nextSerial(1, 'date', now)).toBe(2024030500); // from a small counter
  });

  it('does not treat a clock value 2^31 or more ahead as ahead (RFC 1982 §3.1)', () => {
    const date = 2024030500;
    // Today's date is 2^31 + 10 steps "ahead", which serial arithmetic reads as behind: increment.
    const behind = date + HALF - 10;
    expect(nextSerial(behind, 'date', now)).toBe(behind + 1);
    // Exactly 2^31 ahead is undefined: increment.
    const undefinedGap = date - HALF + 2 ** 32;
    expect(nextSerial(undefinedGap, 'date', now)).toBe(undefinedGap + 1);
    // Just under 2^31 ahead is fine.
    expect(nextSerial(date - HALF + 1 + 2 ** 32, 'date', now)).toBe(date);
  });

  it('is always strictly greater in serial order', () => {
    for (const current of [0, 1, 12345, HALF - 1, HALF, HALF + 1, 2024030599, 3e9, MAX])
      for (const mode of ['increment', 'unixtime', 'date'] as const)
        expect(serialCompare(current, nextSerial(current, mode, now))).toBe(-1);
  });
});
