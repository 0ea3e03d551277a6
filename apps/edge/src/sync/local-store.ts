// The edge's local copy: per zone, a compiled image (the zone's typed arrays
// and pools, loaded without parsing) and a journal of change sets applied
// since. Both are written atomically: a new image goes to a temp file, is
// fsynced and renamed over the old one (then the directory is fsynced); a
// journal entry is one line appended and fsynced, and a torn last line is
// ignored on load. The edge answers from this copy at start, before it has
// talked to anyone.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BytePool } from '../engine/bytes.js';
import { buildOrders, refreshDnssec, resetSigned } from '../engine/dnssec.js';
import { ZoneImage } from '../engine/zone-image.js';

const MAGIC = Buffer.from('HERALDZ1', 'latin1');

/** A change set as herald's /changes returns it. */
export interface JournalEntry {
  serial: number;
  previousSerial: number;
  removed: string[];
  added: string[];
  /** When herald committed it (ISO), for the sync-lag metric. */
  at?: string;
}

interface ImageHeader {
  zone: string;
  serial: number;
  records: number;
  top: number;
  live: number;
  free: number[];
  nodata: number;
  nxdomain: number;
  baseAns?: number;
  baseData?: number;
  soaTail: number;
  origin: number[];
  sections: [name: string, bytes: number][];
  refs: [string, number[]][];
}

/** File name for a zone: readable, and safe for any zone name (hash suffix avoids collisions after escaping). */
export function zoneFileStem(zone: string): string {
  const safe = zone.replace(/[^a-z0-9.-]/g, '_').slice(0, 100) || 'root';
  return `${safe}${createHash('sha256').update(zone).digest('hex').slice(0, 8)}`;
}

export class LocalStore {
  readonly dir: string;

  constructor(readonly dataDir: string) {
    this.dir = path.join(dataDir, 'zones');
  }

  /** A temporary file in the store (removed by init() if left behind). */
  tempFile(zone: string, what: string): string {
    return path.join(this.dir, `${zoneFileStem(zone)}.${what}.${process.pid}.tmp`);
  }

  /** `cleanUp`: remove leftovers of interrupted writes (the primary only: a worker must not touch writes in flight). */
  async init(cleanUp = true): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    if (!cleanUp) return;
    for (const f of await readdir(this.dir))
      if (f.endsWith('.tmp')) await rm(path.join(this.dir, f), { force: true });
  }

  private file(zone: string, ext: string): string {
    return path.join(this.dir, `${zoneFileStem(zone)}.${ext}`);
  }

  /** Zone names with an image on disk. */
  async zones(): Promise<string[]> {
    const names: string[] = [];
    for (const f of await readdir(this.dir)) {
      if (!f.endsWith('.img')) continue;
      const header = await readHeader(path.join(this.dir, f));
      if (header) names.push(header.zone);
    }
    return names;
  }

  /**
   * Writes the image of `zone` atomically. The mutable arrays are copied now;
   * the pools are append-only, so their written prefix cannot change while
   * the write is in flight.
   */
  async writeImage(zone: string, img: ZoneImage): Promise<void> {
    const parts = snapshot(zone, img);
    const target = this.file(zone, 'img');
    const tmp = `${target}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      for (const part of parts) await fh.write(part);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
    this.trimJournal(zone, img.serial);
    await syncDir(this.dir);
  }

  /**
   * Drops the journal entries the new image already holds. Change sets may
   * have been appended while the image was being written: those are kept.
   * Synchronous, like appendJournal, so no append can fall between the read
   * and the rename.
   */
  private trimJournal(zone: string, imageSerial: number): void {
    const file = this.file(zone, 'journal');
    let entries: JournalEntry[];
    try {
      entries = parseJournal(readFileSync(file, 'utf8'));
    } catch {
      return;
    }
    const at = entries.findIndex((e) => e.previousSerial === imageSerial);
    if (at < 0) {
      rmSync(file, { force: true });
      return;
    }
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(
        fd,
        entries
          .slice(at)
          .map((e) => JSON.stringify(e) + '\n')
          .join(''),
      );
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }

  /** Appends one applied change set to the zone's journal (fsynced before it returns). */
  appendJournal(zone: string, entry: JournalEntry): void {
    const fd = openSync(this.file(zone, 'journal'), 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(entry) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  async journalSize(zone: string): Promise<number> {
    try {
      return (await stat(this.file(zone, 'journal'))).size;
    } catch {
      return 0;
    }
  }

  /** The image and the journal entries after it, or undefined when there is no image. */
  async load(zone: string): Promise<{ img: ZoneImage; journal: JournalEntry[] } | undefined> {
    let buf: Buffer;
    try {
      buf = await readFile(this.file(zone, 'img'));
    } catch {
      return undefined;
    }
    const img = parseImage(buf);
    const journal = await this.journal(zone);
    return { img, journal };
  }

  /** The journal alone (a worker that already holds the image). */
  async journal(zone: string): Promise<JournalEntry[]> {
    try {
      return parseJournal(await readFile(this.file(zone, 'journal'), 'utf8'));
    } catch {
      return [];
    }
  }

  async remove(zone: string): Promise<void> {
    await rm(this.file(zone, 'img'), { force: true });
    await rm(this.file(zone, 'journal'), { force: true });
  }
}

function parseJournal(text: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      break; // a torn last line: the write did not complete
    }
  }
  return out;
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    await fh.close();
  }
}

function pad8(n: number): number {
  return (8 - (n % 8)) % 8;
}

function snapshot(zone: string, img: ZoneImage): Uint8Array[] {
  const top = img.top;
  const arrays: [string, Uint8Array][] = [
    ['nameOff', bytesOf(img.nameOff.slice(0, top))],
    ['hash', bytesOf(img.hash.slice(0, top))],
    ['rrOff', bytesOf(img.rrOff.slice(0, top))],
    ['ansOff', bytesOf(img.ansOff.slice(0, top))],
    ['kids', bytesOf(img.kids.slice(0, top))],
    ['flags', bytesOf(img.flags.slice(0, top))],
    ['nameLen', img.nameLen.slice(0, top)],
    ['slots', bytesOf(img.slots.slice())],
    ['nsecOrder', bytesOf(Int32Array.from(img.nsecOrder))],
    ['n3Order', bytesOf(Int32Array.from(img.n3Order))],
    ['names', img.names.buf.subarray(0, img.names.used)],
    ['data', img.data.buf.subarray(0, img.data.used)],
    ['ans', img.ans.buf.subarray(0, img.ans.used)],
  ];
  const header: ImageHeader = {
    zone,
    serial: img.serial,
    records: img.records,
    top,
    live: img.live,
    free: img.free,
    nodata: img.nodata,
    nxdomain: img.nxdomain,
    baseAns: img.baseAns,
    baseData: img.baseData,
    soaTail: img.soaTail,
    origin: [...img.origin],
    sections: arrays.map(([name, b]) => [name, b.length]),
    refs: [...img.refs].map(([k, ids]) => [k, [...ids]]),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(16);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(json.length, 8);
  const parts: Uint8Array[] = [head, json, new Uint8Array(pad8(16 + json.length))];
  for (const [, b] of arrays) parts.push(b, new Uint8Array(pad8(b.length)));
  return parts;
}

function bytesOf(a: Int32Array | Uint16Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

async function readHeader(file: string): Promise<ImageHeader | undefined> {
  try {
    const fh = await open(file, 'r');
    try {
      const head = Buffer.alloc(16);
      await fh.read(head, 0, 16, 0);
      if (!head.subarray(0, 8).equals(MAGIC)) return undefined;
      const json = Buffer.alloc(head.readUInt32LE(8));
      await fh.read(json, 0, json.length, 16);
      return JSON.parse(json.toString('utf8')) as ImageHeader;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

export class ImageError extends Error {}

/** Rebuilds a ZoneImage over the file's bytes (views, not copies, where alignment allows). */
export function parseImage(buf: Buffer): ZoneImage {
  if (buf.length < 16 || !buf.subarray(0, 8).equals(MAGIC)) throw new ImageError('not a zone image');
  const jsonLen = buf.readUInt32LE(8);
  const h = JSON.parse(buf.toString('utf8', 16, 16 + jsonLen)) as ImageHeader;
  let p = 16 + jsonLen;
  p += pad8(p);
  const section = new Map<string, Uint8Array>();
  for (const [name, len] of h.sections) {
    if (p + len > buf.length) throw new ImageError('zone image is truncated');
    section.set(name, buf.subarray(p, p + len));
    p += len + pad8(len);
  }
  // Plain Uint8Array views (not Buffer), so growing them later makes plain arrays too.
  const s = (name: string) => {
    const b = section.get(name)!;
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  };
  const aligned = (b: Uint8Array) => (b.byteOffset % 4 === 0 ? b : b.slice());
  const i32 = (name: string) => {
    const b = aligned(s(name));
    return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  };
  const img = new ZoneImage(Uint8Array.from(h.origin), 1);
  img.serial = h.serial;
  img.records = h.records;
  img.top = h.top;
  img.live = h.live;
  img.free = h.free;
  img.nodata = h.nodata;
  img.baseAns = h.baseAns ?? 0;
  img.baseData = h.baseData ?? 0;
  img.nxdomain = h.nxdomain;
  img.soaTail = h.soaTail;
  img.nameOff = i32('nameOff');
  img.hash = i32('hash');
  img.rrOff = i32('rrOff');
  img.ansOff = i32('ansOff');
  img.kids = i32('kids');
  const fl = aligned(s('flags'));
  img.flags = new Uint16Array(fl.buffer, fl.byteOffset, fl.byteLength / 2);
  img.nameLen = s('nameLen');
  img.slots = i32('slots');
  img.mask = img.slots.length - 1;
  img.names = new BytePool(0, s('names'), s('names').length);
  img.data = new BytePool(0, s('data'), s('data').length);
  img.ans = new BytePool(0, s('ans'), s('ans').length);
  img.refs = new Map(h.refs.map(([k, ids]) => [k, new Set(ids)]));
  // Signed templates are not stored: they are rebuilt on first use.
  img.doOff = new Int32Array(img.nameOff.length);
  img.proofOff = new Int32Array(img.nameOff.length);
  refreshDnssec(img);
  if (section.has('nsecOrder') && section.has('n3Order')) {
    img.nsecOrder = Array.from(i32('nsecOrder'));
    img.n3Order = Array.from(i32('n3Order'));
  } else buildOrders(img);
  resetSigned(img);
  return img;
}
