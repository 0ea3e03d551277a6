// The zones this process serves: the catalog the query path reads, kept
// together with the local copy on disk. Every change goes through here:
// build or apply, swap into the catalog, persist.
import { Name } from '@herald/dns';
import { applyChanges } from '../engine/apply.js';
import { buildZone, ZoneDataError, type WireRecord } from '../engine/build.js';
import { Catalog } from '../engine/catalog.js';
import { compareSerial } from './serial.js';
import type { ZoneImage } from '../engine/zone-image.js';
import { LocalStore, type JournalEntry } from './local-store.js';
import { compileZoneText, recordLines } from './zone-text.js';
import { canCompileInWorker, compileInWorker } from './compile-worker.js';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Zone files above this size are compiled in a worker thread. */
const WORKER_THRESHOLD = 1 << 20;
/** Journal size after which the image is rewritten (and the journal emptied). */
const JOURNAL_LIMIT = 4 * 1024 * 1024;

export interface ZoneStatus {
  zone: string;
  serial: number;
  records: number;
  /** Commit-to-apply delay of the last change set (ms), when known. */
  lagMs?: number;
  appliedAt: Date;
}

export class ServedZones {
  readonly catalog = new Catalog();
  readonly status = new Map<string, ZoneStatus>();
  /**
   * Called after a zone changed and was persisted: with the change sets when
   * they were applied incrementally (workers apply the same), without when
   * the zone was replaced (workers load it from the local copy).
   */
  onChange: (zone: string, entries?: readonly JournalEntry[]) => void = () => {};
  private readonly writes = new Map<string, Promise<void>>();

  /** `readOnly`: a worker process, which reads the local copy the primary writes. */
  constructor(
    readonly store: LocalStore | undefined,
    private readonly readOnly = false,
  ) {}

  /** Loads every zone of the local copy (image, then its journal). Bad files are reported and skipped. */
  async loadLocal(warn: (text: string) => void): Promise<number> {
    if (!this.store) return 0;
    let n = 0;
    for (const zone of await this.store.zones()) {
      try {
        const loaded = await this.store.load(zone);
        if (!loaded) continue;
        let img = loaded.img;
        for (const entry of loaded.journal) {
          if (entry.previousSerial !== img.serial) continue;
          img = this.applyEntry(zone, img, entry);
        }
        this.swap(zone, img);
        n++;
      } catch (e) {
        warn(`edge: local copy of ${zone} is unreadable (${(e as Error).message}); it will be fetched again`);
      }
    }
    return n;
  }

  /** Serves an image loaded from the local copy (already persisted). */
  adopt(zone: string, img: ZoneImage): void {
    this.swap(zone, img);
    this.onChange(zone);
  }

  get(zone: string): ZoneImage | undefined {
    return this.catalog.get(zone);
  }

  private swap(zone: string, img: ZoneImage, lagMs?: number): void {
    if (this.catalog.get(zone) !== img) this.catalog.set(zone, img);
    this.status.set(zone, {
      zone,
      serial: img.serial,
      records: img.records,
      appliedAt: new Date(),
      ...(lagMs !== undefined ? { lagMs } : {}),
    });
  }

  /** Replaces a zone with a fully built one (an export, a zone file) and persists it. */
  async install(zone: string, records: Iterable<WireRecord>, serial: number): Promise<ZoneImage> {
    return this.installImage(zone, buildZone(originOf(zone), records, serial));
  }

  async installImage(zone: string, img: ZoneImage): Promise<ZoneImage> {
    this.swap(zone, img);
    await this.persist(zone, img, true);
    this.onChange(zone);
    return img;
  }

  /**
   * Serves a master file. A large one is compiled in a worker thread (the
   * query thread keeps answering, and the parser's memory goes away with the
   * worker), straight into the local copy, which is then loaded.
   */
  async installFile(zone: string, file: string): Promise<ZoneImage> {
    const size = (await stat(file)).size;
    if (this.store && size > WORKER_THRESHOLD && canCompileInWorker()) {
      await (this.writes.get(zone) ?? Promise.resolve());
      try {
        await compileInWorker(zone, file, this.store.dataDir);
      } catch (e) {
        const err = e as Error;
        throw err.name === 'ZoneDataError' ? new ZoneDataError(err.message) : err;
      }
      const loaded = await this.store.load(zone);
      if (!loaded) throw new Error(`the compiled image of ${zone} is missing`);
      this.adopt(zone, loaded.img);
      return loaded.img;
    }
    return this.installImage(
      zone,
      await compileZoneText(zone, createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })),
    );
  }

  private applyEntry(zone: string, img: ZoneImage, entry: JournalEntry): ZoneImage {
    const removed = recordLines(zone, entry.removed);
    const added = recordLines(zone, entry.added);
    return applyChanges(img, removed, added, entry.serial);
  }

  /**
   * Applies change sets in order. Each must follow the serial served
   * (previousSerial) and move it forward (RFC 1982); otherwise throws
   * ZoneDataError and the caller fetches the full export.
   */
  async apply(zone: string, entries: readonly JournalEntry[]): Promise<void> {
    let img = this.catalog.get(zone);
    if (!img) throw new ZoneDataError(`${zone} is not served`);
    for (const entry of entries) {
      if (entry.previousSerial !== img.serial || compareSerial(entry.serial, img.serial) <= 0)
        throw new ZoneDataError(
          `${zone}: change set ${entry.previousSerial} -> ${entry.serial} does not follow serial ${img.serial}`,
        );
      const before: ZoneImage = img;
      img = this.applyEntry(zone, img, entry);
      const lag = entry.at ? Date.now() - Date.parse(entry.at) : undefined;
      this.swap(zone, img, lag !== undefined && Number.isFinite(lag) ? Math.max(0, lag) : undefined);
      if (this.readOnly) continue;
      if (img !== before) await this.persist(zone, img, true);
      else if (this.store) this.store.appendJournal(zone, { ...entry });
    }
    if (this.readOnly) return;
    if (this.store && (await this.store.journalSize(zone)) > JOURNAL_LIMIT)
      await this.persist(zone, img, true);
    this.onChange(zone, entries);
  }

  /** A worker: applies the primary's change sets in memory, or reloads from disk when they do not follow. */
  async follow(zone: string, entries: readonly JournalEntry[]): Promise<void> {
    const img = this.catalog.get(zone);
    if (img && entries.length > 0 && entries[0]!.previousSerial === img.serial) {
      try {
        await this.apply(zone, entries);
        return;
      } catch {
        // fall through to the local copy
      }
    }
    await this.reload(zone);
  }

  /** Writes the image; writes of one zone are serialized. */
  private async persist(zone: string, img: ZoneImage, wait: boolean): Promise<void> {
    if (!this.store || this.readOnly) return;
    const store = this.store;
    const prev = this.writes.get(zone) ?? Promise.resolve();
    const next = prev.then(() => store.writeImage(zone, img));
    this.writes.set(
      zone,
      next.catch(() => {}),
    );
    if (wait) await next;
  }

  async drop(zone: string): Promise<void> {
    this.catalog.delete(zone);
    this.status.delete(zone);
    await (this.writes.get(zone) ?? Promise.resolve());
    await this.store?.remove(zone);
    this.onChange(zone);
  }

  /** Reloads one zone from the local copy (worker processes): the journal when it follows, else the image. */
  async reload(zone: string): Promise<void> {
    if (!this.store) return;
    const current = this.catalog.get(zone);
    if (current) {
      const journal = await this.store.journal(zone);
      const at = journal.findIndex((e) => e.previousSerial === current.serial);
      if (at >= 0) {
        let img = current;
        for (const entry of journal.slice(at))
          if (entry.previousSerial === img.serial) img = this.applyEntry(zone, img, entry);
        this.swap(zone, img);
        return;
      }
    }
    const loaded = await this.store.load(zone);
    if (!loaded) {
      this.catalog.delete(zone);
      this.status.delete(zone);
      return;
    }
    let img = current && compareSerial(current.serial, loaded.img.serial) > 0 ? current : loaded.img;
    for (const entry of loaded.journal)
      if (entry.previousSerial === img.serial) img = this.applyEntry(zone, img, entry);
    this.swap(zone, img);
  }

  records(): number {
    let n = 0;
    for (const s of this.status.values()) n += s.records;
    return n;
  }
}

function originOf(zone: string): Uint8Array {
  return Name.parse(zone).wire;
}
