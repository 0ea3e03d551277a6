import { DnsError } from '../../errors.js';
import { defineRdata } from '../define.js';
import { base64Rest, hexRest, u8 } from '../fields.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** RFC 4255 / RFC 6594. */
export interface SSHFPRdata {
  algorithm: number;
  fpType: number;
  fingerprint: Uint8Array;
}

/** RFC 6698 (TLSA) and RFC 8162 (SMIMEA) share this layout. */
export interface TLSARdata {
  usage: number;
  selector: number;
  matchingType: number;
  data: Uint8Array;
}

/** RFC 7929. */
export interface OPENPGPKEYRdata {
  key: Uint8Array;
}

function expectLength(
  actual: number,
  expected: number | undefined,
  what: string,
  field: string,
  rfc: string,
): void {
  if (expected !== undefined && actual !== expected)
    throw new DnsError(
      'rdata.digest-length',
      `${field}: ${what} must be ${expected} octets, got ${actual}`,
      rfc,
      field,
    );
}

const SSHFP_LENGTHS: Record<number, number> = { 1: 20, 2: 32 };
export const SSHFP = registerRdata(
  defineRdata<SSHFPRdata>(
    RRType.SSHFP,
    'SSHFP',
    [
      { key: 'algorithm', kind: u8 },
      { key: 'fpType', kind: u8 },
      { key: 'fingerprint', kind: hexRest },
    ],
    {
      validate: (v) =>
        expectLength(
          v.fingerprint.length,
          SSHFP_LENGTHS[v.fpType],
          `a type ${v.fpType} fingerprint`,
          'fingerprint',
          'RFC 6594 §3',
        ),
    },
  ),
);

const TLSA_LENGTHS: Record<number, number> = { 1: 32, 2: 64 };
const tlsaFields = [
  { key: 'usage', kind: u8 },
  { key: 'selector', kind: u8 },
  { key: 'matchingType', kind: u8 },
  { key: 'data', kind: hexRest },
];
const tlsaValidate = (v: TLSARdata) =>
  expectLength(
    v.data.length,
    TLSA_LENGTHS[v.matchingType],
    `data for matching type ${v.matchingType}`,
    'data',
    'RFC 6698 §2.1.3',
  );

export const TLSA = registerRdata(
  defineRdata<TLSARdata>(RRType.TLSA, 'TLSA', tlsaFields, { validate: tlsaValidate }),
);
export const SMIMEA = registerRdata(
  defineRdata<TLSARdata>(RRType.SMIMEA, 'SMIMEA', tlsaFields, { validate: tlsaValidate }),
);
export const OPENPGPKEY = registerRdata(
  defineRdata<OPENPGPKEYRdata>(RRType.OPENPGPKEY, 'OPENPGPKEY', [{ key: 'key', kind: base64Rest }]),
);
