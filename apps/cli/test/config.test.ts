// The process configuration (apps/herald/src/process/config.ts): defaults,
// and one clear error per bad value, naming the variable, never a secret.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, type Environment } from '@herald/control-plane';

const SECRET = 's3cret-pw';

function fails(env: Environment): ConfigError {
  try {
    loadConfig(env, '/srv');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).not.toContain(SECRET);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('defaults: the all-in-one on 127.0.0.1:8053 with everything under ./.herald', () => {
    expect(loadConfig({}, '/srv')).toEqual({
      apiListen: { host: '127.0.0.1', port: 8053 },
      dataDir: '/srv/.herald',
      masterKey: { kind: 'data-dir', file: '/srv/.herald/master-key' },
      zoneDefaults: { nameservers: [], ttl: 3600, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 },
      rateLimitPerMinute: 100,
    });
  });

  test('JWT login and the rate limit come from the environment', () => {
    const secret = 'x'.repeat(40);
    expect(
      loadConfig({ HERALD_JWT_SECRET: secret, HERALD_JWT_ISSUER: 'idp', HERALD_RATE_LIMIT: '250' }, '/srv'),
    ).toMatchObject({
      jwt: { secret, issuer: 'idp' },
      rateLimitPerMinute: 250,
    });
    expect(loadConfig({ HERALD_JWKS_URL: 'https://idp.example.com/jwks.json' }, '/srv').jwt).toEqual({
      jwksUrl: 'https://idp.example.com/jwks.json',
    });
    expect(fails({ HERALD_JWT_SECRET: 'short' }).variable).toBe('HERALD_JWT_SECRET');
    expect(
      fails({ HERALD_JWT_SECRET: secret, HERALD_JWKS_URL: 'https://idp.example.com/j' }).message,
    ).toMatch(/not both/);
    expect(fails({ HERALD_RATE_LIMIT: 'lots' }).variable).toBe('HERALD_RATE_LIMIT');
  });

  test('production: PostgreSQL, Redis and the master key from the environment', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64');
    const c = loadConfig(
      {
        DATABASE_URL: `postgres://herald:${SECRET}@db:5432/herald`,
        REDIS_URL: 'redis://cache:6379',
        HERALD_MASTER_KEY: key,
        HERALD_API_LISTEN: '[::]:9000',
        HERALD_DATA_DIR: 'var',
        HERALD_NAMESERVERS: ' NS1.Example.NET. , ns2.example.net.',
        HERALD_DEFAULT_TTL: '300',
      },
      '/srv',
    );
    expect(c.apiListen).toEqual({ host: '::', port: 9000 });
    expect(c.databaseUrl).toBe(`postgres://herald:${SECRET}@db:5432/herald`);
    expect(c.redisUrl).toBe('redis://cache:6379');
    expect(c.dataDir).toBe(path.resolve('/srv/var'));
    expect(c.masterKey.kind).toBe('env');
    expect(c.zoneDefaults.nameservers).toEqual(['ns1.example.net.', 'ns2.example.net.']);
    expect(c.zoneDefaults.ttl).toBe(300);
  });

  test('blank values count as unset', () => {
    expect(
      loadConfig({ DATABASE_URL: ' ', HERALD_API_LISTEN: '', HERALD_NAMESERVERS: '' }, '/srv').databaseUrl,
    ).toBeUndefined();
  });

  test.each<[Environment, string, string]>([
    [
      { HERALD_API_LISTEN: '8053' },
      'HERALD_API_LISTEN',
      "must be host:port, e.g. 127.0.0.1:8053 or [::1]:8053, not '8053'",
    ],
    [{ HERALD_API_LISTEN: '127.0.0.1:99999' }, 'HERALD_API_LISTEN', 'port 99999 is out of range'],
    [{ DATABASE_URL: `${SECRET}` }, 'DATABASE_URL', 'DATABASE_URL is not a valid URL'],
    [
      { DATABASE_URL: `http://u:${SECRET}@db/x` },
      'DATABASE_URL',
      'must start with postgres:// or postgresql://',
    ],
    [
      { DATABASE_URL: `postgres://u:${SECRET}@db/x` },
      'HERALD_MASTER_KEY',
      'HERALD_MASTER_KEY is required when DATABASE_URL is set',
    ],
    [{ REDIS_URL: `tcp://:${SECRET}@cache` }, 'REDIS_URL', 'must start with redis:// or rediss://'],
    [{ HERALD_MASTER_KEY: SECRET }, 'HERALD_MASTER_KEY', 'HERALD_MASTER_KEY'],
    [{ HERALD_MASTER_KEY: 'a'.repeat(64) }, 'HERALD_MASTER_KEY', 'one byte repeated'],
    [
      { HERALD_NAMESERVERS: 'ns1.example.net' },
      'HERALD_NAMESERVERS',
      "end it with a dot: 'ns1.example.net.'",
    ],
    [
      { HERALD_NAMESERVERS: 'ns1.example.net.,,ns2.example.net.' },
      'HERALD_NAMESERVERS',
      'has an empty entry',
    ],
    [{ HERALD_NAMESERVERS: 'ns_1.example.net.' }, 'HERALD_NAMESERVERS', "is not a host name (label 'ns_1'"],
    [{ HERALD_NAMESERVERS: 'a..b.' }, 'HERALD_NAMESERVERS', 'empty label'],
    [{ HERALD_NAMESERVERS: 'ns1.example.net.,NS1.example.net.' }, 'HERALD_NAMESERVERS', 'listed twice'],
    [
      { HERALD_DEFAULT_TTL: '1h' },
      'HERALD_DEFAULT_TTL',
      "must be a number of seconds (0 to 2147483647), not '1h'",
    ],
    [{ HERALD_DEFAULT_TTL: '4294967295' }, 'HERALD_DEFAULT_TTL', 'HERALD_DEFAULT_TTL'],
  ])('%j -> %s', (env, variable, message) => {
    const e = fails(env);
    expect(e.variable).toBe(variable);
    expect(e.message).toContain(message);
  });
});
