// DNAME synthesis (RFC 6672 §3.2): the DNAME record, then a CNAME from the
// query name to the name with the DNAME owner replaced by its target, TTL of
// the DNAME. Built per query: it depends on the query name. The resolver
// follows the synthesized CNAME itself.
import { rrsetsOf, TYPE_CNAME, TYPE_DNAME } from '../engine/compile.js';
import { sigsFor } from '../engine/dnssec.js';
import { T_AA, TemplateWriter } from '../engine/template.js';
import type { ZoneImage } from '../engine/zone-image.js';
import type { Query } from './query.js';

const tw = new TemplateWriter();
const RCODE_YXDOMAIN = 6;

export function dnameAnswer(
  zone: ZoneImage,
  id: number,
  q: Query,
  label: number,
  signed = false,
): Uint8Array {
  const sets = rrsetsOf(zone, id);
  const dname = sets.find((s) => s.type === TYPE_DNAME)!;
  const target = dname.rdatas[0]!;
  const qname = q.lower.subarray(0, q.qlen);
  const cut = q.labelOff[label]!;
  tw.begin(qname);
  tw.rr(qname.subarray(cut), TYPE_DNAME, 1, dname.ttl, target);
  // With DO, the DNAME's RRSIG; the synthesized CNAME is unsigned (RFC 6672 §5.3.1).
  if (signed) for (const sig of sigsFor(sets, TYPE_DNAME)) tw.rr(qname.subarray(cut), 46, 1, dname.ttl, sig);
  const length = cut + target.length;
  if (length > 255) return tw.finish(T_AA, RCODE_YXDOMAIN); // RFC 6672 §2.2
  const synthesized = new Uint8Array(length);
  synthesized.set(qname.subarray(0, cut), 0);
  synthesized.set(target, cut);
  tw.rr(null, TYPE_CNAME, 1, dname.ttl, synthesized);
  return tw.finish(T_AA, 0);
}
