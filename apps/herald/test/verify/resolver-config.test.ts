import { describe, expect, test } from 'vitest';
import {
  DEFAULT_RESOLVER,
  firstNameserver,
  parseResolver,
  resolverFromEnvironment,
} from '../../src/zones/resolver-config.js';

describe('HERALD_RESOLVER', () => {
  test.each([
    ['192.0.2.53', { address: '192.0.2.53', port: 53 }],
    [' 192.0.2.53:5353 ', { address: '192.0.2.53', port: 5353 }],
    ['2001:db8::53', { address: '2001:db8::53', port: 53 }],
    ['::1', { address: '::1', port: 53 }],
    ['[2001:db8::53]', { address: '2001:db8::53', port: 53 }],
    ['[::1]:5300', { address: '::1', port: 5300 }],
  ])('%s', (text, expected) => {
    expect(parseResolver(text)).toEqual(expected);
  });

  test.each([
    ['resolver.example', /is not an IP address/],
    ['192.0.2.300', /is not an IP address/],
    ['192.0.2.1:0', /port '0'/],
    ['192.0.2.1:65536', /port '65536'/],
    ['192.0.2.1:', /port ''/],
    ['[192.0.2.1]:53', /is not an IP address/],
    ['[::1]:x', /port 'x'/],
  ])('%s is refused', (text, message) => {
    expect(() => parseResolver(text)).toThrow(message);
    expect(() => parseResolver(text)).toThrow(/^HERALD_RESOLVER: /);
  });
});

describe('the default', () => {
  const conf =
    '# generated\nsearch example.\nnameserver not-an-address\nnameserver 10.0.0.53\nnameserver 10.0.0.54\n';

  test('the first nameserver of resolv.conf', () => {
    expect(firstNameserver(conf)).toEqual({ address: '10.0.0.53', port: 53 });
    expect(firstNameserver('  nameserver   2001:db8::1  # v6\n')).toEqual({
      address: '2001:db8::1',
      port: 53,
    });
    expect(firstNameserver('')).toBeUndefined();
  });

  test('HERALD_RESOLVER wins, then resolv.conf, then 127.0.0.1:53', () => {
    expect(resolverFromEnvironment({ HERALD_RESOLVER: '[::1]:53' }, () => conf)).toEqual({
      address: '::1',
      port: 53,
    });
    expect(resolverFromEnvironment({ HERALD_RESOLVER: '' }, () => conf)).toEqual({
      address: '10.0.0.53',
      port: 53,
    });
    expect(resolverFromEnvironment({}, () => 'search example.\n')).toEqual(DEFAULT_RESOLVER);
    const missing = () => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    expect(resolverFromEnvironment({}, missing)).toEqual({ address: '127.0.0.1', port: 53 });
    expect(() => resolverFromEnvironment({ HERALD_RESOLVER: 'dns.example' }, () => conf)).toThrow(
      /HERALD_RESOLVER: 'dns.example'/,
    );
  });
});
