// Zone data arrives from herald as master-file text (the export, and the
// records of each change set). It is read with the shared parser and turned
// into wire records at once, so a large zone is never held as objects.
import { MasterFileParser, Name, rdataToWire, type ParsedRecord } from '@herald/dns';
import { ZoneDataError, type WireRecord } from '../engine/build.js';

const CLASS_IN = 1;

function toWire(rr: ParsedRecord): WireRecord {
  if (rr.class !== CLASS_IN) throw new ZoneDataError(`line ${rr.line}: only class IN is served`);
  return { owner: rr.name.wire, type: rr.type, ttl: rr.ttl, rdata: rdataToWire(rr.type, rr.data) };
}

/** Streams a master file into wire records; `end()` throws on the first bad line, naming it. */
export class ZoneTextReader {
  private readonly parser: MasterFileParser;
  readonly records: WireRecord[] = [];

  constructor(origin: string) {
    this.parser = new MasterFileParser({ origin: Name.parse(origin), maxErrors: 5 });
  }

  write(chunk: string): void {
    for (const rr of this.parser.write(chunk)) this.records.push(toWire(rr));
    this.check();
  }

  end(): WireRecord[] {
    for (const rr of this.parser.end()) this.records.push(toWire(rr));
    this.check();
    return this.records;
  }

  private check(): void {
    const e = this.parser.errors[0];
    if (e) throw new ZoneDataError(`line ${e.line}:${e.column}: ${e.message}`);
  }
}

/** Records of a change set: absolute master-file lines. */
export function recordLines(origin: string, lines: readonly string[]): WireRecord[] {
  const reader = new ZoneTextReader(origin);
  reader.write(lines.join('\n') + '\n');
  return reader.end();
}
