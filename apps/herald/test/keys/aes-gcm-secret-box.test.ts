import { inspect } from 'node:util';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AesGcmSecretBox,
  generateMasterKey,
  parseMasterKey,
} from '../../src/adapters/keys/aes-gcm-secret-box.js';
import { SecretBoxError } from '../../src/ports/secret-box.port.js';

const CONTEXT = 'zone:example.com.:key:1234';
const secret = new TextEncoder().encode('-----BEGIN PRIVATE KEY----- not really');

function box(): AesGcmSecretBox {
  return new AesGcmSecretBox(randomBytes(32));
}

/** Runs `fn`, expecting a SecretBoxError with `code`; returns it for further checks. */
function failure(fn: () => unknown, code: SecretBoxError['code']): SecretBoxError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError);
    expect((error as SecretBoxError).code).toBe(code);
    return error as SecretBoxError;
  }
  throw new Error(`expected a SecretBoxError (${code})`);
}

/** Flips one bit of one part of a sealed string, keeping its encoding valid. */
function flip(sealed: string, part: 2 | 3, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[byte] = (bytes[byte] ?? 0) ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('AesGcmSecretBox', () => {
  it('round-trips bytes, including empty and large ones', () => {
    const b = box();
    for (const plaintext of [secret, new Uint8Array(0), randomBytes(100_000)]) {
      expect(b.open(b.seal(plaintext, CONTEXT), CONTEXT)).toEqual(new Uint8Array(plaintext));
    }
  });

  it('writes v1.<key id>.<nonce>.<ciphertext+tag>, fresh nonce every time', () => {
    const b = box();
    const sealed = b.seal(secret, CONTEXT);
    const match = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]+)$/.exec(sealed);
    expect(match).not.toBeNull();
    expect(match?.[1]).toBe(b.keyId);
    expect(Buffer.from(match?.[3] ?? '', 'base64url')).toHaveLength(secret.length + 16);
    const again = b.seal(secret, CONTEXT);
    expect(again).not.toBe(sealed);
    expect(again.split('.')[2]).not.toBe(sealed.split('.')[2]);
  });

  it('derives the same key and key id from the same master key (opens after a restart)', () => {
    const master = randomBytes(32);
    const sealed = new AesGcmSecretBox(master).seal(secret, CONTEXT);
    const restarted = new AesGcmSecretBox(Buffer.from(master));
    expect(restarted.keyId).toBe(sealed.split('.')[1]);
    expect(restarted.open(sealed, CONTEXT)).toEqual(new Uint8Array(secret));
  });

  it('does not open under another context: a secret cannot move to another record', () => {
    const b = box();
    const sealed = b.seal(secret, CONTEXT);
    const error = failure(() => b.open(sealed, 'zone:example.com.:key:4321'), 'tampered');
    expect(error.message).toMatch(/failed authentication.*altered or belongs to another record/);
  });

  it('reports tampering with the ciphertext, tag or nonce specifically', () => {
    const b = box();
    const sealed = b.seal(secret, CONTEXT);
    const bodyLength = Buffer.from(sealed.split('.')[3] ?? '', 'base64url').length;
    for (const altered of [flip(sealed, 3, 0), flip(sealed, 3, bodyLength - 1), flip(sealed, 2, 5)]) {
      failure(() => b.open(altered, CONTEXT), 'tampered');
    }
    // A truncated tag is structurally wrong, not a forgery attempt that reached GCM.
    const parts = sealed.split('.');
    parts[3] = Buffer.from(parts[3] ?? '', 'base64url')
      .subarray(0, 10)
      .toString('base64url');
    failure(() => b.open(parts.join('.'), CONTEXT), 'malformed');
  });

  it('names the key ids when the value was sealed with another master key', () => {
    const sealer = box();
    const opener = box();
    const sealed = sealer.seal(secret, CONTEXT);
    const error = failure(() => opener.open(sealed, CONTEXT), 'wrong-key');
    expect(error.message).toBe(
      `sealed with another master key (id ${sealer.keyId}); the configured HERALD_MASTER_KEY has id ${opener.keyId}`,
    );
  });

  it('rejects strings that are not sealed secrets, without echoing them', () => {
    const b = box();
    const good = b.seal(secret, CONTEXT);
    const [, keyId, nonce, body] = good.split('.');
    const bad = [
      '',
      'plaintext secret value',
      good.replace(/^v1/, 'v2'),
      `${good}.extra`,
      `v1.${keyId}.${nonce}`,
      `v1.XYZ.${nonce}.${body}`,
      `v1.${keyId}.${nonce}=.${body}`,
      `v1.${keyId}.${nonce?.slice(1)}.${body}`,
      `v1.${keyId}.${nonce}.${body}+`,
      `v1.${keyId}.${nonce}.`,
    ];
    for (const sealed of bad) {
      const error = failure(() => b.open(sealed, CONTEXT), 'malformed');
      if (sealed.length > 0) expect(error.message).not.toContain(sealed);
    }
  });

  it('requires a non-empty context', () => {
    const b = box();
    expect(() => b.seal(secret, '')).toThrow(/context must be a non-empty string/);
    expect(() => b.open(b.seal(secret, CONTEXT), '')).toThrow(/context must be a non-empty string/);
  });

  it('keeps key material out of inspect and JSON output', () => {
    const master = randomBytes(32);
    const b = new AesGcmSecretBox(master);
    const shown = `${inspect(b, { showHidden: true, depth: 5 })}${JSON.stringify(b)}`;
    expect(shown).toContain(b.keyId);
    expect(shown).not.toContain(master.toString('hex'));
    expect(shown).not.toMatch(/dataKey|<Buffer/);
  });

  it('rejects a master key that is not 32 bytes', () => {
    expect(() => new AesGcmSecretBox(randomBytes(16))).toThrow(/32 bytes, not 16/);
  });
});

describe('HERALD_MASTER_KEY', () => {
  const raw = randomBytes(32);

  it('accepts 64 hex digits and base64 / base64url, padded or not, with surrounding whitespace', () => {
    const spellings = [
      raw.toString('hex'),
      raw.toString('hex').toUpperCase(),
      raw.toString('base64'),
      raw.toString('base64').replace(/=$/, ''),
      raw.toString('base64url'),
      `${raw.toString('base64')}\n`,
    ];
    for (const text of spellings) expect(parseMasterKey(text)).toEqual(raw);
  });

  it('generates keys it accepts, different every time', () => {
    const a = generateMasterKey();
    expect(a).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(parseMasterKey(a)).toHaveLength(32);
    expect(generateMasterKey()).not.toBe(a);
  });

  it('builds a box from the environment', () => {
    const key = generateMasterKey();
    const fromEnv = AesGcmSecretBox.fromEnv({ HERALD_MASTER_KEY: key });
    expect(fromEnv.keyId).toBe(new AesGcmSecretBox(Buffer.from(key, 'base64')).keyId);
  });

  it('rejects bad values with a message naming the variable and never containing the value', () => {
    const b64 = raw.toString('base64');
    const hex = raw.toString('hex');
    const cases: [string | undefined, RegExp][] = [
      [undefined, /HERALD_MASTER_KEY is not set or empty/],
      ['', /HERALD_MASTER_KEY is not set or empty/],
      ['   ', /HERALD_MASTER_KEY is not set or empty/],
      [hex.slice(0, 32), /HERALD_MASTER_KEY decodes to 16 bytes, not 32/],
      [`${hex}00`, /HERALD_MASTER_KEY decodes to 33 bytes, not 32/],
      [randomBytes(48).toString('base64'), /HERALD_MASTER_KEY decodes to 48 bytes, not 32/],
      [`${b64.slice(0, 42)}!=`, /HERALD_MASTER_KEY contains characters that are neither hex nor base64/],
      [`correct horse battery staple ${b64}`, /neither hex nor base64/],
      [`${b64.slice(0, 43)}==`, /HERALD_MASTER_KEY has wrong base64 padding/],
      [`${b64.slice(0, 20)}+_${b64.slice(22)}`, /neither hex nor base64/],
      // Last character carries bits beyond the 32 bytes: not a canonical encoding.
      [`${b64.slice(0, 42)}${b64[42] === 'B' ? 'C' : 'B'}=`, /HERALD_MASTER_KEY is not valid base64/],
      ['00'.repeat(32), /HERALD_MASTER_KEY is one byte repeated, not a random key/],
      ['A'.repeat(43) + '=', /one byte repeated/],
    ];
    for (const [value, message] of cases) {
      let error: unknown;
      try {
        AesGcmSecretBox.fromEnv(value === undefined ? {} : { HERALD_MASTER_KEY: value });
      } catch (e) {
        error = e;
      }
      expect(error, String(value)).toBeInstanceOf(SecretBoxError);
      const { code, message: text } = error as SecretBoxError;
      expect(code).toBe('bad-master-key');
      expect(text).toMatch(message);
      expect(text).toMatch(/32 random bytes as 64 hex digits or 44 base64 characters/);
      if (value?.trim()) {
        expect(text).not.toContain(value.trim());
        // Not even a recognisable piece of it.
        expect(text).not.toContain(value.trim().slice(0, 12));
      }
    }
  });

  it('names another variable when asked to read one', () => {
    expect(() => AesGcmSecretBox.fromEnv({}, 'OLD_MASTER_KEY')).toThrow(/^OLD_MASTER_KEY is not set/);
  });
});
