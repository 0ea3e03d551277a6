// Encryption at rest for private material (DNSSEC private keys, TSIG
// secrets): what the database holds is sealed, and only a process with the
// master key can open it. Adapter: AES-256-GCM keyed from HERALD_MASTER_KEY.

export interface SecretBox {
  /** Public fingerprint of the master key, also written into every sealed string. */
  readonly keyId: string;
  /**
   * Encrypts `plaintext` bound to `context` (e.g. `zone:example.com.:key:1234`):
   * the result opens only with the same context, so a sealed value cannot be
   * moved to another record. Returns a printable, versioned string.
   */
  seal(plaintext: Uint8Array, context: string): string;
  /** Throws SecretBoxError when the string is malformed, from another master key, altered, or for another context. */
  open(sealed: string, context: string): Uint8Array;
}

export type SecretBoxErrorCode =
  /** HERALD_MASTER_KEY is missing or not 32 bytes of base64/hex. */
  | 'bad-master-key'
  /** The string is not a sealed secret this version can read. */
  | 'malformed'
  /** Sealed with a different master key (the key ids differ). */
  | 'wrong-key'
  /** Authentication failed: the ciphertext was altered or the context differs. */
  | 'tampered';

/** Messages name what is wrong, never key or secret material. */
export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}
