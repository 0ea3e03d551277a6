// Prepared answers. A template is everything after the question section of a
// response (answer, authority and additional records, compressed), built as
// if the question were a given owner name of `qlen` octets at offset 12.
// At query time the server copies the query's question (its letter case
// echoed), then the template. Compression pointers into the question or the
// template move when the query name is longer or shorter than the one the
// template was built for (a wildcard match, or a negative answer or referral
// reused for every name below it); the template lists their positions:
//   - `self` pointers name the whole question (offset 12) and never move
//     when the owner is the query name (wildcard synthesis);
//   - `other` pointers move by the length difference.
// SUFFIX templates (negative answers, referrals) were built for a suffix of
// the query name (the apex, the cut): all their pointers move.
//
// Layout in the answer pool:
//   u8 flags, u8 rcode, u16 built-for qlen, u16 an, u16 ns, u16 ar,
//   u16 rest length, u16 additional start, u16 n self, u16 n other,
//   u16 × (n self + n other) pointer positions (in rest), rest octets.
import { put16, type BytePool } from './bytes.js';

export const T_AA = 1;
/** Built for a suffix of the query name: every pointer moves. */
export const T_SUFFIX = 2;
/** A referral: when its additional section (glue) is dropped, set TC (RFC 9471). */
export const T_REFERRAL = 4;
/** Append the zone's negative-answer SOA to the authority section (RFC 2308 §3). */
export const T_NEG_TAIL = 8;

/**
 * An answer too large for any DNS message (an RRset of more than ~64 KB):
 * the template holds no records, and the response says TC=1 on every
 * transport, as no TCP message can carry it either.
 */
export const T_TOO_BIG = 16;

/**
 * A signed NODATA at a wildcard: when it answers a synthesized name, the
 * NSEC3 closest-encloser proof is added per query (RFC 5155 §7.2.5).
 */
export const T_WILD_NODATA = 32;

export const TEMPLATE_HEADER = 18;
/** Largest rest a response can carry after a maximal question and an OPT record. */
const MAX_REST = 65535 - 12 - 259 - 64;
/**
 * Names are offered for compression only below this offset: a pointer must
 * stay under 0x4000 after a template is moved by up to a whole name's length.
 */
const LAST_TARGET = 0x4000 - 256;

// Types whose RDATA names may be compressed on the wire (RFC 3597 §4: RFC 1035 types only).
const ONE_NAME = new Set([2, 3, 4, 5, 7, 8, 9, 12]); // NS MD MF CNAME MB MG MR PTR
const MX = 15;
const SOA = 6;
const MINFO = 14;

/** Builds one template at a time; reused (compile is single-threaded). */
export class TemplateWriter {
  buf = new Uint8Array(4096);
  pos = 0;
  private qlen = 0;
  private readonly dict = new Map<string, number>();
  private readonly self: number[] = [];
  private readonly other: number[] = [];
  an = 0;
  ns = 0;
  ar = 0;
  private arStart = -1;
  private section: 0 | 1 | 2 = 0;
  /** When false, names written are not offered for later compression (the SOA tail, see compile.ts). */
  register = true;
  private dictReady = false;
  private qname: Uint8Array = new Uint8Array(1);
  private wild = false;

  /** Starts a template for question name `qname` (lowercase wire). `wild`: the name is a wildcard, never a compression target as a whole. */
  begin(qname: Uint8Array, wild = false): this {
    this.dict.clear();
    this.dictReady = false;
    this.qname = qname;
    this.wild = wild;
    this.self.length = 0;
    this.other.length = 0;
    this.an = this.ns = this.ar = 0;
    this.arStart = -1;
    this.section = 0;
    this.register = true;
    this.qlen = qname.length;
    this.buf.set(qname, 12);
    this.pos = 12 + qname.length + 4;
    return this;
  }

  /** The compression dictionary starts with the question's suffixes; built on the first name written (A/AAAA answers write none). */
  private seed(): void {
    this.dictReady = true;
    const qname = this.qname;
    // Every proper suffix of the question name can be pointed at; so can the whole name unless it is a wildcard.
    let p = this.wild ? qname[0]! + 1 : 0;
    while (qname[p] !== 0) {
      this.dict.set(key(qname, p), 12 + p);
      p += qname[p]! + 1;
    }
  }

  /** Switches to the authority (1) or additional (2) section. */
  to(section: 1 | 2): this {
    this.section = section;
    if (section === 2 && this.arStart < 0) this.arStart = this.pos;
    return this;
  }

  private pointer(target: number): void {
    (target === 12 ? this.self : this.other).push(this.pos);
    this.buf[this.pos] = 0xc0 | (target >>> 8);
    this.buf[this.pos + 1] = target & 0xff;
    this.pos += 2;
  }

  /** Writes a name (lowercase or not), compressing against earlier names when `compress`. */
  name(wire: Uint8Array, at = 0, compress = true): void {
    if (!this.dictReady) this.seed();
    let p = at;
    while (wire[p] !== 0) {
      const k = key(wire, p);
      if (compress) {
        const hit = this.dict.get(k);
        if (hit !== undefined) return this.pointer(hit);
        if (this.register && this.pos < LAST_TARGET && !this.dict.has(k)) this.dict.set(k, this.pos);
      }
      const len = wire[p]! + 1;
      this.buf.set(wire.subarray(p, p + len), this.pos);
      this.pos += len;
      p += len;
    }
    this.buf[this.pos++] = 0;
  }

  /** One resource record; `owner` null means the question name itself. */
  rr(owner: Uint8Array | null, type: number, cls: number, ttl: number, rdata: Uint8Array): this {
    // Owner (at most 255 octets), fixed fields, RDATA (compression only shrinks it).
    this.ensure(280 + rdata.length);
    if (owner === null) this.pointer(12);
    else this.name(owner);
    const b = this.buf;
    const p = this.pos;
    put16(b, p, type);
    put16(b, p + 2, cls);
    b[p + 4] = ttl >>> 24;
    b[p + 5] = (ttl >>> 16) & 0xff;
    b[p + 6] = (ttl >>> 8) & 0xff;
    b[p + 7] = ttl & 0xff;
    const lenAt = p + 8;
    this.pos = p + 10;
    if (ONE_NAME.has(type)) this.name(rdata, 0);
    else if (type === MX) {
      this.raw(rdata.subarray(0, 2));
      this.name(rdata, 2);
    } else if (type === SOA) {
      const second = skipName(rdata, 0);
      this.name(rdata, 0);
      this.name(rdata, second);
      this.raw(rdata.subarray(skipName(rdata, second)));
    } else if (type === MINFO) {
      const second = skipName(rdata, 0);
      this.name(rdata, 0);
      this.name(rdata, second);
    } else this.raw(rdata);
    put16(b, lenAt, this.pos - lenAt - 2);
    if (this.section === 0) this.an++;
    else if (this.section === 1) this.ns++;
    else this.ar++;
    return this;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  raw(bytes: Uint8Array): void {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** The template's octets in the pool layout. */
  finish(flags: number, rcode: number): Uint8Array {
    const out = new Uint8Array(this.size());
    this.writeTo(out, 0, flags, rcode);
    return out;
  }

  /** Appends the template to a pool; returns its offset (no intermediate copy). */
  finishInto(pool: BytePool, flags: number, rcode: number): number {
    const at = pool.alloc(this.size());
    this.writeTo(pool.buf, at, flags, rcode);
    return at;
  }

  private tooBig(): boolean {
    return this.pos - (12 + this.qlen + 4) > MAX_REST;
  }

  private size(): number {
    if (this.tooBig()) return TEMPLATE_HEADER;
    return TEMPLATE_HEADER + (this.self.length + this.other.length) * 2 + (this.pos - (12 + this.qlen + 4));
  }

  private writeTo(out: Uint8Array, base: number, flags: number, rcode: number): void {
    const restStart = 12 + this.qlen + 4;
    const restLen = this.pos - restStart;
    if (base !== 0) {
      // Header fields below are written relative to `base`.
      const view = out.subarray(base);
      return this.writeTo(view, 0, flags, rcode);
    }
    if (this.tooBig()) {
      out.fill(0, 0, TEMPLATE_HEADER);
      out[0] = (flags & ~T_NEG_TAIL) | T_TOO_BIG;
      out[1] = rcode;
      put16(out, 2, this.qlen);
      return;
    }
    out[0] = flags;
    out[1] = rcode;
    put16(out, 2, this.qlen);
    put16(out, 4, this.an);
    put16(out, 6, this.ns);
    put16(out, 8, this.ar);
    put16(out, 10, restLen);
    put16(out, 12, this.arStart < 0 ? restLen : this.arStart - restStart);
    put16(out, 14, this.self.length);
    put16(out, 16, this.other.length);
    let p = TEMPLATE_HEADER;
    for (const at of this.self) {
      put16(out, p, at - restStart);
      p += 2;
    }
    for (const at of this.other) {
      put16(out, p, at - restStart);
      p += 2;
    }
    out.set(this.buf.subarray(restStart, this.pos), p);
  }
}

/** Dictionary key of the name suffix at `wire[at..]` (lowercased: compression ignores case, RFC 1035 §4.1.4). */
function key(wire: Uint8Array, at: number): string {
  let s = '';
  let p = at;
  while (wire[p] !== 0) {
    const len = wire[p]!;
    s += String.fromCharCode(len);
    for (let i = 1; i <= len; i++) {
      const c = wire[p + i]!;
      s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
    }
    p += len + 1;
  }
  return s;
}

export function skipName(wire: Uint8Array, at: number): number {
  let p = at;
  while (wire[p] !== 0) p += wire[p]! + 1;
  return p + 1;
}
