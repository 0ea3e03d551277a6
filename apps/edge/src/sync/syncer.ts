// Keeps the served zones in step with herald. Three triggers, one path:
// a change-feed event (Redis pub/sub or in-process), a poll of every zone's
// serial (one request, every EDGE_POLL_SECONDS, so a lost event or a Redis
// outage only delays), and the first sync at start. For each zone behind:
// /changes?since=<served serial> (paged), or the full export when herald
// answers 410 or the change sets do not follow. Zones herald no longer lists
// stop being served. One sync per zone at a time; events coalesce.
import { ZoneDataError } from '../engine/build.js';
import { EDGE_VERSION } from '../process/config.js';
import { HeraldClient, HeraldError } from './herald-client.js';
import type { ServedZones } from './served-zones.js';
import { compareSerial } from './serial.js';
import { compileZoneText, soaRdataSerial } from './zone-text.js';
import { rm } from 'node:fs/promises';

export interface SyncerOptions {
  edgeId: string;
  pollIntervalMs: number;
  reportIntervalMs: number;
  warn: (text: string) => void;
}

export interface ControlPlaneStatus {
  reachable: boolean;
  lastContact?: Date;
  lastError?: string;
  lastSyncAt?: Date;
}

export class Syncer {
  readonly control: ControlPlaneStatus = { reachable: false };
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly wanted = new Map<string, number>();
  private pollTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private reportSoon: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly startedAt = new Date();
  /** Settles after the first complete poll-and-sync round. */
  readonly firstSync: Promise<void>;
  private resolveFirst!: () => void;

  constructor(
    private readonly zones: ServedZones,
    private readonly client: HeraldClient,
    private readonly options: SyncerOptions,
  ) {
    this.firstSync = new Promise((r) => (this.resolveFirst = r));
  }

  start(): void {
    void this.pollLoop();
    this.reportTimer = setInterval(() => void this.report(), this.options.reportIntervalMs);
    this.reportTimer.unref();
  }

  /** A change-feed event: sync the zone now (or drop it when herald deleted it). */
  notify(zone: string, serial: number): void {
    const served = this.zones.get(zone);
    if (served && compareSerial(serial, served.serial) <= 0) return;
    this.wanted.set(zone, serial);
    this.schedule(zone);
  }

  private async pollLoop(): Promise<void> {
    let first = true;
    while (!this.closed) {
      await this.poll();
      if (first) {
        first = false;
        this.resolveFirst();
      }
      if (this.closed) break;
      await new Promise<void>((r) => {
        this.pollTimer = setTimeout(r, this.options.pollIntervalMs);
        this.pollTimer.unref?.();
      });
    }
  }

  /** One request for every zone's serial; syncs the zones that are behind, drops those herald no longer has. */
  async poll(): Promise<void> {
    let listed: Map<string, number>;
    try {
      listed = await this.client.zones();
      this.contact();
    } catch (e) {
      this.failed(e);
      return;
    }
    const jobs: Promise<void>[] = [];
    for (const [zone, serial] of listed) {
      const served = this.zones.get(zone);
      if (!served || served.serial !== serial) {
        this.wanted.set(zone, serial);
        jobs.push(this.schedule(zone));
      }
    }
    // A zone no longer listed is confirmed (404 on its changes) and dropped by its own sync, in turn
    // with any sync of it already running.
    for (const zone of this.zones.catalog.names()) if (!listed.has(zone)) jobs.push(this.schedule(zone));
    await Promise.allSettled(jobs);
    this.control.lastSyncAt = new Date();
    this.scheduleReport();
  }

  private schedule(zone: string): Promise<void> {
    const running = this.running.get(zone);
    if (running) {
      this.again.add(zone);
      return running;
    }
    const job = (async () => {
      do {
        this.again.delete(zone);
        await this.syncZone(zone).catch((e) => this.failed(e, zone));
      } while (this.again.has(zone) && !this.closed);
    })().finally(() => this.running.delete(zone));
    this.running.set(zone, job);
    return job;
  }

  private async syncZone(zone: string): Promise<void> {
    for (let page = 0; page < 10_000 && !this.closed; page++) {
      const served = this.zones.get(zone);
      if (!served) return this.full(zone);
      const result = await this.client.changes(zone, served.serial);
      this.contact();
      if (result.kind === 'missing') {
        await this.zones.drop(zone);
        return;
      }
      if (result.kind === 'gone') return this.full(zone);
      if (result.changes.length > 0) {
        try {
          await this.zones.apply(zone, result.changes);
        } catch (e) {
          if (!(e instanceof ZoneDataError)) throw e;
          this.options.warn(`edge: ${e.message}; fetching the full zone`);
          return this.full(zone);
        }
      }
      this.scheduleReport();
      if (!result.more) return;
    }
  }

  private async full(zone: string): Promise<void> {
    const store = this.zones.store;
    if (store) {
      // Through a file: a large export is compiled off the query thread (served-zones.ts).
      const file = store.tempFile(zone, 'export');
      try {
        const found = await this.client.exportToFile(zone, file);
        this.contact();
        if (!found) return await this.zones.drop(zone);
        await this.zones.installFile(zone, file);
      } finally {
        await rm(file, { force: true });
      }
    } else {
      const chunks: string[] = [];
      const found = await this.client.exportZone(zone, (text) => chunks.push(text));
      this.contact();
      if (!found) return this.zones.drop(zone);
      await this.zones.installImage(zone, await compileZoneText(zone, chunks));
    }
    this.scheduleReport();
  }

  private contact(): void {
    this.control.reachable = true;
    this.control.lastContact = new Date();
    delete this.control.lastError;
  }

  private failed(e: unknown, zone?: string): void {
    const message = (e as Error).message ?? String(e);
    if (e instanceof HeraldError && e.status === undefined) this.control.reachable = false;
    if (this.control.lastError !== message)
      this.options.warn(`edge: sync${zone ? ` of ${zone}` : ''} failed: ${message}`);
    this.control.lastError = message;
  }

  private scheduleReport(): void {
    if (this.reportSoon || this.closed) return;
    this.reportSoon = setTimeout(() => {
      this.reportSoon = undefined;
      void this.report();
    }, 50);
  }

  async report(): Promise<void> {
    if (this.closed) return;
    try {
      await this.client.report({
        id: this.options.edgeId,
        version: EDGE_VERSION,
        startedAt: this.startedAt.toISOString(),
        uptimeSeconds: Math.round((Date.now() - this.startedAt.getTime()) / 100) / 10,
        lastSyncAt: this.control.lastSyncAt?.toISOString() ?? null,
        zones: [...this.zones.status.values()].map((s) => ({ zone: s.zone, serial: s.serial })),
      });
    } catch {
      // Reporting is telemetry: the next report (or sync) tries again.
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.reportTimer);
    clearTimeout(this.reportSoon);
    this.resolveFirst();
  }
}

/** The serial in the SOA record of an export. */
export function soaSerial(records: readonly { type: number; rdata: Uint8Array }[]): number {
  const soa = records.find((r) => r.type === 6);
  if (!soa) throw new ZoneDataError('the export has no SOA record');
  return soaRdataSerial(soa.rdata);
}
