import type { Name } from '../../name/name.js';
import { defineRdata } from '../define.js';
import { name, period, u32 } from '../fields.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** RFC 1035 §3.3.13. Timers accept units on input (`1h`) and print in seconds. */
export interface SOARdata {
  mname: Name;
  rname: Name;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

const soaName = name({ compress: true, lower: true });

export const SOA = registerRdata(
  defineRdata<SOARdata>(RRType.SOA, 'SOA', [
    { key: 'mname', kind: soaName },
    { key: 'rname', kind: soaName },
    { key: 'serial', kind: u32 },
    { key: 'refresh', kind: period },
    { key: 'retry', kind: period },
    { key: 'expire', kind: period },
    { key: 'minimum', kind: period },
  ]),
);
