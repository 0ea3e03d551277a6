import {
  MasterFileParser,
  Name,
  RRType,
  compareRecords,
  formatRecordLine,
  type Change,
  type ResourceRecord,
  type SOARdata,
} from '@herald/dns';
import { authorize, type Principal } from '../auth/principal.js';
import { Problem } from '../http/problem.js';
import type { ChangeSet, ZoneStore } from '../ports/zone-store.port.js';
import { presentRecord, toResourceRecord } from '../records/record-mapping.js';
import { ZonesService } from './zones.service.js';
import { readableZone } from './zone-access.js';
import { recordIdentity, type WriteResult, type ZoneWriter } from './zone-writer.js';
import { MAX_IMPORT_RECORDS, MAX_LISTED_MANAGED } from './import-limits.js';

export type ImportMode = 'replace' | 'merge';

export interface ImportResult {
  serial: number;
  changed: boolean;
  /** Records in the file. */
  records: number;
  added: number;
  removed: number;
  warnings: { code: string; message: string; name: string; type?: string }[];
}

const PAGE = 1000;

/** Change sets per /changes call unless the caller asks for fewer (at most MAX_CHANGES_PAGE). */
export const DEFAULT_CHANGES_PAGE = 100;
export const MAX_CHANGES_PAGE = 1000;

/** Zone files in and out (RFC 1035 master files), and the change log edges read. */
export class ZoneFilesService {
  constructor(
    private readonly store: ZoneStore,
    private readonly writer: ZoneWriter,
  ) {}

  /**
   * Imports a master file, all or nothing. Syntax errors come back with line
   * and column; the zone rules judge the end state. `replace` makes the zone
   * exactly the file; `merge` adds the file's records to what is there. The
   * file's SOA sets the SOA fields, but the serial stays the platform's (it
   * moves forward once, as for any change). Chunks are parsed as they arrive,
   * and the file may hold at most MAX_IMPORT_RECORDS records (413). A
   * `replace` that would delete platform-managed records (`metadata.managed_by`)
   * is refused unless `force` (then its audit entry says `forced`).
   */
  async import(
    p: Principal,
    zoneName: string,
    chunks: AsyncIterable<string>,
    options: { mode: ImportMode; force?: boolean; ifMatch?: number | undefined },
  ): Promise<ImportResult> {
    const { mode, ifMatch } = options;
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, 'write', name);
    if (!(await this.store.getZone(p.orgId, name))) throw Problem.notFound(`zone ${name}`);
    const origin = Name.parse(name);
    const parser = new MasterFileParser({ origin });
    const records: ResourceRecord[] = [];
    const take = (rrs: Iterable<ResourceRecord>) => {
      for (const rr of rrs) {
        if (records.length >= MAX_IMPORT_RECORDS)
          throw new Problem(
            413,
            'Content Too Large',
            `zone files are limited to ${MAX_IMPORT_RECORDS} records; this one holds more (stopped at line ${(rr as { line?: number }).line ?? '?'})`,
          );
        records.push(rr);
      }
    };
    for await (const chunk of chunks) {
      take(parser.write(chunk));
      if (parser.full) break;
    }
    take(parser.end());
    if (parser.errors.length)
      throw Problem.invalid(
        `the zone file has ${parser.errors.length}${parser.full ? '+' : ''} error(s); nothing was imported`,
        parser.errors.map((e) => ({
          line: e.line,
          column: e.column,
          code: e.code,
          message: e.message,
          ...(e.rfc ? { rfc: e.rfc } : {}),
        })),
      );
    const outOfZone = records.filter((rr) => !rr.name.isSubdomainOf(origin));
    if (outOfZone.length)
      throw Problem.invalid(
        'the zone file holds records outside the zone; nothing was imported',
        outOfZone.slice(0, 100).map((rr) => ({
          line: (rr as { line?: number }).line,
          code: 'out-of-zone',
          message: `${rr.name.toString()} is not inside ${name}`,
          rfc: 'RFC 1034 §4.2',
        })),
      );

    let write: WriteResult;
    try {
      write = await this.writer.write(p, name, ifMatch, async ({ model, managed }) => {
        const changes: Change[] = [];
        // Platform-managed records the file does not hold: a replace would delete them.
        let overridden = 0;
        if (mode === 'replace') {
          const kept = new Set(records.map((rr) => recordIdentity(rr)));
          const doomed = (await managed()).filter(
            (r) => r.type !== RRType.SOA && !kept.has(recordIdentity(toResourceRecord(r))),
          );
          if (doomed.length && !options.force)
            throw Problem.invalid(
              `the import would delete ${doomed.length} platform-managed record(s); set force=true to import anyway`,
              doomed.slice(0, MAX_LISTED_MANAGED).map((r) => {
                const shown = presentRecord(origin, r);
                return {
                  field: 'force',
                  code: 'managed-record',
                  message: `${shown.name} ${shown.type} ${shown.value} is managed by ${String(r.metadata['managed_by'])}`,
                };
              }),
            );
          overridden = doomed.length;
        }
        const fileSoa = records.find((rr) => rr.type === RRType.SOA && rr.name.equals(origin));
        if (mode === 'replace')
          for (const rr of model.records())
            if (rr.type !== RRType.SOA) changes.push({ op: 'delete', record: rr });
        for (const rr of records) if (rr.type !== RRType.SOA) changes.push({ op: 'create', record: rr });
        if (fileSoa) {
          // Keep the platform's serial; ZoneWriter moves it forward once.
          const data = { ...(fileSoa.data as SOARdata), serial: (model.soa.data as SOARdata).serial };
          changes.push({ op: 'replace', name: origin, type: RRType.SOA, ttl: fileSoa.ttl, rdatas: [data] });
        }
        return {
          changes,
          audit: (counts) => [
            {
              action: `zone.import.${mode}`,
              before: { records: counts.before },
              after: { records: counts.after, added: counts.added, removed: counts.removed },
              ...(overridden ? { forced: true } : {}),
            },
          ],
        };
      });
    } catch (e) {
      throw e instanceof Problem
        ? new Problem(
            e.status,
            e.title,
            e.detail.replace('the change', 'the imported zone'),
            e.errors,
            e.headers,
          )
        : e;
    }
    return {
      serial: write.serial,
      changed: write.changed,
      records: records.length,
      added: write.counts.added,
      removed: write.counts.removed,
      warnings: write.warnings.map((w) => ({
        code: w.rule,
        message: w.message,
        name: w.name,
        ...(w.type ? { type: w.type } : {}),
      })),
    };
  }

  /** The zone as a canonical master file (SOA first, then RFC 4034 canonical order), names relative to the zone. */
  async export(p: Principal, zoneName: string): Promise<{ serial: number; lines: string[] }> {
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, 'read', name);
    const zone = await readableZone(this.store, p, name);
    if (!zone) throw Problem.notFound(`zone ${name}`);
    const origin = Name.parse(name);
    const rrs: ResourceRecord[] = [];
    let after: string | undefined;
    do {
      const page = await this.store.listRecords(zone.id, { limit: PAGE, ...(after ? { after } : {}) });
      for (const r of page.records) rrs.push(toResourceRecord(r));
      after = page.next;
    } while (after);
    rrs.sort((a, b) => (a.type === RRType.SOA ? -1 : b.type === RRType.SOA ? 1 : compareRecords(a, b)));
    return {
      serial: zone.serial,
      lines: [`$ORIGIN ${name}`, ...rrs.map((rr) => formatRecordLine(rr, origin))],
    };
  }

  /** Change sets after serial `since`, for edges and IXFR-style sync; 410 when the log no longer reaches back. */
  /**
   * Change sets after serial `since`, for edges and IXFR-style sync, at most
   * `limit` per call (`more` says another call, from the last serial
   * returned, has the rest); 410 when the log no longer reaches back.
   */
  async changes(
    p: Principal,
    zoneName: string,
    since: number,
    limit = DEFAULT_CHANGES_PAGE,
  ): Promise<{ zone: string; serial: number; changes: ChangeSet[]; more: boolean }> {
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, 'read', name);
    const zone = await readableZone(this.store, p, name);
    if (!zone) throw Problem.notFound(`zone ${name}`);
    const changes = await this.store.changesSince(zone.id, since, limit + 1);
    if (changes === 'gone')
      throw new Problem(
        410,
        'Gone',
        `the change log of ${name} does not reach back to serial ${since}; fetch the full export`,
      );
    const more = changes.length > limit;
    return { zone: name, serial: zone.serial, changes: more ? changes.slice(0, limit) : changes, more };
  }
}
