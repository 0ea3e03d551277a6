import { defineRdata } from '../define.js';
import { charString, charStrings } from '../fields.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** TXT and SPF: one or more character-strings (RFC 1035 §3.3.14, RFC 7208 §3.1). */
export interface TXTRdata {
  strings: Uint8Array[];
}
export interface HINFORdata {
  cpu: Uint8Array;
  os: Uint8Array;
}

export const TXT = registerRdata(
  defineRdata<TXTRdata>(RRType.TXT, 'TXT', [{ key: 'strings', kind: charStrings }]),
);
export const SPF = registerRdata(
  defineRdata<TXTRdata>(RRType.SPF, 'SPF', [{ key: 'strings', kind: charStrings }]),
);
export const HINFO = registerRdata(
  defineRdata<HINFORdata>(RRType.HINFO, 'HINFO', [
    { key: 'cpu', kind: charString },
    { key: 'os', kind: charString },
  ]),
);
