// Private keys at rest: sealed under HERALD_MASTER_KEY through the SecretBox
// port, bound to the zone and key id (a sealed key moved to another record
// does not open). Opened only to sign, in this process; no API returns them.
import { publicKeyOf, type ManagedKey, type PrivateKeyMaterial } from '@herald/dns';
import { Problem } from '../http/problem.js';
import { SecretBoxError, type SecretBox } from '../ports/secret-box.port.js';
import type { DnssecDocument } from './dnssec-document.js';

const context = (zone: string, keyId: string) => `dnssec:${zone}:key:${keyId}`;

export class KeyStore {
  constructor(private readonly box: SecretBox | undefined) {}

  private require(): SecretBox {
    if (!this.box)
      throw new Problem(
        503,
        'Service Unavailable',
        'DNSSEC needs HERALD_MASTER_KEY to encrypt private keys, and this process has none',
      );
    return this.box;
  }

  seal(zone: string, keyId: string, privateKey: Uint8Array): string {
    return this.require().seal(privateKey, context(zone, keyId));
  }

  /** Opens every key that signs; a key that does not open (another master key, tampering) is a clear error. */
  open(zone: string, doc: DnssecDocument, keys: readonly ManagedKey[]): PrivateKeyMaterial[] {
    const box = this.require();
    return keys.map((k) => {
      const sealed = doc.sealed[k.id];
      if (!sealed)
        throw new Problem(500, 'Internal Server Error', `the private key of key ${k.tag} is missing`);
      let privateKey: Uint8Array;
      try {
        privateKey = box.open(sealed, context(zone, k.id));
      } catch (e) {
        if (!(e instanceof SecretBoxError)) throw e;
        throw new Problem(
          503,
          'Service Unavailable',
          `the private key of ${k.role.toUpperCase()} ${k.tag} does not decrypt with this HERALD_MASTER_KEY (${e.code}): ` +
            'start herald with the master key the keys were created under; nothing was changed',
        );
      }
      if (Buffer.from(publicKeyOf(k.algorithm, privateKey)).toString('base64') !== k.publicKey)
        throw new Problem(
          500,
          'Internal Server Error',
          `the private key of key ${k.tag} does not match its DNSKEY`,
        );
      return { id: k.id, algorithm: k.algorithm, privateKey };
    });
  }
}
