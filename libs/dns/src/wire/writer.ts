import { DnsError } from '../errors.js';
import { Name } from '../name/name.js';

// Values are checked as they are written: hand-built RDATA with a field out of
// range (a preference of 70000, an address string that is not one) must fail
// rather than wrap around into other octets than its author meant.
function outOfRange(what: string, v: unknown): never {
  throw new DnsError('wire.value', `cannot write ${String(v)} as ${what}`);
}

/**
 * Appends DNS wire data to a growable buffer. With `compression` on, names
 * written with `compress` reuse earlier suffixes through pointers
 * (RFC 1035 §4.1.4); offsets past 0x3fff cannot be pointed at.
 */
export class WireWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private readonly suffixes: Map<string, number> | undefined;

  constructor(options: { initialSize?: number; compression?: boolean } = {}) {
    this.buf = new Uint8Array(options.initialSize ?? 512);
    this.view = new DataView(this.buf.buffer);
    this.suffixes = options.compression ? new Map() : undefined;
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    if ((v & 0xff) !== v) outOfRange('an 8-bit integer', v);
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u16(v: number): this {
    if ((v & 0xffff) !== v) outOfRange('a 16-bit integer', v);
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    if (v >>> 0 !== v) outOfRange('a 32-bit integer', v);
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  bytes(b: Uint8Array): this {
    if (!(b instanceof Uint8Array)) outOfRange('octets', b);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Overwrites a 16-bit value written earlier (e.g. an RDLENGTH). */
  patchU16(at: number, v: number): void {
    if ((v & 0xffff) !== v) outOfRange('a 16-bit integer', v);
    this.view.setUint16(at, v);
  }

  /** Starts over, keeping the buffer (for scratch writers that only measure or check). */
  reset(): void {
    this.pos = 0;
    this.suffixes?.clear();
  }

  /**
   * Writes a name. `compress` points at an earlier copy of a suffix when the
   * writer has compression on; `lower` writes the canonical lowercase form.
   */
  name(name: Name, options: { compress?: boolean; lower?: boolean } = {}): this {
    if (!(name instanceof Name)) outOfRange('a domain name', name);
    const src = options.lower ? name.toLowerCase().wire : name.wire;
    if (!this.suffixes) return this.bytes(src);
    const key = name.key;
    let p = 0;
    while (src[p] !== 0) {
      const suffixKey = key.slice(p);
      const at = options.compress ? this.suffixes.get(suffixKey) : undefined;
      if (at !== undefined) {
        return this.u16(0xc000 | at);
      }
      if (this.pos < 0x4000 && !this.suffixes.has(suffixKey)) this.suffixes.set(suffixKey, this.pos);
      const len = src[p]!;
      this.bytes(src.subarray(p, p + len + 1));
      p += len + 1;
    }
    return this.u8(0);
  }

  /** What has been written, as a view that the next write may change. */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of what has been written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
