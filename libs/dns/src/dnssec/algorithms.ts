// The signing algorithms herald generates keys for (RFC 8624 §3.1: the two
// recommended ones), on node:crypto. Private keys travel as PKCS#8 DER, the
// form the key store encrypts; public keys in DNSKEY form.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { DnsError } from '../errors.js';

export const ALG_ECDSAP256SHA256 = 13;
export const ALG_ED25519 = 15;
export type SigningAlgorithm = typeof ALG_ECDSAP256SHA256 | typeof ALG_ED25519;

export const ALGORITHM_NAMES: Record<SigningAlgorithm, string> = {
  13: 'ECDSAP256SHA256',
  15: 'ED25519',
};

export function isSigningAlgorithm(n: unknown): n is SigningAlgorithm {
  return n === ALG_ECDSAP256SHA256 || n === ALG_ED25519;
}

/** Checks an algorithm number, naming the supported ones when it is not one of them. */
export function signingAlgorithm(n: unknown, field = 'algorithm'): SigningAlgorithm {
  if (isSigningAlgorithm(n)) return n;
  throw new DnsError(
    'dnssec.algorithm',
    `${field}: ${String(n)} is not a supported signing algorithm; use 13 (ECDSAP256SHA256) or 15 (ED25519)`,
    'RFC 8624 §3.1',
    field,
  );
}

export interface GeneratedKey {
  algorithm: SigningAlgorithm;
  /** DNSKEY public key field (RFC 6605 §4: x‖y for P-256; RFC 8080 §3: 32 octets for Ed25519). */
  publicKey: Uint8Array;
  /** PKCS#8 DER: what the key store encrypts. */
  privateKey: Uint8Array;
}

export function generateKey(algorithm: SigningAlgorithm): GeneratedKey {
  const pair =
    algorithm === ALG_ECDSAP256SHA256
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('ed25519');
  return {
    algorithm,
    publicKey: publicKeyField(algorithm, pair.publicKey),
    privateKey: new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}

function publicKeyField(algorithm: SigningAlgorithm, key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  if (algorithm === ALG_ED25519) return new Uint8Array(x);
  const y = Buffer.from(jwk.y!, 'base64url');
  return new Uint8Array(Buffer.concat([x, y]));
}

/** The public DNSKEY field of a PKCS#8 private key (to check a stored key pair is whole). */
export function publicKeyOf(algorithm: SigningAlgorithm, privateKey: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(privateKey), format: 'der', type: 'pkcs8' });
  return publicKeyField(algorithm, createPublicKey(key));
}

/** Signs with one private key: RRSIG signature field octets (RFC 6605 §4 r‖s; RFC 8080 §4). */
export type SignFn = (data: Uint8Array) => Uint8Array;

export function signerFor(algorithm: SigningAlgorithm, privateKey: Uint8Array): SignFn {
  const key = createPrivateKey({ key: Buffer.from(privateKey), format: 'der', type: 'pkcs8' });
  if (algorithm === ALG_ED25519) return (data) => new Uint8Array(sign(null, data, key));
  return (data) => new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
}

/** Verifies a signature against a DNSKEY public key field (tests and self-checks). */
export function verifySignature(
  algorithm: SigningAlgorithm,
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key =
    algorithm === ALG_ED25519
      ? createPublicKey({
          key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
          format: 'jwk',
        })
      : createPublicKey({
          key: {
            kty: 'EC',
            crv: 'P-256',
            x: Buffer.from(publicKey.subarray(0, 32)).toString('base64url'),
            y: Buffer.from(publicKey.subarray(32)).toString('base64url'),
          },
          format: 'jwk',
        });
  if (algorithm === ALG_ED25519) return verify(null, data, key, signature);
  return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}
