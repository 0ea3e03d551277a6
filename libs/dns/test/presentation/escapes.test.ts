import { describe, expect, it } from 'vitest';
import { decodeCharString, quoteCharString } from '../../src/index.js';
import { expectDnsError, hex } from '../support/rdata-assert.js';

describe('decodeCharString', () => {
  it('reads plain ASCII as its octets', () => {
    expect(hex(decodeCharString('abc', 'txt'))).toBe('616263');
    expect(decodeCharString('', 'txt').length).toBe(0);
  });

  it('reads \\DDD as one octet and \\X as X', () => {
    expect(hex(decodeCharString('\\000\\065\\255', 'txt'))).toBe('0041ff');
    expect(hex(decodeCharString('\\"\\\\\\;\\a', 'txt'))).toBe('225c3b61');
  });

  it('writes non-ASCII characters as UTF-8', () => {
    expect(hex(decodeCharString('ü', 'txt'))).toBe('c3bc');
    expect(hex(decodeCharString('😀', 'txt'))).toBe('f09f9880');
    expect(hex(decodeCharString('\\ü', 'txt'))).toBe('c3bc');
    expect(hex(decodeCharString('\\😀x', 'txt'))).toBe('f09f988078');
  });

  it('rejects bad escapes', () => {
    expectDnsError(
      () => decodeCharString('a\\', 'txt'),
      'string.bad-escape',
      /^txt: string ends with a lone backslash/,
    );
    expectDnsError(
      () => decodeCharString('\\256', 'txt'),
      'string.bad-escape',
      /not a \\DDD escape of a value 0-255/,
    );
    expectDnsError(() => decodeCharString('\\12', 'txt'), 'string.bad-escape');
    expectDnsError(() => decodeCharString('\\1a2', 'txt'), 'string.bad-escape');
  });
});

describe('quoteCharString', () => {
  it('quotes printable ASCII as is, escaping quote and backslash', () => {
    expect(quoteCharString(Uint8Array.from('a b;()', (c) => c.charCodeAt(0)))).toBe('"a b;()"');
    expect(quoteCharString(Uint8Array.of(0x22, 0x5c))).toBe('"\\"\\\\"');
    expect(quoteCharString(new Uint8Array(0))).toBe('""');
  });

  it('writes other octets as \\DDD', () => {
    expect(quoteCharString(Uint8Array.of(0, 9, 0x1f, 0x7f, 0xc3, 0xbc))).toBe(
      '"\\000\\009\\031\\127\\195\\188"',
    );
  });

  it('reads back to the same octets for every octet value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const quoted = quoteCharString(all);
    expect(decodeCharString(quoted.slice(1, -1), 'txt')).toEqual(all);
  });
});
