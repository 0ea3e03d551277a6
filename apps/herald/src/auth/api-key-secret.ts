// API key tokens and how their secret part is stored.
//
// Token: hk_<8 hex>_<43 base64url>. The `hk_<8 hex>` prefix is public: it is
// stored in clear, indexed to find the key, shown in listings, and makes a
// leaked token recognisable to secret scanners. The secret part is 32 random
// bytes and is stored only as a hash.
//
// Why a fast hash and not scrypt/argon2: slow KDFs exist to make guessing
// low-entropy passwords expensive. A 256-bit random secret cannot be guessed
// however fast the hash is, so a slow KDF would protect nothing and would add
// its full cost to every API call that authenticates with a key. SHA-256 over
// a per-key random salt is enough; the salt only keeps equal secrets (there
// will be none) from having equal hashes. The comparison is constant-time so
// response timing says nothing about how much of a hash matched.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN = /^(hk_[0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;
const HASH = /^sha256\$([0-9a-f]{32})\$([0-9a-f]{64})$/;
const SECRET_BYTES = 32;
const SALT_BYTES = 16;

export interface MintedApiKey {
  /** The whole token, given to the user once and never stored. */
  token: string;
  /** `hk_` + 8 hex digits: public, stored as StoredApiKey.prefix and used for lookup. */
  prefix: string;
  /** The secret part of the token; store only hashSecret(secret). */
  secret: string;
}

export function mintApiKey(): MintedApiKey {
  const prefix = `hk_${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { token: `${prefix}_${secret}`, prefix, secret };
}

/**
 * Splits a token into prefix and secret, or undefined when it is not exactly
 * the minted format (lowercase hex prefix, canonical 43-character secret).
 */
export function parseApiKey(token: unknown): { prefix: string; secret: string } | undefined {
  if (typeof token !== 'string' || token.length > 64) return undefined;
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, prefix, secret] = match as unknown as [string, string, string];
  // 43 characters carry 258 bits; the last 2 must be zero for exactly 32 bytes.
  if (Buffer.from(secret, 'base64url').toString('base64url') !== secret) return undefined;
  return { prefix, secret };
}

/** `sha256$<salt hex>$<sha256(salt || secret) hex>`. */
export function hashSecret(secret: string): string {
  if (secret.length === 0) throw new TypeError('cannot hash an empty API key secret');
  const salt = randomBytes(SALT_BYTES);
  return `sha256$${salt.toString('hex')}$${digest(salt, secret).toString('hex')}`;
}

/** True when `secret` hashes to `hash`; false also for a hash string not in the format above. */
export function verifySecret(secret: string, hash: string): boolean {
  const match = HASH.exec(hash);
  if (!match || typeof secret !== 'string') return false;
  const [, saltHex, digestHex] = match as unknown as [string, string, string];
  const expected = Buffer.from(digestHex, 'hex');
  const actual = digest(Buffer.from(saltHex, 'hex'), secret);
  return timingSafeEqual(actual, expected);
}

function digest(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret, 'utf8').digest();
}
