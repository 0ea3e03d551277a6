// Growable storage for the compiled zones: a few large typed arrays instead
// of one JavaScript object per name, so a million names cost megabytes, not
// gigabytes (STACK.md: a Map of Buffers needed 2.5 GB for 1M names).

/** An append-only byte pool. Offsets stay valid until the pool is rebuilt. */
export class BytePool {
  buf: Uint8Array;
  used = 0;

  constructor(initial = 4096, buf?: Uint8Array, used?: number) {
    this.buf = buf ?? new Uint8Array(initial);
    if (used !== undefined) this.used = used;
  }

  /** Reserves `n` bytes and returns their offset. */
  alloc(n: number): number {
    if (this.used + n > this.buf.length) {
      let size = Math.max(4096, this.buf.length * 2);
      while (size < this.used + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.used));
      this.buf = next;
    }
    const at = this.used;
    this.used += n;
    return at;
  }

  append(bytes: Uint8Array): number {
    const at = this.alloc(bytes.length);
    this.buf.set(bytes, at);
    return at;
  }

  /** Shrinks the backing store to what is used (after a full build). */
  trim(): void {
    if (this.buf.length > this.used + 4096) this.buf = this.buf.slice(0, this.used);
  }
}

export function u16(buf: Uint8Array, at: number): number {
  return (buf[at]! << 8) | buf[at + 1]!;
}

export function u32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

export function put16(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v >>> 8;
  buf[at + 1] = v & 0xff;
}

export function put32(buf: Uint8Array, at: number, v: number): void {
  buf[at] = v >>> 24;
  buf[at + 1] = (v >>> 16) & 0xff;
  buf[at + 2] = (v >>> 8) & 0xff;
  buf[at + 3] = v & 0xff;
}

export function equalBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/** Grows a typed array to at least `n` elements, keeping its contents. */
export function grow<T extends Int32Array | Uint16Array | Uint8Array>(a: T, n: number): T {
  if (a.length >= n) return a;
  let size = Math.max(16, a.length * 2);
  while (size < n) size *= 2;
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
}
