import { expect } from 'vitest';
import {
  Name,
  parseType,
  rdataFromText,
  recordToString,
  Zone,
  type Problem,
  type ResourceRecord,
} from '../../src/index.js';

export const ORIGIN = Name.parse('example.com.');

/** A record; `name` may be relative to example.com. (`@` is the apex), RDATA in presentation form. */
export function rr(name: string, type: string, data: string, ttl = 300, cls = 1): ResourceRecord {
  const t = parseType(type);
  return {
    name: Name.parse(name, { origin: ORIGIN }),
    type: t,
    class: cls,
    ttl,
    data: rdataFromText(t, data, { origin: ORIGIN }),
  };
}

export const n = (name: string): Name => Name.parse(name, { origin: ORIGIN });

/** The smallest valid zone: SOA, NS and the name server's address. */
export function baseRecords(): ResourceRecord[] {
  return [
    rr('@', 'SOA', 'ns1 hostmaster 1 7200 3600 1209600 300', 3600),
    rr('@', 'NS', 'ns1', 3600),
    rr('ns1', 'A', '192.0.2.53'),
  ];
}

/** Builds base + extra records and insists on success. */
export function zoneWith(...extra: ResourceRecord[]): Zone {
  const { zone, problems } = Zone.build(ORIGIN, [...baseRecords(), ...extra]);
  if (!zone) throw new Error(`build failed: ${problems.map((p) => p.message).join('\n')}`);
  return zone;
}

/** The zone of a build result, insisting there is one. */
export function zoneOf(result: { zone?: Zone; problems: Problem[] }): Zone {
  if (!result.zone) throw new Error(`build failed: ${result.problems.map((p) => p.message).join('\n')}`);
  return result.zone;
}

/** An RRSIG at `owner` covering `covered`, with the TTL of that RRset (RFC 4034 §3). */
export function sig(owner: string, covered: string, ttl: number, keyTag = 1): ResourceRecord {
  return rr(
    owner,
    'RRSIG',
    `${covered} 13 3 ${ttl} 20350101000000 20250101000000 ${keyTag} example.com. AAAA`,
    ttl,
  );
}

/** Problems of building base + extra records. */
export function problemsOf(...extra: ResourceRecord[]): Problem[] {
  return Zone.build(ORIGIN, [...baseRecords(), ...extra]).problems;
}

/** Asserts a problem with this rule (and optionally owner) is present, with the given severity. */
export function expectProblem(
  problems: Problem[],
  rule: string,
  severity: 'error' | 'warning',
  name?: string,
): Problem {
  const found = problems.find((p) => p.rule === rule && (name === undefined || p.name === name));
  expect(
    found,
    `expected ${rule} at ${name ?? 'any name'} in ${JSON.stringify(problems, null, 1)}`,
  ).toBeDefined();
  expect(found!.severity).toBe(severity);
  expect(found!.rfc).toMatch(/^RFC \d+/);
  return found!;
}

export function expectNoProblem(problems: Problem[], rule: string): void {
  expect(problems.filter((p) => p.rule === rule)).toEqual([]);
}

export function texts(records: Iterable<ResourceRecord>): string[] {
  return [...records].map((r) => recordToString(r));
}
