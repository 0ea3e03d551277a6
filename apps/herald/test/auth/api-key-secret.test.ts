import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { hashSecret, mintApiKey, parseApiKey, verifySecret } from '../../src/auth/api-key-secret.js';

// Wraps the real timingSafeEqual so the test can see that verification uses it.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

describe('mintApiKey', () => {
  it('mints hk_<8 hex>_<43 base64url> tokens whose parts are returned separately', () => {
    const { token, prefix, secret } = mintApiKey();
    expect(token).toMatch(/^hk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(prefix).toMatch(/^hk_[0-9a-f]{8}$/);
    expect(token).toBe(`${prefix}_${secret}`);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('mints distinct keys', () => {
    const minted = Array.from({ length: 200 }, () => mintApiKey());
    expect(new Set(minted.map((k) => k.secret)).size).toBe(200);
    expect(new Set(minted.map((k) => k.prefix)).size).toBeGreaterThan(195);
  });
});

describe('parseApiKey', () => {
  it('parses what mintApiKey mints, also when the secret contains underscores', () => {
    for (let i = 0; i < 200; i++) {
      const { token, prefix, secret } = mintApiKey();
      expect(parseApiKey(token)).toEqual({ prefix, secret });
    }
    const secret = `${'_'.repeat(42)}A`;
    expect(parseApiKey(`hk_0123abcd_${secret}`)).toEqual({ prefix: 'hk_0123abcd', secret });
  });

  it('rejects anything that is not exactly the minted format', () => {
    // A prefix with a letter, so its uppercase form really differs (an all-digit prefix made this flaky).
    let minted = mintApiKey();
    while (!/[a-f]/.test(minted.prefix.slice(3))) minted = mintApiKey();
    const { token, prefix, secret } = minted;
    const bad: unknown[] = [
      undefined,
      null,
      42,
      '',
      prefix,
      `${prefix}_`,
      `Bearer ${token}`,
      ` ${token}`,
      `${token} `,
      `${token}\n`,
      token.toUpperCase(),
      token.replace(/^hk_/, 'hx_'),
      token.replace(/^hk_/, 'HK_'),
      `hk_${prefix.slice(3).toUpperCase()}_${secret}`,
      `hk_${prefix.slice(4)}_${secret}`,
      `hk_${prefix.slice(3)}0_${secret}`,
      `${prefix}-${secret}`,
      `${prefix}_${secret.slice(1)}`,
      `${prefix}_${secret}A`,
      `${prefix}_${secret.slice(0, 42)}+`,
      `${prefix}_${secret.slice(0, 42)}=`,
      // Non-canonical last character: decodes to the same bytes but is another spelling.
      `${prefix}_${'A'.repeat(42)}B`,
      `${prefix}_${secret}`.replace(/.$/, 'é'),
      'hk_0123abcd_' + 'A'.repeat(10_000),
    ];
    for (const value of bad) expect(parseApiKey(value), String(value).slice(0, 80)).toBeUndefined();
  });
});

describe('hashSecret / verifySecret', () => {
  it('stores sha256$<32 hex salt>$<64 hex digest>, salted per key', () => {
    const { secret } = mintApiKey();
    const a = hashSecret(secret);
    const b = hashSecret(secret);
    expect(a).toMatch(/^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(verifySecret(secret, a)).toBe(true);
    expect(verifySecret(secret, b)).toBe(true);
  });

  it('matches sha256(salt || secret)', () => {
    const hash = hashSecret('s3cret');
    const [, salt, digest] = hash.split('$');
    const expected = crypto
      .createHash('sha256')
      .update(Buffer.from(salt ?? '', 'hex'))
      .update('s3cret')
      .digest('hex');
    expect(digest).toBe(expected);
  });

  it('rejects other secrets and malformed hash strings', () => {
    const { secret } = mintApiKey();
    const hash = hashSecret(secret);
    expect(verifySecret(mintApiKey().secret, hash)).toBe(false);
    expect(verifySecret(secret.slice(1), hash)).toBe(false);
    expect(verifySecret(`${secret}x`, hash)).toBe(false);
    expect(verifySecret('', hash)).toBe(false);
    const digestFlipped = hash.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const saltFlipped = hash.replace(/^sha256\$./, (m) => `sha256$${m.endsWith('0') ? '1' : '0'}`);
    for (const bad of [
      digestFlipped,
      saltFlipped,
      '',
      secret,
      hash.toUpperCase(),
      hash.replace('sha256$', 'sha512$'),
      hash.replace('sha256$', 'scrypt$'),
      hash.slice(0, -2),
      `${hash}00`,
      `${hash}$`,
    ]) {
      expect(verifySecret(secret, bad), bad).toBe(false);
    }
  });

  it('refuses to hash an empty secret', () => {
    expect(() => hashSecret('')).toThrow(/empty/);
  });

  it('compares digests with crypto.timingSafeEqual', () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    const { secret } = mintApiKey();
    const hash = hashSecret(secret);
    expect(verifySecret(secret, hash)).toBe(true);
    expect(verifySecret(mintApiKey().secret, hash)).toBe(false);
    expect(compare).toHaveBeenCalledTimes(2);
    const [actual, expected] = compare.mock.calls[1] ?? [];
    expect(Buffer.byteLength(actual as Buffer)).toBe(32);
    expect(Buffer.byteLength(expected as Buffer)).toBe(32);
  });
});
