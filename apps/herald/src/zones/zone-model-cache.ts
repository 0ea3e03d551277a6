import type { Zone } from '@herald/dns';

/**
 * Zone models kept between writes, so a one-record change to a large zone
 * does not reload and re-check the whole zone. An entry is valid only for the
 * exact (zone id, serial) it was stored with: every committed change moves the
 * serial, and the writer compares it under the zone's row lock, so a change
 * made by another process simply misses the cache. Entries are taken out
 * while a write uses them and put back only once the transaction has
 * committed, or when the write was refused before anything was written (its
 * plan threw, or the change broke a zone rule: the model is untouched), so a
 * failed write — a failed COMMIT included — never leaves a model the
 * database does not hold. Least recently used entries go first once the
 * records held pass `maxRecords`.
 */
export class ZoneModelCache {
  private readonly entries = new Map<string, { serial: number; zone: Zone }>();
  private held = 0;

  constructor(readonly maxRecords = 2_000_000) {}

  take(zoneId: string, serial: number): Zone | undefined {
    const e = this.entries.get(zoneId);
    if (!e) return undefined;
    this.entries.delete(zoneId);
    this.held -= e.zone.recordCount;
    return e.serial === serial ? e.zone : undefined;
  }

  put(zoneId: string, serial: number, zone: Zone): void {
    this.drop(zoneId);
    if (zone.recordCount > this.maxRecords) return;
    this.entries.set(zoneId, { serial, zone });
    this.held += zone.recordCount;
    for (const [id, e] of this.entries) {
      if (this.held <= this.maxRecords) break;
      this.entries.delete(id);
      this.held -= e.zone.recordCount;
    }
  }

  drop(zoneId: string): void {
    const e = this.entries.get(zoneId);
    if (!e) return;
    this.entries.delete(zoneId);
    this.held -= e.zone.recordCount;
  }
}
