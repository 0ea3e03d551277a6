import type { Name } from '../name/name.js';
import { typeToString } from '../rdata/rrtype.js';
import type { Problem } from '../zone/problem.js';
import { Zone, type BuildOptions } from '../zone/zone.js';
import { parseMasterFile, type MasterFileOptions, type ParsedRecord } from './parser.js';

/**
 * One finding about a zone file, syntax or zone rule alike, in the shape an
 * API error list or a CLI prints: where (line, and column for syntax), what
 * (`code` is the parser's error code or the zone rule's id), and why (`rfc`).
 */
export interface ZoneFileIssue {
  severity: 'error' | 'warning';
  line?: number;
  column?: number;
  code: string;
  message: string;
  rfc?: string;
  name?: string;
  type?: string;
}

export interface LoadZoneResult {
  /** Undefined whenever there is any error: a zone file is taken whole or not at all. */
  zone?: Zone;
  records: ParsedRecord[];
  errors: ZoneFileIssue[];
  warnings: ZoneFileIssue[];
}

export type LoadZoneOptions = Omit<MasterFileOptions, 'origin'> & BuildOptions;

/**
 * Reads a master file for `origin` and builds the zone, checking every zone
 * rule. Rule findings carry the line of the first record they concern, so
 * the whole file's problems are reported against lines, as syntax errors are.
 */
export function loadZoneFile(text: string, origin: Name, options: LoadZoneOptions = {}): LoadZoneResult {
  const parsed = parseMasterFile(text, { ...options, origin });
  const errors: ZoneFileIssue[] = parsed.errors.map((e) => ({ severity: 'error', ...e }));
  if (errors.length > 0) return { records: parsed.records, errors, warnings: [] };

  const built = Zone.build(origin, parsed.records, options.ttlPolicy ? { ttlPolicy: options.ttlPolicy } : {});
  // Only look lines up when there is something to report: building the index costs a pass over every record.
  const lineOf = built.problems.length > 0 ? firstLines(parsed.records) : new Map<string, number>();
  const issue = (p: Problem): ZoneFileIssue => {
    const line =
      lineOf.get(`${p.name.toLowerCase()} ${p.type ?? ''}`) ?? lineOf.get(`${p.name.toLowerCase()} `);
    return {
      severity: p.severity,
      ...(line === undefined ? {} : { line }),
      code: p.rule,
      message: p.message,
      rfc: p.rfc,
      name: p.name,
      ...(p.type === undefined ? {} : { type: p.type }),
    };
  };
  const result: LoadZoneResult = {
    records: parsed.records,
    errors: built.problems.filter((p) => p.severity === 'error').map(issue),
    warnings: built.problems.filter((p) => p.severity === 'warning').map(issue),
  };
  if (built.zone && result.errors.length === 0) result.zone = built.zone;
  return result;
}

/** First line of each owner (`name `) and each owner+type (`name TYPE`), names lowercased. */
function firstLines(records: readonly ParsedRecord[]): Map<string, number> {
  const lines = new Map<string, number>();
  for (const rr of records) {
    const owner = rr.name.toString().toLowerCase();
    for (const key of [`${owner} `, `${owner} ${typeToString(rr.type)}`])
      if (!lines.has(key)) lines.set(key, rr.line);
  }
  return lines;
}
