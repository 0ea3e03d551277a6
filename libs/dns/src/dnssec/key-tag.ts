import type { DNSKEYRdata } from '../rdata/types/dnssec.js';
import { rdataToWire } from '../rdata/rdata.js';
import { RRType } from '../rdata/rrtype.js';

/** The key tag of a DNSKEY (RFC 4034 Appendix B; algorithm 1 is never used here). */
export function keyTag(key: DNSKEYRdata): number {
  const rdata = rdataToWire(RRType.DNSKEY, key, true);
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/** DNSKEY flags: Zone Key (RFC 4034 §2.1.1) and Secure Entry Point (RFC 3757). */
export const FLAG_ZONE = 0x0100;
export const FLAG_SEP = 0x0001;
/** RFC 5011 REVOKE bit. */
export const FLAG_REVOKE = 0x0080;
