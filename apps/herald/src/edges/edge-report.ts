// The body of `POST /v1/edges/report`, checked field by field.
import { checkShape, type Shape } from '../http/body.js';
import { Problem, type FieldError } from '../http/problem.js';
import { canonicalZoneName } from '../zones/zone-name.js';

/** How often edges are told to report (the reply says so). */
export const REPORT_INTERVAL_SECONDS = 10;
/** An edge whose last report is older than this (three missed reports) is `stale`. */
export const STALE_AFTER_SECONDS = 30;
/** Zones one report may list. */
export const MAX_REPORT_ZONES = 100_000;
/**
 * Bytes one report may take: 100,000 entries of long zone names. Read only
 * once the request is authenticated (the API-wide JSON limit is 1 MB).
 */
export const MAX_REPORT_BYTES = 32 * 1024 * 1024;
/** Field errors one reply lists; the detail gives the full count. */
export const MAX_LISTED_ERRORS = 100;

export const EDGE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const MAX_VERSION_LENGTH = 64;
const MAX_SERIAL = 0xffffffff;
/** ISO 8601 date and time with an offset, as `Date.toISOString()` writes it (fraction optional). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

const REPORT_SHAPE: Shape = {
  id: { kind: 'string', required: true },
  version: { kind: 'string', required: true },
  startedAt: { kind: 'string', required: true },
  uptimeSeconds: { kind: 'number', required: true },
  // Absent is read as null (no sync yet).
  lastSyncAt: { kind: 'string', nullable: true },
  zones: { kind: 'array', required: true },
};
const ZONE_SHAPE: Shape = {
  zone: { kind: 'string', required: true },
  serial: { kind: 'integer', required: true },
};

/** A report that passed every check: zone names canonical and unique, times parsed. */
export interface ValidReport {
  id: string;
  version: string;
  startedAt: Date;
  uptimeSeconds: number;
  lastSyncAt: Date | null;
  zones: Map<string, number>;
}

/** Collects field errors, listing at most MAX_LISTED_ERRORS of them. */
class Errors {
  readonly listed: FieldError[] = [];
  count = 0;
  add(...errors: FieldError[]): void {
    for (const e of errors) {
      this.count++;
      if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push(e);
    }
  }
  detail(what: string): string {
    return this.count > this.listed.length
      ? `${what}: ${this.count} errors, the first ${this.listed.length} listed; nothing was stored`
      : `${what}; nothing was stored`;
  }
}

function time(text: string, field: string, errors: Errors): Date | null {
  const at = ISO_TIME.test(text) ? new Date(text) : undefined;
  if (at && !Number.isNaN(at.getTime())) return at;
  errors.add({
    field,
    code: 'edge.time',
    message: `${field}: must be an ISO 8601 time with an offset, like 2026-11-23T10:00:00.000Z`,
  });
  return null;
}

/**
 * Checks a report: its shape first (unknown, missing or mistyped fields are
 * 400, as everywhere), then its values (422, each field named).
 */
export function parseEdgeReport(body: unknown): ValidReport {
  const shape = new Errors();
  shape.add(...checkShape(body, REPORT_SHAPE));
  const input = body as {
    id: string;
    version: string;
    startedAt: string;
    uptimeSeconds: number;
    lastSyncAt?: string | null;
    zones: unknown[];
  };
  const entries: unknown = (body as { zones?: unknown } | null)?.zones;
  if (Array.isArray(entries) && entries.length <= MAX_REPORT_ZONES)
    entries.forEach((entry, i) => shape.add(...checkShape(entry, ZONE_SHAPE, `zones[${i}].`)));
  if (shape.count) throw Problem.badRequest(shape.detail('the report is not valid'), shape.listed);

  const errors = new Errors();
  if (!EDGE_ID.test(input.id))
    errors.add({
      field: 'id',
      code: 'edge.id',
      message: 'id: 1 to 63 letters, digits, dots, underscores or hyphens, starting with a letter or digit',
    });
  if (input.version.length === 0 || input.version.length > MAX_VERSION_LENGTH)
    errors.add({
      field: 'version',
      code: 'edge.version',
      message: `version: 1 to ${MAX_VERSION_LENGTH} characters`,
    });
  const startedAt = time(input.startedAt, 'startedAt', errors);
  const lastSyncAt =
    input.lastSyncAt === undefined || input.lastSyncAt === null
      ? null
      : time(input.lastSyncAt, 'lastSyncAt', errors);
  if (input.uptimeSeconds < 0)
    errors.add({ field: 'uptimeSeconds', code: 'edge.uptime', message: 'uptimeSeconds: must be 0 or more' });

  const zones = new Map<string, number>();
  if (input.zones.length > MAX_REPORT_ZONES)
    errors.add({
      field: 'zones',
      code: 'edge.zones',
      message: `zones: at most ${MAX_REPORT_ZONES} entries (got ${input.zones.length})`,
    });
  else
    (input.zones as { zone: string; serial: number }[]).forEach(({ zone, serial }, i) => {
      const field = `zones[${i}]`;
      if (serial < 0 || serial > MAX_SERIAL)
        errors.add({
          field: `${field}.serial`,
          code: 'edge.serial',
          message: `${field}.serial: must be an integer from 0 to ${MAX_SERIAL}`,
        });
      let name: string;
      try {
        name = canonicalZoneName(zone, `${field}.zone`);
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        errors.add(...e.errors);
        return;
      }
      if (name !== zone)
        errors.add({
          field: `${field}.zone`,
          code: 'edge.zone-form',
          message: `${field}.zone: '${zone}' must be sent absolute and lowercase, as '${name}'`,
        });
      else if (zones.has(name))
        errors.add({
          field: `${field}.zone`,
          code: 'edge.zone-duplicate',
          message: `${field}.zone: ${name} is listed twice`,
        });
      else zones.set(name, serial);
    });
  if (errors.count) throw Problem.invalid(errors.detail('the report is not valid'), errors.listed);
  return {
    id: input.id,
    version: input.version,
    startedAt: startedAt!,
    uptimeSeconds: input.uptimeSeconds,
    lastSyncAt,
    zones,
  };
}
