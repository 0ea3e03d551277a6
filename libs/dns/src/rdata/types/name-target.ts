import type { Name } from '../../name/name.js';
import { defineRdata } from '../define.js';
import { name } from '../fields.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** Types whose RDATA is one domain name: NS, CNAME, PTR (RFC 1035 §3.3), DNAME (RFC 6672). */
export interface TargetRdata {
  target: Name;
}

// RFC 1035 types may be compressed on the wire; DNAME may not (RFC 6672 §2.5).
const compressed = name({ compress: true, lower: true });

export const NS = registerRdata(
  defineRdata<TargetRdata>(RRType.NS, 'NS', [{ key: 'target', kind: compressed }], {
    targets: (v) => [v.target],
  }),
);
export const CNAME = registerRdata(
  defineRdata<TargetRdata>(RRType.CNAME, 'CNAME', [{ key: 'target', kind: compressed }], {
    targets: (v) => [v.target],
  }),
);
export const PTR = registerRdata(
  defineRdata<TargetRdata>(RRType.PTR, 'PTR', [{ key: 'target', kind: compressed }], {
    targets: (v) => [v.target],
  }),
);
export const DNAME = registerRdata(
  defineRdata<TargetRdata>(RRType.DNAME, 'DNAME', [{ key: 'target', kind: name({ lower: true }) }], {
    targets: (v) => [v.target],
  }),
);
