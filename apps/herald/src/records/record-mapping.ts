import {
  DnsError,
  Name,
  canonicalRdata,
  parseTtl,
  parseType,
  printRdata,
  rdataFromText,
  typeToString,
  type ResourceRecord,
} from '@herald/dns';
import type { FieldError } from '../http/problem.js';
import type { NewRecord, StoredRecord } from '../ports/zone-store.port.js';

const MAX_METADATA_BYTES = 8192;

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v));
  return false;
}

/** A record as the API shows it (CONTRACT.md): name relative to the zone, value in presentation form. */
export interface ApiRecord {
  id: string;
  zone: string;
  name: string;
  type: string;
  value: string;
  ttl: number;
  metadata: Record<string, unknown>;
}

/** A record as the API takes it. */
export interface RecordInput {
  name: string;
  type: string;
  value: string;
  ttl?: number;
  metadata?: Record<string, unknown>;
}

export function presentRecord(zone: Name, r: StoredRecord): ApiRecord {
  return {
    id: r.id,
    zone: zone.toString(),
    name: Name.parse(r.owner).toRelativeString(zone),
    type: typeToString(r.type),
    value: r.value,
    ttl: r.ttl,
    metadata: r.metadata,
  };
}

/** The stored form back into the DNS model (values are stored canonical, names absolute). */
export function toResourceRecord(r: Pick<StoredRecord, 'owner' | 'type' | 'ttl' | 'value'>): ResourceRecord {
  return {
    name: Name.parse(r.owner),
    type: r.type,
    class: 1,
    ttl: r.ttl,
    data: rdataFromText(r.type, r.value),
  };
}

export function toNewRecord(rr: ResourceRecord, metadata: Record<string, unknown>, id?: string): NewRecord {
  return {
    ...(id ? { id } : {}),
    owner: rr.name.toString(),
    type: rr.type,
    ttl: rr.ttl,
    value: printRdata(rr.type, rr.data),
    canonical: canonicalRdata(rr),
    metadata,
  };
}

/**
 * Validates one API record against the zone: owner inside the zone (relative,
 * `@`, or absolute), known type, RDATA valid for the type, TTL in range.
 * Collects every field error (prefixed with `at`, e.g. `operations[2].`).
 */
export function parseRecordInput(
  zone: Name,
  input: RecordInput,
  defaultTtl: number,
  at = '',
): { rr?: ResourceRecord; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, e: unknown) => {
    if (e instanceof DnsError)
      errors.push({ field: at + field, code: e.code, message: e.message, ...(e.rfc ? { rfc: e.rfc } : {}) });
    else throw e;
  };
  let name: Name | undefined;
  let type: number | undefined;
  let ttl = defaultTtl;
  try {
    name = Name.parse(input.name, { origin: zone, field: 'name' });
    if (!name.isSubdomainOf(zone))
      errors.push({
        field: at + 'name',
        code: 'out-of-zone',
        message: `name: ${name.toString()} is not inside the zone ${zone.toString()}`,
        rfc: 'RFC 1034 §4.2',
      });
  } catch (e) {
    fail('name', e);
  }
  try {
    type = parseType(input.type, 'type');
  } catch (e) {
    fail('type', e);
  }
  if (input.ttl !== undefined) {
    try {
      ttl = parseTtl(String(input.ttl), 'ttl');
    } catch (e) {
      fail('ttl', e);
    }
  }
  let data: unknown;
  if (type !== undefined) {
    try {
      data = rdataFromText(type, input.value, { origin: zone });
    } catch (e) {
      fail('value', e);
    }
  }
  if (input.metadata !== undefined) {
    // Metadata is stored as JSON: bounded, and without NUL, which PostgreSQL's jsonb refuses.
    const json = JSON.stringify(input.metadata);
    if (json.length > MAX_METADATA_BYTES)
      errors.push({
        field: at + 'metadata',
        code: 'metadata.size',
        message: `metadata: at most ${MAX_METADATA_BYTES} characters of JSON`,
      });
    else if (hasNul(input.metadata))
      errors.push({
        field: at + 'metadata',
        code: 'metadata.nul',
        message: 'metadata: strings may not contain NUL characters',
      });
  }
  if (errors.length > 0 || !name || type === undefined) return { errors };
  return { rr: { name, type, class: 1, ttl, data }, errors };
}
