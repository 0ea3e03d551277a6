import type { Name } from '../../name/name.js';
import { defineRdata } from '../define.js';
import { name, u16 } from '../fields.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** RFC 1035 §3.3.9; an exchange of `.` is a null MX (RFC 7505) and names no host. */
export interface MXRdata {
  preference: number;
  exchange: Name;
}

export const MX = registerRdata(
  defineRdata<MXRdata>(
    RRType.MX,
    'MX',
    [
      { key: 'preference', kind: u16 },
      { key: 'exchange', kind: name({ compress: true, lower: true }) },
    ],
    { targets: (v) => (v.exchange.isRoot ? [] : [v.exchange]) },
  ),
);
