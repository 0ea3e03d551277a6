import { DnsError, Name, RRType, parseType, type Change, type ResourceRecord } from '@herald/dns';
import { authorize, type Principal } from '../auth/principal.js';
import { Problem, type FieldError } from '../http/problem.js';
import type { RecordPage, StoredRecord, ZoneStore } from '../ports/zone-store.port.js';
import { ZonesService } from '../zones/zones.service.js';
import { recordIdentity, type PlanContext, type ZonePlan, type ZoneWriter } from '../zones/zone-writer.js';
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
    const wanted: (ResourceRecord | undefined)[] = [];
    const write = await this.writer.write(p, name, ifMatch, async (ctx) => {
      const plan = await this.plan(ctx, ops);
      wanted.push(...plan.results);
      return plan;
    });
    const byIdentity = new Map<string, StoredRecord>();
    for (const r of write.added) byIdentity.set(recordIdentity(toResourceRecord(r)), r);
    // A record the batch asked for that already existed (a no-op) is read back from the store.
    const results: ApiRecord[] = [];
    for (const rr of wanted) {
      if (!rr) continue;
      const stored = byIdentity.get(recordIdentity(rr)) ?? (await this.findStored(write.zone.id, rr));
      if (stored) results.push(presentRecord(origin, stored));
    }
    return { result: results, serial: write.serial, changed: write.changed };
  }

  private async findStored(zoneId: string, rr: ResourceRecord): Promise<StoredRecord | undefined> {
    const page = await this.store.listRecords(zoneId, {
      owner: rr.name.toString(),
      type: rr.type,
      limit: MAX_PAGE,
    });
    const want = recordIdentity(rr);
    return page.records.find((r) => recordIdentity(toResourceRecord(r)) === want);
  }

  private async plan(
    ctx: PlanContext,
    ops: BatchOperation[],
  ): Promise<ZonePlan & { results: (ResourceRecord | undefined)[] }> {
    const errors: FieldError[] = [];
    const changes: Change[] = [];
    const metadata = new Map<string, Record<string, unknown>>();
    const keepIds = new Map<string, string>();
    const audit: ZonePlan['audit'] = [];
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
          changes.push({ op: 'update', from: toResourceRecord(stored), to: rr });
          metadata.set(recordIdentity(rr), op.record.metadata ?? stored.metadata);
          keepIds.set(recordIdentity(rr), stored.id);
          audit.push({
            action: 'record.update',
            before: present(stored),
            after: { name: op.record.name, type: op.record.type, value: op.record.value, ttl: rr.ttl },
            ...(op.force && stored.metadata['managed_by'] !== undefined ? { forced: true } : {}),
          });
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
          const rrs = op.values.map((value) =>
            parse(i, {
              name: op.name,
              type: op.type,
              value,
              ...(op.ttl !== undefined ? { ttl: op.ttl } : {}),
            }),
          );
          const head = parse(i, {
            name: op.name,
            type: op.type,
            value: op.values[0] ?? '\\# 0',
            ...(op.ttl !== undefined ? { ttl: op.ttl } : {}),
          });
          if (!head || rrs.some((r) => !r)) return;
          const managed = (replaced.get(`${head.name.toString().toLowerCase()} ${head.type}`) ?? []).filter(
            (r) => r.metadata['managed_by'] !== undefined,
          );
          if (managed.length && !op.force) {
            errors.push({
              field: `operations[${i}].force`,
              code: 'managed-record',
              message: `the ${op.type} RRset at ${op.name} holds platform-managed records; set force: true to replace it`,
            });
            return;
          }
          changes.push({
            op: 'replace',
            name: head.name,
            type: head.type,
            ttl: head.ttl,
            rdatas: rrs.map((r) => r!.data),
          });
          audit.push({
            action: 'rrset.replace',
            after: { name: op.name, type: op.type, values: op.values },
            ...(managed.length ? { forced: true } : {}),
          });
          return;
        }
      }
    });
    if (errors.length) throw Problem.invalid('invalid operations; nothing was changed', errors);
    return { changes, metadata, keepIds, audit, results };
  }

  private async zone(p: Principal, zoneName: string, need: 'read' | 'write') {
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, need, name);
    const zone = await this.store.getZone(p.orgId, name);
    if (!zone) throw Problem.notFound(`zone ${name}`);
    return { zone, origin: Name.parse(name) };
  }
}
