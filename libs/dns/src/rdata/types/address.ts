import { registerRdata } from '../registry.js';
import { defineRdata } from '../define.js';
import { ipv4, ipv6 } from '../fields.js';
import { RRType } from '../rrtype.js';

export interface ARdata {
  address: string;
}
export interface AAAARdata {
  address: string;
}

export const A = registerRdata(defineRdata<ARdata>(RRType.A, 'A', [{ key: 'address', kind: ipv4 }]));
export const AAAA = registerRdata(
  defineRdata<AAAARdata>(RRType.AAAA, 'AAAA', [{ key: 'address', kind: ipv6 }]),
);
