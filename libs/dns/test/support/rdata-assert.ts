// Shared assertions for the name, wire, presentation and RDATA unit tests.
import { expect } from 'vitest';
import {
  DnsError,
  Name,
  WireError,
  WireReader,
  decodeRdata,
  hexEncode,
  printRdata,
  rdataFromText,
  rdataToWire,
} from '../../src/index.js';

/** Runs `fn` and returns what it threw; fails the test when it returns normally. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, but none was thrown');
}

/** Asserts `fn` throws a DnsError with `code` (and a message matching `message`, when given). */
export function expectDnsError(fn: () => unknown, code: string, message?: RegExp | string): DnsError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(DnsError);
  const err = e as DnsError;
  expect(err.code, err.message).toBe(code);
  if (message !== undefined) expect(err.message).toMatch(message);
  return err;
}

/** Asserts `fn` throws a WireError (code `wire`), optionally with a message matching `message`. */
export function expectWireError(fn: () => unknown, message?: RegExp | string): WireError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(WireError);
  const err = e as WireError;
  expect(err.code).toBe('wire');
  if (message !== undefined) expect(err.message).toMatch(message);
  return err;
}

export const name = (text: string): Name => Name.parse(text);

/** Lowercase hex of some octets, for readable expectations. */
export const hex = (b: Uint8Array): string => hexEncode(b).toLowerCase();

export const fromHex = (text: string): Uint8Array =>
  Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

export function parseText<T>(type: number, text: string, origin?: string): T {
  return rdataFromText(type, text, origin === undefined ? {} : { origin: Name.parse(origin) }) as T;
}

/** Decodes `bytes` as the whole RDATA of `type`. */
export function decodeBytes<T>(type: number, bytes: Uint8Array): T {
  return decodeRdata(type, new WireReader(bytes), bytes.length) as T;
}

export interface RoundTrip<T> {
  value: T;
  printed: string;
  wire: Uint8Array;
}

/**
 * Parses `text`, prints it, encodes it, and checks that the wire form decodes
 * to the same print and octets, that the print parses back to the same
 * octets, and that printing relative to an origin (`origin`, or
 * example.com.) and parsing back with it gives the same octets too.
 */
export function roundTrip<T>(type: number, text: string, origin?: string): RoundTrip<T> {
  const value = parseText<T>(type, text, origin);
  const printed = printRdata(type, value);
  const wire = rdataToWire(type, value);
  const decoded = decodeBytes(type, wire);
  expect(printRdata(type, decoded)).toBe(printed);
  expect(hex(rdataToWire(type, decoded))).toBe(hex(wire));
  expect(hex(rdataToWire(type, parseText(type, printed)))).toBe(hex(wire));
  const zone = Name.parse(origin ?? 'example.com.');
  const relative = printRdata(type, value, { origin: zone });
  // A name printed relative to the origin reads back with the origin's letter case (RFC 4343: equal names).
  expect(foldCase(rdataToWire(type, rdataFromText(type, relative, { origin: zone })))).toBe(foldCase(wire));
  return { value, printed, wire };
}

/** Hex of octets with ASCII letters folded to lower case. */
export function foldCase(b: Uint8Array): string {
  return hex(b.map((x) => (x >= 0x41 && x <= 0x5a ? x | 0x20 : x)));
}
