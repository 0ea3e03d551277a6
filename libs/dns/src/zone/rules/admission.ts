import type { Name } from '../../name/name.js';
import { DnsError } from '../../errors.js';
import { checkRdata, isMetaType } from '../../rdata/rdata.js';
import { CLASS_IN, classToString, typeToString } from '../../rdata/rrtype.js';
import type { ResourceRecord } from '../../rr.js';
import { defineRule, type ProblemSink } from '../problem.js';
import type { NameTree } from '../tree.js';

// Record-level rules: checked as records enter a zone (build, and each change
// of apply). A Zone never holds a record that fails them, so check() has
// nothing to find for them.

export const OUT_OF_ZONE = defineRule(
  'out-of-zone',
  'error',
  'RFC 1034 §4.2',
  'Owners are at or below the zone origin.',
);
export const CLASS = defineRule('class', 'error', 'RFC 1035 §3.2.4', 'Zone records are of class IN.');
export const RDATA_INVALID = defineRule(
  'rdata-invalid',
  'error',
  'RFC 1035 §3.3',
  'Record data is a valid value of its type (it encodes, and passes the checks decoding applies).',
);
export const META_TYPE = defineRule(
  'meta-type',
  'error',
  'RFC 6895 §3.1',
  'Meta-types and QTYPEs (OPT, TSIG, ANY, AXFR...) are not zone data.',
);

/** Checks owner and type; `where` prefixes messages (e.g. `change 3: `). Returns false when rejected. */
export function admitOwnerType(
  tree: NameTree,
  name: Name,
  type: number,
  sink: ProblemSink,
  where = '',
): boolean {
  let ok = true;
  if (!tree.contains(name)) {
    sink.add(
      OUT_OF_ZONE,
      name,
      type,
      `${where}${name} ${typeToString(type)} is outside the zone ${tree.origin}; a zone holds only names at or below its origin`,
    );
    ok = false;
  }
  if (isMetaType(type)) {
    sink.add(
      META_TYPE,
      name,
      type,
      `${where}${name} ${typeToString(type)}: ${typeToString(type)} is a meta-type that exists only in messages, never as zone data`,
    );
    ok = false;
  }
  return ok;
}

/**
 * Checks that `data` is a valid value of `type` (see checkRdata): records
 * come from API callers too, and a zone must never hold data it cannot
 * encode, such as an A record carrying an AAAA object.
 */
export function admitRdata(name: Name, type: number, data: unknown, sink: ProblemSink, where = ''): boolean {
  try {
    checkRdata(type, data);
    return true;
  } catch (e) {
    if (!(e instanceof DnsError)) throw e;
    sink.add(
      RDATA_INVALID,
      name,
      type,
      `${where}${name} ${typeToString(type)} has data that is not valid ${typeToString(type)} RDATA: ${e.message}`,
    );
    return false;
  }
}

/** Checks a whole record: owner, type, class and data. */
export function admitRecord(tree: NameTree, rr: ResourceRecord, sink: ProblemSink, where = ''): boolean {
  let ok = admitOwnerType(tree, rr.name, rr.type, sink, where);
  if (rr.class !== CLASS_IN) {
    sink.add(
      CLASS,
      rr.name,
      rr.type,
      `${where}${rr.name} ${typeToString(rr.type)} has class ${classToString(rr.class)}; this zone serves class IN only`,
    );
    ok = false;
  }
  return ok && admitRdata(rr.name, rr.type, rr.data, sink, where);
}
