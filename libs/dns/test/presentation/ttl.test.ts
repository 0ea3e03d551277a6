import { describe, expect, it } from 'vitest';
import { MAX_TTL, isTtlText, parseTtl } from '../../src/index.js';
import { expectDnsError } from '../support/rdata-assert.js';

describe('parseTtl', () => {
  it('reads plain seconds', () => {
    expect(parseTtl('0')).toBe(0);
    expect(parseTtl('300')).toBe(300);
    expect(parseTtl('0300')).toBe(300);
  });

  it('reads BIND-style units in either case', () => {
    expect(parseTtl('1h30m')).toBe(5400);
    expect(parseTtl('2d')).toBe(172800);
    expect(parseTtl('1W')).toBe(604800);
    expect(parseTtl('1w2d3h4m5s')).toBe(604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
    expect(parseTtl('90S')).toBe(90);
    expect(parseTtl('1H1h')).toBe(7200);
    expect(parseTtl('0s')).toBe(0);
  });

  it('accepts up to 2^31-1 and rejects more (RFC 2181 §8)', () => {
    expect(MAX_TTL).toBe(2147483647);
    expect(parseTtl('2147483647')).toBe(MAX_TTL);
    expectDnsError(
      () => parseTtl('2147483648'),
      'ttl.range',
      /2147483648 \(2147483648 s\) is above the maximum 2147483647/,
    );
    expectDnsError(() => parseTtl('3551w'), 'ttl.range');
    expect(parseTtl('3550w')).toBe(3550 * 604800);
    expectDnsError(() => parseTtl('99999999999999999999999'), 'ttl.range');
  });

  it('applies a caller-given maximum', () => {
    expect(parseTtl('4294967295', 'expire', 0xffffffff)).toBe(0xffffffff);
    expectDnsError(() => parseTtl('4294967296', 'expire', 0xffffffff), 'ttl.range', /^expire: /);
  });

  it('rejects junk', () => {
    for (const text of [
      '',
      ' 1',
      '1 ',
      '-1',
      '+1',
      '1.5',
      'h',
      '1x',
      '1h-',
      'h1',
      '0x10',
      '1e3',
      '1hh',
      'one',
    ]) {
      const e = expectDnsError(
        () => parseTtl(text),
        'ttl.syntax',
        /is not a number of seconds or a duration like 1h30m/,
      );
      expect(e.field).toBe('ttl');
    }
  });

  it('names the field in its messages', () => {
    const e = expectDnsError(() => parseTtl('soon', 'refresh'), 'ttl.syntax', /^refresh: 'soon'/);
    expect(e.field).toBe('refresh');
    expect(e.rfc).toBe('RFC 1035 §5.1');
  });
});

describe('isTtlText', () => {
  it('recognises numbers and durations only', () => {
    for (const t of ['0', '86400', '1h', '1h30m', '2D', '1W2d']) expect(isTtlText(t), t).toBe(true);
    for (const t of ['', 'IN', 'A', 'h', '1.0', '1y', '-5', 'TXT', '1m x'])
      expect(isTtlText(t), t).toBe(false);
  });
});
