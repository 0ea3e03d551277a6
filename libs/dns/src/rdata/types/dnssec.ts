import { DnsError } from '../../errors.js';
import type { Name } from '../../name/name.js';
import { defineRdata } from '../define.js';
import {
  base64Rest,
  hexRest,
  name,
  nextHashed,
  rrtype,
  saltHex,
  sigTime,
  typeBitmap,
  u16,
  u32,
  u8,
} from '../fields.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** DS and CDS (RFC 4034 §5, RFC 7344). */
export interface DSRdata {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Uint8Array;
}
/** DNSKEY and CDNSKEY (RFC 4034 §2, RFC 7344). */
export interface DNSKEYRdata {
  flags: number;
  protocol: number;
  algorithm: number;
  publicKey: Uint8Array;
}
/** RFC 4034 §3. Times are seconds since 1970 (serial arithmetic, RFC 4034 §3.1.5). */
export interface RRSIGRdata {
  typeCovered: number;
  algorithm: number;
  labels: number;
  originalTtl: number;
  expiration: number;
  inception: number;
  keyTag: number;
  signerName: Name;
  signature: Uint8Array;
}
/** RFC 4034 §4. */
export interface NSECRdata {
  next: Name;
  types: number[];
}
/** RFC 5155 §3. */
export interface NSEC3Rdata {
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Uint8Array;
  nextHashed: Uint8Array;
  types: number[];
}
/** RFC 5155 §4. */
export interface NSEC3PARAMRdata {
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Uint8Array;
}

// Digest lengths by DS digest type (IANA): SHA-1, SHA-256, GOST, SHA-384.
const DIGEST_LENGTHS: Record<number, number> = { 1: 20, 2: 32, 3: 32, 4: 48 };

/** CDS `0 0 0 00`: "delete the DS RRset" (RFC 8078 §4), the one use of digest type 0. */
function isDeleteForm(v: DSRdata): boolean {
  return (
    v.keyTag === 0 && v.algorithm === 0 && v.digestType === 0 && v.digest.length === 1 && v.digest[0] === 0
  );
}

function dsType(type: number, mnemonic: string) {
  return defineRdata<DSRdata>(
    type,
    mnemonic,
    [
      { key: 'keyTag', kind: u16 },
      { key: 'algorithm', kind: u8 },
      { key: 'digestType', kind: u8 },
      { key: 'digest', kind: hexRest },
    ],
    {
      validate(v) {
        // Digest type 0 is reserved (IANA DS RR Type Digest Algorithms); CDS uses it only to say "delete".
        if (v.digestType === 0 && !(type === RRType.CDS && isDeleteForm(v)))
          throw new DnsError(
            'rdata.digest-type',
            type === RRType.CDS
              ? `digestType: 0 is reserved; a CDS uses it only in the delete form '0 0 0 00'`
              : 'digestType: 0 is reserved and names no digest algorithm',
            type === RRType.CDS ? 'RFC 8078 §4' : 'RFC 4034 §5.1.3',
            'digestType',
          );
        const expected = DIGEST_LENGTHS[v.digestType];
        if (expected !== undefined && v.digest.length !== expected)
          throw new DnsError(
            'rdata.digest-length',
            `digest: a digest type ${v.digestType} digest is ${expected} octets, got ${v.digest.length}`,
            'RFC 4509 §2.2',
            'digest',
          );
      },
    },
  );
}

function dnskeyType(type: number, mnemonic: string) {
  return defineRdata<DNSKEYRdata>(
    type,
    mnemonic,
    [
      { key: 'flags', kind: u16 },
      { key: 'protocol', kind: u8 },
      { key: 'algorithm', kind: u8 },
      { key: 'publicKey', kind: base64Rest },
    ],
    {
      validate(v) {
        // No exception for CDNSKEY: its delete form (RFC 8078 §4, erratum 5049) is `0 3 0 AA==`, protocol 3 too.
        if (v.protocol !== 3)
          throw new DnsError(
            'rdata.dnskey-protocol',
            `protocol: must be 3, got ${v.protocol}`,
            'RFC 4034 §2.1.2',
            'protocol',
          );
      },
    },
  );
}

export const DS = registerRdata(dsType(RRType.DS, 'DS'));
export const CDS = registerRdata(dsType(RRType.CDS, 'CDS'));
export const DNSKEY = registerRdata(dnskeyType(RRType.DNSKEY, 'DNSKEY'));
export const CDNSKEY = registerRdata(dnskeyType(RRType.CDNSKEY, 'CDNSKEY'));

export const RRSIG = registerRdata(
  defineRdata<RRSIGRdata>(RRType.RRSIG, 'RRSIG', [
    { key: 'typeCovered', kind: rrtype },
    { key: 'algorithm', kind: u8 },
    { key: 'labels', kind: u8 },
    { key: 'originalTtl', kind: u32 },
    { key: 'expiration', kind: sigTime },
    { key: 'inception', kind: sigTime },
    { key: 'keyTag', kind: u16 },
    { key: 'signerName', kind: name({ lower: true }) },
    { key: 'signature', kind: base64Rest },
  ]),
);

// NSEC's next name keeps its case in canonical form (RFC 6840 §5.1).
export const NSEC = registerRdata(
  defineRdata<NSECRdata>(RRType.NSEC, 'NSEC', [
    { key: 'next', kind: name() },
    { key: 'types', kind: typeBitmap },
  ]),
);

export const NSEC3 = registerRdata(
  defineRdata<NSEC3Rdata>(RRType.NSEC3, 'NSEC3', [
    { key: 'hashAlgorithm', kind: u8 },
    { key: 'flags', kind: u8 },
    { key: 'iterations', kind: u16 },
    { key: 'salt', kind: saltHex },
    { key: 'nextHashed', kind: nextHashed },
    { key: 'types', kind: typeBitmap },
  ]),
);

export const NSEC3PARAM = registerRdata(
  defineRdata<NSEC3PARAMRdata>(RRType.NSEC3PARAM, 'NSEC3PARAM', [
    { key: 'hashAlgorithm', kind: u8 },
    { key: 'flags', kind: u8 },
    { key: 'iterations', kind: u16 },
    { key: 'salt', kind: saltHex },
  ]),
);
