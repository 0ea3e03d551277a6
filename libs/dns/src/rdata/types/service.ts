import { DnsError } from '../../errors.js';
import type { Name } from '../../name/name.js';
import { defineRdata } from '../define.js';
import { charString, name, u16 } from '../fields.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** RFC 2782; a target of `.` means the service is not offered there. */
export interface SRVRdata {
  priority: number;
  weight: number;
  port: number;
  target: Name;
}

/** RFC 3403 §4.1. */
export interface NAPTRRdata {
  order: number;
  preference: number;
  flags: Uint8Array;
  services: Uint8Array;
  regexp: Uint8Array;
  replacement: Name;
}

export const SRV = registerRdata(
  defineRdata<SRVRdata>(
    RRType.SRV,
    'SRV',
    [
      { key: 'priority', kind: u16 },
      { key: 'weight', kind: u16 },
      { key: 'port', kind: u16 },
      { key: 'target', kind: name({ lower: true }) },
    ],
    { targets: (v) => (v.target.isRoot ? [] : [v.target]) },
  ),
);

export const NAPTR = registerRdata(
  defineRdata<NAPTRRdata>(
    RRType.NAPTR,
    'NAPTR',
    [
      { key: 'order', kind: u16 },
      { key: 'preference', kind: u16 },
      { key: 'flags', kind: charString },
      { key: 'services', kind: charString },
      { key: 'regexp', kind: charString },
      { key: 'replacement', kind: name({ lower: true }) },
    ],
    {
      validate(v) {
        // RFC 3403 §4.1: flags are single characters from A-Z and 0-9.
        for (const b of v.flags) {
          const ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
          if (!ok)
            throw new DnsError(
              'rdata.naptr-flags',
              'flags: NAPTR flags must be letters or digits',
              'RFC 3403 §4.1',
              'flags',
            );
        }
      },
    },
  ),
);
