// SecretBox on AES-256-GCM (node:crypto). Sealed form:
//
//   v1.<key id>.<nonce, base64url>.<ciphertext || 16-byte tag, base64url>
//
// - The data key is HKDF-SHA256(master key, info 'herald secret box v1'), so
//   the master key itself is never used directly and a future v2 derives a
//   different key from the same master key.
// - The key id is a separate HKDF output (a fingerprint that reveals nothing
//   about the data key): a value sealed under another master key is reported
//   as exactly that, instead of as a generic authentication failure.
// - The nonce is 12 random bytes per seal. Random 96-bit nonces stay safe far
//   beyond the number of secrets Herald will ever seal under one key.
// - The associated data is the header plus the caller's context, so neither
//   the header nor the record a secret belongs to can be swapped unnoticed.
//
// Nothing here logs, and no error message contains key or secret material.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SecretBoxError, type SecretBox } from '../../ports/secret-box.port.js';

export const MASTER_KEY_VARIABLE = 'HERALD_MASTER_KEY';

const VERSION = 'v1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_INFO = 'herald secret box v1';
const KEY_ID_INFO = 'herald secret box v1 key id';
const KEY_ID = /^[0-9a-f]{8}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A new master key: 32 random bytes, base64. Used by the all-in-one process on first start. */
export function generateMasterKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * Parses a master key given as 64 hex digits or as base64 / base64url (with
 * or without padding) of exactly 32 bytes. Surrounding whitespace (a trailing
 * newline from a file) is ignored; anything else malformed is an error that
 * names `variable` and the problem, never the value.
 */
export function parseMasterKey(value: string | undefined, variable = MASTER_KEY_VARIABLE): Buffer {
  const text = value?.trim() ?? '';
  const expect = `it must be ${KEY_BYTES} random bytes as 64 hex digits or 44 base64 characters (generate one with: openssl rand -base64 32)`;
  if (text === '') throw new SecretBoxError('bad-master-key', `${variable} is not set or empty: ${expect}`);

  let key: Buffer;
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) {
    key = Buffer.from(text, 'hex');
  } else if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) || /^[A-Za-z0-9_-]+={0,2}$/.test(text)) {
    if (text.endsWith('=') && text.length % 4 !== 0) {
      throw new SecretBoxError('bad-master-key', `${variable} has wrong base64 padding: ${expect}`);
    }
    const decoded = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    // Node's decoder skips what it does not understand; only a value that
    // re-encodes to itself is accepted, so typos are not silently absorbed.
    const reencoded = decoded.toString('base64url');
    if (text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_') !== reencoded) {
      throw new SecretBoxError('bad-master-key', `${variable} is not valid base64: ${expect}`);
    }
    key = decoded;
  } else {
    throw new SecretBoxError(
      'bad-master-key',
      `${variable} contains characters that are neither hex nor base64: ${expect}`,
    );
  }
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError(
      'bad-master-key',
      `${variable} decodes to ${key.length} bytes, not ${KEY_BYTES}: ${expect}`,
    );
  }
  const first = key[0];
  if (key.every((byte) => byte === first)) {
    throw new SecretBoxError(
      'bad-master-key',
      `${variable} is one byte repeated, not a random key: ${expect}`,
    );
  }
  return key;
}

export class AesGcmSecretBox implements SecretBox {
  readonly keyId: string;
  // A private field: util.inspect and JSON.stringify of the box do not show it.
  readonly #dataKey: Buffer;

  /** From the environment variable HERALD_MASTER_KEY (or `variable`). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, variable = MASTER_KEY_VARIABLE): AesGcmSecretBox {
    return new AesGcmSecretBox(parseMasterKey(env[variable], variable));
  }

  constructor(masterKey: Uint8Array) {
    if (masterKey.length !== KEY_BYTES) {
      throw new SecretBoxError(
        'bad-master-key',
        `master key must be ${KEY_BYTES} bytes, not ${masterKey.length}`,
      );
    }
    this.#dataKey = Buffer.from(hkdfSync('sha256', masterKey, new Uint8Array(0), DATA_KEY_INFO, KEY_BYTES));
    this.keyId = Buffer.from(hkdfSync('sha256', masterKey, new Uint8Array(0), KEY_ID_INFO, 4)).toString(
      'hex',
    );
  }

  seal(plaintext: Uint8Array, context: string): string {
    checkContext(context);
    const header = `${VERSION}.${this.keyId}`;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#dataKey, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(header, context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return `${header}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }

  open(sealed: string, context: string): Uint8Array {
    checkContext(context);
    if (typeof sealed !== 'string') throw malformed('not a string');
    const parts = sealed.split('.');
    if (parts.length !== 4) throw malformed(`${parts.length} dot-separated parts instead of 4`);
    const [version, keyId, nonceText, bodyText] = parts as [string, string, string, string];
    if (version !== VERSION) throw malformed('unsupported format version');
    if (!KEY_ID.test(keyId)) throw malformed('bad key id');
    if (keyId !== this.keyId) {
      throw new SecretBoxError(
        'wrong-key',
        `sealed with another master key (id ${keyId}); the configured ${MASTER_KEY_VARIABLE} has id ${this.keyId}`,
      );
    }
    const nonce = decodeBase64url(nonceText);
    if (nonce?.length !== NONCE_BYTES) throw malformed('bad nonce');
    const body = decodeBase64url(bodyText);
    if (!body || body.length < TAG_BYTES) throw malformed('ciphertext too short');

    const decipher = createDecipheriv('aes-256-gcm', this.#dataKey, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(`${version}.${keyId}`, context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return new Uint8Array(
        Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]),
      );
    } catch {
      // GCM cannot tell an altered ciphertext from a different context: say both.
      throw new SecretBoxError(
        'tampered',
        `sealed secret failed authentication for context "${context}": it was altered or belongs to another record`,
      );
    }
  }
}

function checkContext(context: string): void {
  if (typeof context !== 'string' || context.length === 0) {
    throw new TypeError('secret box context must be a non-empty string, e.g. zone:example.com.:key:1234');
  }
}

// The header never contains NUL, so header + NUL + context is unambiguous.
function associatedData(header: string, context: string): Buffer {
  return Buffer.from(`${header}\0${context}`, 'utf8');
}

function decodeBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Reject non-canonical encodings: one sealed value has one spelling.
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function malformed(why: string): SecretBoxError {
  return new SecretBoxError(
    'malformed',
    `not a sealed secret (${why}); expected ${VERSION}.<key id>.<nonce>.<ciphertext>`,
  );
}
