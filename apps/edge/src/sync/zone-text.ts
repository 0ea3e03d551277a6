// Zone data arrives from herald as master-file text (the export, and the
// records of each change set). It is read with the shared parser and turned
// into wire records at once, streamed into the zone builder, so a large zone
// is never held as objects.
import { MasterFileParser, Name, rdataToWire, type ParsedRecord } from '@herald/dns';
import { ZoneBuilder, ZoneDataError, type WireRecord } from '../engine/build.js';
import type { ZoneImage } from '../engine/zone-image.js';

const CLASS_IN = 1;
const TYPE_SOA = 6;

function toWire(rr: ParsedRecord): WireRecord {
  if (rr.class !== CLASS_IN) throw new ZoneDataError(`line ${rr.line}: only class IN is served`);
  return { owner: rr.name.wire, type: rr.type, ttl: rr.ttl, rdata: rdataToWire(rr.type, rr.data) };
}

/** Streams a master file into wire records; throws on the first bad line, naming it. */
export class ZoneTextReader {
  private readonly parser: MasterFileParser;
  readonly records: WireRecord[] = [];

  /** With `sink`, records go there as they are read instead of into `records`. */
  constructor(
    origin: string,
    private readonly sink?: (rr: WireRecord) => void,
  ) {
    this.parser = new MasterFileParser({ origin: Name.parse(origin), maxErrors: 5 });
  }

  write(chunk: string): void {
    this.take(this.parser.write(chunk));
  }

  end(): WireRecord[] {
    this.take(this.parser.end());
    return this.records;
  }

  private take(parsed: ParsedRecord[]): void {
    const e = this.parser.errors[0];
    if (e) throw new ZoneDataError(`line ${e.line}:${e.column}: ${e.message}`);
    for (const rr of parsed) {
      const w = toWire(rr);
      if (this.sink) this.sink(w);
      else this.records.push(w);
    }
  }
}

/** Records of a change set: absolute master-file lines. */
export function recordLines(origin: string, lines: readonly string[]): WireRecord[] {
  const reader = new ZoneTextReader(origin);
  reader.write(lines.join('\n') + '\n');
  return reader.end();
}

/** The serial field of SOA RDATA (after MNAME and RNAME). */
export function soaRdataSerial(rdata: Uint8Array): number {
  let p = 0;
  for (let i = 0; i < 2; i++) {
    while (rdata[p] !== 0) p += rdata[p]! + 1;
    p++;
  }
  return ((rdata[p]! << 24) | (rdata[p + 1]! << 16) | (rdata[p + 2]! << 8) | rdata[p + 3]!) >>> 0;
}

/** Compiles a whole master file (chunks of text) into a zone image; the serial is the SOA's. */
export async function compileZoneText(
  zone: string,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<ZoneImage> {
  const builder = new ZoneBuilder(Name.parse(zone).wire);
  let serial: number | undefined;
  const reader = new ZoneTextReader(zone, (rr) => {
    if (rr.type === TYPE_SOA) serial = soaRdataSerial(rr.rdata);
    builder.add(rr);
  });
  for await (const chunk of chunks) reader.write(chunk);
  reader.end();
  if (serial === undefined) throw new ZoneDataError('the zone has no SOA record');
  return builder.finish(serial);
}
