import { describe, expect, it } from 'vitest';
import { Name, firstNonHostnameLabel, looksLikeAddress } from '../../src/index.js';
import { name } from '../support/rdata-assert.js';

describe('firstNonHostnameLabel (RFC 952 / RFC 1123 §2.1)', () => {
  it('accepts host names', () => {
    for (const text of [
      'mail.example.com.',
      'a.',
      '1host.example.',
      'a-b.c-d.',
      'xn--bcher-kva.example.',
      'MX1.Example.',
    ]) {
      expect(firstNonHostnameLabel(name(text)), text).toBeUndefined();
    }
    expect(firstNonHostnameLabel(Name.ROOT)).toBeUndefined();
  });

  it('returns the first label that is not a host name label', () => {
    expect(firstNonHostnameLabel(name('_sip._tcp.example.'))).toBe('_sip');
    expect(firstNonHostnameLabel(name('ok._dmarc.example.'))).toBe('_dmarc');
    expect(firstNonHostnameLabel(name('-bad.example.'))).toBe('-bad');
    expect(firstNonHostnameLabel(name('bad-.example.'))).toBe('bad-');
    expect(firstNonHostnameLabel(name('-.example.'))).toBe('-');
    expect(firstNonHostnameLabel(name('*.example.'))).toBe('*');
    expect(firstNonHostnameLabel(name('a\\032b.example.'))).toBe('a b');
    expect(firstNonHostnameLabel(name('a\\.b.example.'))).toBe('a.b');
    expect(firstNonHostnameLabel(name('host.ex_ample.'))).toBe('ex_ample');
  });
});

describe('looksLikeAddress', () => {
  it('recognises an IPv4 address typed as a name', () => {
    expect(looksLikeAddress(name('192.0.2.1.'))).toBe(true);
    expect(looksLikeAddress(Name.parse('10.0.0.1', { origin: Name.ROOT }))).toBe(true);
  });

  it('recognises an IPv6 address typed as a name', () => {
    expect(looksLikeAddress(name('2001:db8::1.'))).toBe(true);
    expect(looksLikeAddress(name('::1.'))).toBe(true);
  });

  it('does not flag names that only contain digits in some labels', () => {
    expect(looksLikeAddress(name('www.example.'))).toBe(false);
    expect(looksLikeAddress(name('1.2.3.'))).toBe(false);
    expect(looksLikeAddress(name('1.2.3.4.5.'))).toBe(false);
    expect(looksLikeAddress(name('192.0.2.1.example.'))).toBe(false);
    expect(looksLikeAddress(name('1.2.3.a.'))).toBe(false);
    expect(looksLikeAddress(Name.ROOT)).toBe(false);
  });

  it('judges only the leftmost labels when told how many (an address that got the origin appended)', () => {
    expect(looksLikeAddress(name('192.0.2.1.example.com.'), 4)).toBe(true);
    expect(looksLikeAddress(name('2001:db8::1.example.com.'), 1)).toBe(true);
    expect(looksLikeAddress(name('mail.example.com.'), 1)).toBe(false);
    expect(looksLikeAddress(name('2.1.example.com.'), 2)).toBe(false);
  });
});
