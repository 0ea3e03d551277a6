// PUT /v1/zones/{zone}/dnssec bodies: checked field by field, conflicts named.
import { signingAlgorithm } from '@herald/dns';
import { DnsError } from '@herald/dns';
import { Problem, type FieldError } from '../http/problem.js';
import { DEFAULT_SETTINGS, type DnssecSettings } from './dnssec-document.js';

export interface DnssecRequest {
  enabled: boolean;
  settings?: DnssecSettings;
}

const FIELDS = new Set([
  'enabled',
  'algorithm',
  'denial',
  'nsec3',
  'keys',
  'zskLifetimeDays',
  'kskLifetimeDays',
  'dnskeyTtl',
  'validityDays',
  'refreshDays',
  'dsCheck',
  'parentDsTtl',
]);

function int(v: unknown, field: string, min: number, max: number, errors: FieldError[]): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    errors.push({
      field,
      code: 'dnssec.range',
      message: `${field}: must be an integer from ${min} to ${max}`,
    });
    return undefined;
  }
  return v;
}

/** Reads a body against the settings the zone has (current) or the defaults. */
export function readDnssecRequest(body: unknown, current: DnssecSettings | undefined): DnssecRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw Problem.badRequest('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const k of Object.keys(b))
    if (!FIELDS.has(k)) errors.push({ field: k, code: 'body.unknown-field', message: `${k}: unknown field` });
  if (typeof b.enabled !== 'boolean')
    errors.push({ field: 'enabled', code: 'body.required', message: 'enabled: required, true or false' });
  if (b.enabled === false) {
    const extra = Object.keys(b).filter((k) => k !== 'enabled' && FIELDS.has(k));
    for (const k of extra)
      errors.push({
        field: k,
        code: 'dnssec.conflict',
        message: `${k}: settings cannot be given with enabled: false`,
      });
  }
  const s: DnssecSettings = { ...DEFAULT_SETTINGS, ...current };
  if (b.algorithm !== undefined) {
    try {
      s.algorithm = signingAlgorithm(b.algorithm);
    } catch (e) {
      if (!(e instanceof DnsError)) throw e;
      errors.push({ field: 'algorithm', code: e.code, message: e.message, rfc: e.rfc });
    }
  }
  if (b.denial !== undefined) {
    if (b.denial !== 'nsec3' && b.denial !== 'nsec')
      errors.push({ field: 'denial', code: 'dnssec.denial', message: "denial: 'nsec3' or 'nsec'" });
    else s.denial = b.denial;
  }
  if (b.nsec3 !== undefined) {
    if (s.denial !== 'nsec3')
      errors.push({
        field: 'nsec3',
        code: 'dnssec.conflict',
        message: "nsec3: parameters given with denial 'nsec'",
      });
    else if (typeof b.nsec3 !== 'object' || b.nsec3 === null)
      errors.push({
        field: 'nsec3',
        code: 'body.kind',
        message: 'nsec3: must be an object {iterations, salt}',
      });
    else {
      const p = b.nsec3 as Record<string, unknown>;
      if (p.iterations !== undefined && p.iterations !== 0)
        errors.push({
          field: 'nsec3.iterations',
          code: 'dnssec.nsec3-iterations',
          message: 'nsec3.iterations: must be 0; extra iterations cost resolvers and buy nothing',
          rfc: 'RFC 9276 §3.1',
        });
      if (p.salt !== undefined && p.salt !== '' && p.salt !== '-')
        errors.push({
          field: 'nsec3.salt',
          code: 'dnssec.nsec3-salt',
          message: "nsec3.salt: must be empty ('' or '-'); a salt adds nothing",
          rfc: 'RFC 9276 §3.1',
        });
    }
  }
  if (b.keys !== undefined) {
    if (b.keys !== 'ksk-zsk' && b.keys !== 'csk')
      errors.push({ field: 'keys', code: 'dnssec.keys', message: "keys: 'ksk-zsk' or 'csk'" });
    else s.scheme = b.keys;
  }
  s.zskLifetimeDays = int(b.zskLifetimeDays, 'zskLifetimeDays', 0, 3650, errors) ?? s.zskLifetimeDays;
  s.kskLifetimeDays = int(b.kskLifetimeDays, 'kskLifetimeDays', 0, 3650, errors) ?? s.kskLifetimeDays;
  s.dnskeyTtl = int(b.dnskeyTtl, 'dnskeyTtl', 60, 86400, errors) ?? s.dnskeyTtl;
  s.validityDays = int(b.validityDays, 'validityDays', 2, 90, errors) ?? s.validityDays;
  s.refreshDays = int(b.refreshDays, 'refreshDays', 1, 89, errors) ?? s.refreshDays;
  s.parentDsTtl = int(b.parentDsTtl, 'parentDsTtl', 0, 7 * 86400, errors) ?? s.parentDsTtl;
  if (s.refreshDays >= s.validityDays)
    errors.push({
      field: 'refreshDays',
      code: 'dnssec.conflict',
      message: `refreshDays: ${s.refreshDays} must be less than validityDays ${s.validityDays}`,
    });
  if (s.scheme === 'csk' && b.zskLifetimeDays !== undefined)
    errors.push({
      field: 'zskLifetimeDays',
      code: 'dnssec.conflict',
      message: "zskLifetimeDays: a 'csk' zone has no ZSK",
    });
  if (b.dsCheck !== undefined) {
    if (b.dsCheck !== 'resolver' && b.dsCheck !== 'manual')
      errors.push({ field: 'dsCheck', code: 'dnssec.ds-check', message: "dsCheck: 'resolver' or 'manual'" });
    else s.dsCheck = b.dsCheck;
  }
  if (errors.length) throw Problem.invalid('the DNSSEC request is not valid; nothing was changed', errors);
  return b.enabled ? { enabled: true, settings: s } : { enabled: false };
}
