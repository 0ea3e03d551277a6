import type { Name } from '../name/name.js';
import { printRdata } from '../rdata/rdata.js';
import { RRType, classToString, typeToString } from '../rdata/rrtype.js';
import { compareRecords, type ResourceRecord } from '../rr.js';

export interface PrintMasterFileOptions {
  /**
   * Writes `$ORIGIN` first and names at or below it relative to it (`@` for
   * the apex); without it every name is absolute.
   */
  origin?: Name;
  /** Records are already in the order wanted (skips the canonical sort). */
  presorted?: boolean;
}

/**
 * Writes a canonical master file: the SOA first, then every record in
 * canonical order (RFC 4034 §6), one per line as `owner TTL IN TYPE RDATA`
 * with every field explicit, so the file means the same to any reader
 * (BIND, Knot, ldns) whatever defaults it applies.
 */
export function printMasterFile(
  records: Iterable<ResourceRecord>,
  options: PrintMasterFileOptions = {},
): string {
  const all = options.presorted ? [...records] : [...records].sort(compareRecords);
  const soaAt = all.findIndex((rr) => rr.type === RRType.SOA);
  if (soaAt > 0) all.unshift(all.splice(soaAt, 1)[0]!);
  const lines: string[] = [];
  const origin = options.origin;
  if (origin) lines.push(`$ORIGIN ${origin.toString()}`);
  for (const rr of all) lines.push(formatRecordLine(rr, origin));
  return lines.join('\n') + '\n';
}

/** One master-file line for `rr` (no newline); names relative to `origin` when given. */
export function formatRecordLine(rr: ResourceRecord, origin?: Name): string {
  const owner = origin ? rr.name.toRelativeString(origin) : rr.name.toString();
  const rdata = printRdata(rr.type, rr.data, origin ? { origin } : {});
  return `${owner}\t${rr.ttl}\t${classToString(rr.class)}\t${typeToString(rr.type)}\t${rdata}`;
}
