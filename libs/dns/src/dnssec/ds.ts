import { createHash } from 'node:crypto';
import type { Name } from '../name/name.js';
import type { DNSKEYRdata, DSRdata } from '../rdata/types/dnssec.js';
import { rdataToWire } from '../rdata/rdata.js';
import { RRType } from '../rdata/rrtype.js';
import { keyTag } from './key-tag.js';

/** Digest type 2, SHA-256 (RFC 4509): the one to give registrars (RFC 8624 §3.3). */
export const DIGEST_SHA256 = 2;

/** The DS of a DNSKEY: digest over the owner's canonical wire form and the DNSKEY RDATA (RFC 4034 §5.1.4). */
export function dsFor(owner: Name, key: DNSKEYRdata, digestType = DIGEST_SHA256): DSRdata {
  if (digestType !== DIGEST_SHA256) throw new Error(`DS digest type ${digestType} is not produced here`);
  const h = createHash('sha256');
  h.update(owner.toLowerCase().wire);
  h.update(rdataToWire(RRType.DNSKEY, key, true));
  return { keyTag: keyTag(key), algorithm: key.algorithm, digestType, digest: new Uint8Array(h.digest()) };
}

/** CDS/CDNSKEY "delete" forms (RFC 8078 §4). */
export const CDS_DELETE: DSRdata = { keyTag: 0, algorithm: 0, digestType: 0, digest: Uint8Array.of(0) };
export const CDNSKEY_DELETE: DNSKEYRdata = {
  flags: 0,
  protocol: 3,
  algorithm: 0,
  publicKey: Uint8Array.of(0),
};
