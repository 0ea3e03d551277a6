import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../../src/index.js';
import { fromHex, hex } from '../support/rdata-assert.js';

describe('parseIPv4 / formatIPv4', () => {
  it('reads dotted-decimal addresses', () => {
    expect(hex(parseIPv4('192.0.2.1')!)).toBe('c0000201');
    expect(hex(parseIPv4('0.0.0.0')!)).toBe('00000000');
    expect(hex(parseIPv4('255.255.255.255')!)).toBe('ffffffff');
  });

  it('rejects anything but four decimal octets without leading zeros', () => {
    for (const text of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '1.2.3.-4',
      '01.2.3.4',
      '1.2.3.04',
      '0x7f.0.0.1',
      '1..2.3',
      '1.2.3.4.',
      ' 1.2.3.4',
      '1.2.3.a',
      '1.2.3.1000',
      '127.1',
    ])
      expect(parseIPv4(text), text).toBeUndefined();
  });

  it('prints dotted-decimal', () => {
    expect(formatIPv4(Uint8Array.of(10, 0, 255, 1))).toBe('10.0.255.1');
  });
});

describe('parseIPv6', () => {
  it('reads full, compressed and mixed forms', () => {
    expect(hex(parseIPv6('2001:db8:0:0:0:0:0:1')!)).toBe('20010db8000000000000000000000001');
    expect(hex(parseIPv6('2001:DB8::1')!)).toBe('20010db8000000000000000000000001');
    expect(hex(parseIPv6('::')!)).toBe('0'.repeat(32));
    expect(hex(parseIPv6('::1')!)).toBe('0'.repeat(31) + '1');
    expect(hex(parseIPv6('1::')!)).toBe('0001' + '0'.repeat(28));
    expect(hex(parseIPv6('1:2:3:4:5:6:7::')!)).toBe('0001000200030004000500060007' + '0000');
    expect(hex(parseIPv6('::2:3:4:5:6:7:8')!)).toBe('0000000200030004000500060007' + '0008');
    expect(hex(parseIPv6('::ffff:192.0.2.1')!)).toBe('00000000000000000000ffffc0000201');
    expect(hex(parseIPv6('1:2:3:4:5:6:192.0.2.1')!)).toBe('000100020003000400050006c0000201');
  });

  it('rejects malformed addresses', () => {
    for (const text of [
      '',
      ':',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7:8::',
      '::1:2:3:4:5:6:7:8',
      '12345::',
      'g::1',
      ':1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:',
      '::ffff:192.0.2',
      '::ffff:192.0.2.256',
      '::192.0.2.1:1',
      '1:2:3:4:5:6:7:192.0.2.1',
      '192.0.2.1',
      'fe80::1%eth0',
      '[::1]',
    ])
      expect(parseIPv6(text), text).toBeUndefined();
  });
});

describe('formatIPv6 (RFC 5952 §4)', () => {
  const fmt = (h: string) => formatIPv6(fromHex(h));

  it('prints lowercase hex without leading zeros', () => {
    expect(fmt('20010DB8000100020003000400050006')).toBe('2001:db8:1:2:3:4:5:6');
  });

  it('compresses the longest run of zero groups', () => {
    expect(fmt('20010db8000000000000000000000001')).toBe('2001:db8::1');
    expect(fmt('00000000000000000000000000000000')).toBe('::');
    expect(fmt('00000000000000000000000000000001')).toBe('::1');
    expect(fmt('00010000000000000000000000000000')).toBe('1::');
    expect(fmt('20010db8000000010000000000000001')).toBe('2001:db8:0:1::1');
  });

  it('compresses the first of two equally long runs', () => {
    expect(fmt('20010db8000000000001000000000001')).toBe('2001:db8::1:0:0:1');
  });

  it('does not compress a single zero group', () => {
    expect(fmt('20010db8000000010001000100010001')).toBe('2001:db8:0:1:1:1:1:1');
  });

  it('prints IPv4-mapped addresses in plain hex groups', () => {
    expect(fmt('00000000000000000000ffffc0000201')).toBe('::ffff:c000:201');
  });

  it('reads back what it prints', () => {
    for (const h of [
      '20010db8000000000001000000000001',
      '00000000000000000000ffffc0000201',
      'fe800000000000000000000000000001',
    ])
      expect(hex(parseIPv6(fmt(h))!)).toBe(h);
  });
});
