import {
  DnsError,
  Name,
  RRType,
  parseTtl,
  parseType,
  rdataFromText,
  type Change,
  type ResourceRecord,
} from '@herald/dns';
import { authorize, type Principal } from '../auth/principal.js';
import { Problem, type FieldError } from '../http/problem.js';
import type { RecordPage, StoredRecord, ZoneStore } from '../ports/zone-store.port.js';
import { ZonesService } from '../zones/zones.service.js';
import {
  recordIdentity,
  type PlanAudit,
  type PlanContext,
  type PlannedMetadata,
  type ZonePlan,
  type ZoneWriter,
} from '../zones/zone-writer.js';
import {
  parseRecordInput,
  presentRecord,
  toResourceRecord,
  type ApiRecord,
  type RecordInput,
} from './record-mapping.js';

export type BatchOperation =
  | { op: 'create'; record: RecordInput }
  | { op: 'update'; id: string; record: RecordInput; force?: boolean }
  | { op: 'delete'; id: string; force?: boolean }
  | { op: 'replace'; name: string; type: string; ttl?: number; values: string[]; force?: boolean };

export interface WriteOutcome<T> {
  result: T;
  serial: number;
  changed: boolean;
}

const MAX_PAGE = 1000;

function ownerAndType(origin: Name, name: string, type: string): { owner: string; type: number } | undefined {
  try {
    return { owner: Name.parse(name, { origin }).toString(), type: parseType(type) };
  } catch {
    return undefined;
  }
}

function queryError(field: string, e: unknown): FieldError {
  if (!(e instanceof DnsError)) throw e;
  return { field, code: e.code, message: e.message, ...(e.rfc ? { rfc: e.rfc } : {}) };
}

/** A single-record call is a one-operation batch; its errors name the body's own fields, not `operations[0].record.…`. */
async function single<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    // An unknown record id is 404 here, as for GET; a batch keeps 422 naming the operation.
    const only = e.errors.length === 1 ? e.errors[0] : undefined;
    if (e.status === 422 && only?.code === 'not-found') throw new Problem(404, 'Not Found', only.message);
    const errors = e.errors.map((f) =>
      f.field ? { ...f, field: f.field.replace(/^operations\[0\]\.(record\.)?/, '') } : f,
    );
    throw new Problem(
      e.status,
      e.title,
      e.detail.replace('invalid operations', 'invalid record'),
      errors,
      e.headers,
    );
  }
}

/** Records of a zone: reads, and every write through ZoneWriter (one transaction, rules on the end state). */
export class RecordsService {
  constructor(
    private readonly store: ZoneStore,
    private readonly writer: ZoneWriter,
    private readonly defaultTtl: number,
  ) {}

  async list(
    p: Principal,
    zoneName: string,
    q: { name?: string; type?: string; cursor?: string; limit?: number },
  ): Promise<{ records: ApiRecord[]; next?: string; serial: number }> {
    const { zone, origin } = await this.zone(p, zoneName, 'read');
    const errors: FieldError[] = [];
    let owner: string | undefined;
    let type: number | undefined;
    if (q.name !== undefined) {
      try {
        owner = Name.parse(q.name, { origin, field: 'name' }).toString();
      } catch (e) {
        errors.push(queryError('name', e));
      }
    }
    if (q.type !== undefined) {
      try {
        type = parseType(q.type, 'type');
      } catch (e) {
        errors.push(queryError('type', e));
      }
    }
    const limit = q.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      errors.push({
        field: 'limit',
        code: 'limit',
        message: `limit: must be an integer from 1 to ${MAX_PAGE}`,
      });
    if (errors.length) throw Problem.badRequest('invalid query parameters', errors);
    let page: RecordPage;
    try {
      page = await this.store.listRecords(zone.id, {
        ...(owner ? { owner } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(q.cursor ? { after: q.cursor } : {}),
        limit,
      });
    } catch (e) {
      // The store rejects a cursor it did not issue.
      if (e instanceof RangeError)
        throw Problem.badRequest('invalid query parameters', [
          { field: 'cursor', code: 'query.cursor', message: 'cursor: not a cursor from a previous page' },
        ]);
      throw e;
    }
    return {
      records: page.records.map((r) => presentRecord(origin, r)),
      ...(page.next ? { next: page.next } : {}),
      serial: zone.serial,
    };
  }

  async get(p: Principal, zoneName: string, id: string): Promise<ApiRecord> {
    const { zone, origin } = await this.zone(p, zoneName, 'read');
    const record = await this.store.getRecord(zone.id, id);
    if (!record) throw Problem.notFound(`record ${id}`);
    return presentRecord(origin, record);
  }

  async create(
    p: Principal,
    zoneName: string,
    input: RecordInput,
    ifMatch?: number,
  ): Promise<WriteOutcome<ApiRecord>> {
    const out = await single(this.batch(p, zoneName, [{ op: 'create', record: input }], ifMatch));
    return { ...out, result: out.result[0]! };
  }

  async update(
    p: Principal,
    zoneName: string,
    id: string,
    input: RecordInput,
    options: { ifMatch?: number; force?: boolean },
  ): Promise<WriteOutcome<ApiRecord>> {
    const out = await single(
      this.batch(p, zoneName, [{ op: 'update', id, record: input, force: !!options.force }], options.ifMatch),
    );
    return { ...out, result: out.result[0]! };
  }

  async delete(
    p: Principal,
    zoneName: string,
    id: string,
    options: { ifMatch?: number; force?: boolean },
  ): Promise<WriteOutcome<void>> {
    const out = await single(
      this.batch(p, zoneName, [{ op: 'delete', id, force: !!options.force }], options.ifMatch),
    );
    return { ...out, result: undefined };
  }

  /**
   * Applies operations in order, atomically: every input is validated first
   * (all errors reported, each naming `operations[i].field`), then the zone
   * rules judge the end state, so the order of a swap does not matter.
   * Returns the records the operations created or updated, in operation order.
   */
  async batch(
    p: Principal,
    zoneName: string,
    ops: BatchOperation[],
    ifMatch?: number,
  ): Promise<WriteOutcome<ApiRecord[]>> {
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, 'write', name);
    const origin = Name.parse(name);
    const write = await this.writer.write(p, name, ifMatch, (ctx) => this.plan(ctx, ops));
    // Every record the batch created or updated, as stored (one that already existed included).
    const result = write.records.flatMap((r) => (r ? [presentRecord(origin, r)] : []));
    return { result, serial: write.serial, changed: write.changed };
  }

  private async plan(ctx: PlanContext, ops: BatchOperation[]): Promise<ZonePlan> {
    const errors: FieldError[] = [];
    const changes: Change[] = [];
    const metadata = new Map<string, Record<string, unknown>>();
    const keepIds = new Map<string, string>();
    const metadataUpdates: PlannedMetadata[] = [];
    const audit: PlanAudit[] = [];
    const results: (ResourceRecord | undefined)[] = [];
    // Only the rows the operations name are read: by id, and the RRsets a replace touches.
    const ids = ops.flatMap((op) => (op.op === 'update' || op.op === 'delete' ? [op.id] : []));
    const byId = new Map((ids.length ? await ctx.lookup({ ids }) : []).map((r) => [r.id, r]));
    const replaced = new Map<string, StoredRecord[]>();
    for (const op of ops) {
      if (op.op !== 'replace') continue;
      // Bad names or types are reported by the operation's own parse below.
      const target = ownerAndType(ctx.origin, op.name, op.type);
      if (target) replaced.set(`${target.owner.toLowerCase()} ${target.type}`, await ctx.lookup(target));
    }
    const present = (r: StoredRecord) => presentRecord(ctx.origin, r);

    const existing = (i: number, id: string, force: boolean | undefined): StoredRecord | undefined => {
      const stored = byId.get(id);
      if (!stored) {
        errors.push({
          field: `operations[${i}].id`,
          code: 'not-found',
          message: `record ${id} does not exist in ${ctx.zone.name}`,
        });
        return undefined;
      }
      if (stored.type === RRType.SOA) {
        errors.push({
          field: `operations[${i}].id`,
          code: 'soa-managed',
          message: 'the SOA record is managed by the platform (its serial moves with every change)',
        });
        return undefined;
      }
      if (stored.metadata['managed_by'] !== undefined && !force) {
        errors.push({
          field: `operations[${i}].force`,
          code: 'managed-record',
          message: `record ${id} is managed by ${String(stored.metadata['managed_by'])}; set force: true to change it anyway`,
        });
        return undefined;
      }
      return stored;
    };
    const parse = (i: number, input: RecordInput): ResourceRecord | undefined => {
      const parsed = parseRecordInput(ctx.origin, input, this.defaultTtl, `operations[${i}].record.`);
      errors.push(...parsed.errors);
      if (parsed.rr?.type === RRType.SOA) {
        errors.push({
          field: `operations[${i}].record.type`,
          code: 'soa-managed',
          message: 'type: the SOA record is managed by the platform',
        });
        return undefined;
      }
      return parsed.rr;
    };
    /** A replace names its RRset by `name` and `type` and gives `values` (none: delete it). */
    const parseRRset = (
      i: number,
      op: Extract<BatchOperation, { op: 'replace' }>,
    ): Omit<Extract<Change, { op: 'replace' }>, 'op'> | undefined => {
      const at = `operations[${i}].`;
      const before = errors.length;
      const fail = (field: string, e: unknown) => errors.push(queryError(at + field, e));
      let name: Name | undefined;
      let type: number | undefined;
      let ttl = this.defaultTtl;
      try {
        name = Name.parse(op.name, { origin: ctx.origin, field: 'name' });
        if (!name.isSubdomainOf(ctx.origin))
          errors.push({
            field: `${at}name`,
            code: 'out-of-zone',
            message: `name: ${name.toString()} is not inside the zone ${ctx.zone.name}`,
            rfc: 'RFC 1034 §4.2',
          });
      } catch (e) {
        fail('name', e);
      }
      try {
        type = parseType(op.type, 'type');
        if (type === RRType.SOA)
          errors.push({
            field: `${at}type`,
            code: 'soa-managed',
            message: 'type: the SOA record is managed by the platform',
          });
      } catch (e) {
        fail('type', e);
      }
      if (op.ttl !== undefined) {
        try {
          ttl = parseTtl(String(op.ttl), 'ttl');
        } catch (e) {
          fail('ttl', e);
        }
      }
      const rdatas: unknown[] = [];
      if (type !== undefined)
        op.values.forEach((value, j) => {
          try {
            rdatas.push(rdataFromText(type, value, { origin: ctx.origin }));
          } catch (e) {
            fail(`values[${j}]`, e);
          }
        });
      if (errors.length > before || !name || type === undefined) return undefined;
      return { name, type, ttl, rdatas };
    };

    ops.forEach((op, i) => {
      switch (op.op) {
        case 'create': {
          const rr = parse(i, op.record);
          results.push(rr);
          if (!rr) return;
          changes.push({ op: 'create', record: rr });
          metadata.set(recordIdentity(rr), op.record.metadata ?? {});
          audit.push({
            action: 'record.create',
            after: { name: op.record.name, type: op.record.type, value: op.record.value },
          });
          return;
        }
        case 'update': {
          const stored = existing(i, op.id, op.force);
          const rr = parse(i, op.record);
          results.push(rr);
          if (!stored || !rr) return;
          const from = toResourceRecord(stored);
          const newMetadata = op.record.metadata ?? stored.metadata;
          changes.push({ op: 'update', from, to: rr });
          metadata.set(recordIdentity(rr), newMetadata);
          keepIds.set(recordIdentity(rr), stored.id);
          const entry: PlanAudit = {
            action: 'record.update',
            before: present(stored),
            after: {
              name: op.record.name,
              type: op.record.type,
              value: op.record.value,
              ttl: rr.ttl,
              ...(op.record.metadata !== undefined ? { metadata: op.record.metadata } : {}),
            },
            ...(op.force && stored.metadata['managed_by'] !== undefined ? { forced: true } : {}),
          };
          // Same DNS data, new metadata: stored (and audited) without a DNS change.
          if (
            recordIdentity(from) === recordIdentity(rr) &&
            from.ttl === rr.ttl &&
            !sameJson(stored.metadata, newMetadata)
          )
            metadataUpdates.push({ id: stored.id, metadata: newMetadata, audit: entry });
          else audit.push(entry);
          return;
        }
        case 'delete': {
          results.push(undefined);
          const stored = existing(i, op.id, op.force);
          if (!stored) return;
          changes.push({ op: 'delete', record: toResourceRecord(stored) });
          audit.push({
            action: 'record.delete',
            before: present(stored),
            ...(op.force && stored.metadata['managed_by'] !== undefined ? { forced: true } : {}),
          });
          return;
        }
        case 'replace': {
          results.push(undefined);
          const target = parseRRset(i, op);
          if (!target) return;
          const stored = replaced.get(`${target.name.toString().toLowerCase()} ${target.type}`) ?? [];
          const managed = stored.filter((r) => r.metadata['managed_by'] !== undefined);
          if (managed.length && !op.force) {
            errors.push({
              field: `operations[${i}].force`,
              code: 'managed-record',
              message: `the ${op.type} RRset at ${op.name} holds platform-managed records; set force: true to ${op.values.length ? 'replace' : 'delete'} it`,
            });
            return;
          }
          // Empty values delete the RRset.
          changes.push({ op: 'replace', ...target });
          audit.push({
            action: 'rrset.replace',
            before: { name: op.name, type: op.type, records: stored.map(present) },
            after: { name: op.name, type: op.type, values: op.values },
            ...(managed.length ? { forced: true } : {}),
          });
          return;
        }
      }
    });
    if (errors.length) throw Problem.invalid('invalid operations; nothing was changed', errors);
    return { changes, metadata, keepIds, metadataUpdates, audit, returns: results };
  }

  private async zone(p: Principal, zoneName: string, need: 'read' | 'write') {
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, need, name);
    const zone = await this.store.getZone(p.orgId, name);
    if (!zone) throw Problem.notFound(`zone ${name}`);
    return { zone, origin: Name.parse(name) };
  }
}

/** Equal as JSON values, whatever the order of object keys. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
  );
}
