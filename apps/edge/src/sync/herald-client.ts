// The edge's side of herald's API, with an edge key (role `edge`): the list
// of zones and serials (one request for all zones), change sets since a
// serial, the full export, and the edge's report. Every call has a timeout:
// a hung control plane must never stall the sync loop.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { JournalEntry } from './local-store.js';

export class HeraldError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HeraldError';
  }
}

export type ChangesResult =
  | { kind: 'changes'; serial: number; changes: JournalEntry[]; more: boolean }
  | { kind: 'gone' }
  | { kind: 'missing' };

export interface EdgeReport {
  id: string;
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  lastSyncAt: string | null;
  zones: { zone: string; serial: number }[];
}

const TIMEOUT_MS = 10_000;

/** The URL without credentials, for messages (they reach /healthz and logs). */
function shown(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid HERALD_URL)';
  }
}
const EXPORT_TIMEOUT_MS = 300_000;

export class HeraldClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  private async request(path: string, init: RequestInit = {}, timeoutMs = TIMEOUT_MS): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(init.headers as Record<string, string>),
    };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new HeraldError(`herald unreachable at ${shown(this.baseUrl)}: ${(e as Error).message}`);
    }
  }

  private async json<T>(res: Response, what: string): Promise<T> {
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      throw new HeraldError(`${what}: HTTP ${res.status} ${body.slice(0, 200)}`, res.status);
    }
    return (await res.json()) as T;
  }

  /** Every zone this edge serves, with its serial. */
  async zones(): Promise<Map<string, number>> {
    const res = await this.request('/v1/zones');
    const body = await this.json<{ zones: { name: string; serial: number }[] }>(res, 'listing zones');
    return new Map(body.zones.map((z) => [z.name, z.serial]));
  }

  async changes(zone: string, since: number, limit = 100): Promise<ChangesResult> {
    const res = await this.request(
      `/v1/zones/${encodeURIComponent(zone)}/changes?since=${since}&limit=${limit}`,
    );
    if (res.status === 410) return { kind: 'gone' };
    if (res.status === 404) return { kind: 'missing' };
    const body = await this.json<{
      serial: number;
      changes: (JournalEntry & { at?: string })[];
      more?: boolean;
    }>(res, `changes of ${zone}`);
    return { kind: 'changes', serial: body.serial, changes: body.changes, more: body.more === true };
  }

  /** Streams the zone's master file to `onText`; false when the zone does not exist. */
  async exportZone(zone: string, onText: (chunk: string) => void): Promise<boolean> {
    const res = await this.request(
      `/v1/zones/${encodeURIComponent(zone)}/export`,
      { headers: { accept: 'text/dns' } },
      EXPORT_TIMEOUT_MS,
    );
    if (res.status === 404) return false;
    if (!res.ok || !res.body) throw new HeraldError(`export of ${zone}: HTTP ${res.status}`, res.status);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      onText(decoder.decode(chunk, { stream: true }));
    onText(decoder.decode());
    return true;
  }

  /** Streams the zone's master file into `file`; false when the zone does not exist. */
  async exportToFile(zone: string, file: string): Promise<boolean> {
    const res = await this.request(
      `/v1/zones/${encodeURIComponent(zone)}/export`,
      { headers: { accept: 'text/dns' } },
      EXPORT_TIMEOUT_MS,
    );
    if (res.status === 404) return false;
    if (!res.ok || !res.body) throw new HeraldError(`export of ${zone}: HTTP ${res.status}`, res.status);
    await pipeline(
      Readable.fromWeb(res.body as unknown as WebReadableStream),
      createWriteStream(file, { mode: 0o600 }),
    );
    return true;
  }

  async report(report: EdgeReport): Promise<void> {
    const res = await this.request('/v1/edges/report', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(report),
    });
    await this.json<unknown>(res, 'report');
  }
}
