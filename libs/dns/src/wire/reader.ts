import { WireError } from '../errors.js';
import { MAX_NAME_OCTETS, Name } from '../name/name.js';

export interface NameReadOptions {
  /**
   * Whether compression pointers may appear (default true). Only names in
   * the RDATA of the RFC 1035 types may be compressed (RFC 3597 §4); owners
   * may always be.
   */
  compression?: boolean;
}

/** Reads DNS wire data with bounds checks; every overrun is a WireError. */
export class WireReader {
  private readonly view: DataView;
  pos: number;
  /** False for data that is not a message (e.g. RFC 3597 `\#` RDATA): no name in it may be compressed. */
  readonly compression: boolean;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    options: { compression?: boolean } = {},
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.compression = options.compression ?? true;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length)
      throw new WireError(
        `truncated ${what}: need ${n} octet(s) at offset ${this.pos}, have ${this.buf.length - this.pos}`,
      );
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  bytes(n: number, what = 'data'): Uint8Array {
    this.need(n, what);
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /**
   * Reads a possibly compressed name. Pointers must point strictly backwards
   * (which also rules out loops) and the expanded name must fit 255 octets.
   */
  name(what = 'name', options: NameReadOptions = {}): Name {
    const compression = this.compression && options.compression !== false;
    const out: number[] = [];
    let p = this.pos;
    let end = -1;
    let lowestTarget = p;
    for (;;) {
      if (p >= this.buf.length) throw new WireError(`truncated ${what} at offset ${p}`);
      const len = this.buf[p]!;
      if (len === 0) {
        out.push(0);
        if (end < 0) end = p + 1;
        break;
      }
      const kind = len & 0xc0;
      if (kind === 0xc0) {
        if (!compression)
          throw new WireError(
            `${what} at offset ${this.pos} is compressed, which this field does not allow (RFC 3597 §4)`,
          );
        if (p + 1 >= this.buf.length)
          throw new WireError(`truncated compression pointer in ${what} at offset ${p}`);
        const target = ((len & 0x3f) << 8) | this.buf[p + 1]!;
        if (target >= lowestTarget)
          throw new WireError(`compression pointer in ${what} at offset ${p} does not point backwards`);
        if (end < 0) end = p + 2;
        lowestTarget = target;
        p = target;
        continue;
      }
      if (kind !== 0)
        throw new WireError(`unsupported label type 0x${kind.toString(16)} in ${what} at offset ${p}`);
      if (p + 1 + len > this.buf.length) throw new WireError(`truncated label in ${what} at offset ${p}`);
      for (let i = 0; i <= len; i++) out.push(this.buf[p + i]!);
      if (out.length + 1 > MAX_NAME_OCTETS)
        throw new WireError(`${what} longer than 255 octets at offset ${this.pos}`);
      p += len + 1;
    }
    this.pos = end;
    return Name.fromWireUnchecked(Uint8Array.from(out));
  }
}
