import { DnsError } from '../errors.js';
import { toALabel } from './idn.js';

export const MAX_LABEL_OCTETS = 63;
export const MAX_NAME_OCTETS = 255;

const DOT = 0x2e;
const BACKSLASH = 0x5c;
const STAR = 0x2a;
// Room for a name plus one over-long label before the length check trips.
const SCRATCH = new Uint8Array(MAX_NAME_OCTETS + 1);
// Scratch space for compare() and printing (a name has at most 127 labels; text at most 4 chars per octet).
const OFFSETS_A = new Uint8Array(128);
const OFFSETS_B = new Uint8Array(128);
const TEXT = new Uint8Array(MAX_NAME_OCTETS * 4);

/**
 * Longest text (UTF-16 code units) read as one U-label. Every character but
 * the few UTS 46 deletes adds to the A-label, so a longer text cannot fit
 * 63 octets; 4x leaves room for surrogate pairs and composing sequences.
 */
const MAX_U_LABEL_TEXT = 4 * MAX_LABEL_OCTETS;

function labelTooLong(len: number, field: string, unit = 'octets'): DnsError {
  return new DnsError(
    'name.label-too-long',
    `${field}: label of ${len} ${unit} exceeds 63 octets`,
    'RFC 1035 §2.3.4',
    field,
  );
}

function nameTooLong(text: string, field: string): DnsError {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return new DnsError('name.too-long', `${field}: '${shown}' exceeds 255 octets`, 'RFC 1035 §2.3.4', field);
}

function wildcardNotLeftmost(text: string, field: string): DnsError {
  return new DnsError(
    'name.wildcard-not-leftmost',
    `${field}: '${text}' has '*' in a label other than the leftmost; a wildcard must be the leftmost label (write \\* for a literal asterisk)`,
    'RFC 4592 §2.1.1',
    field,
  );
}

function isLetterDigitHyphen(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d;
}

function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

export interface NameParseOptions {
  /** Origin that relative names (no trailing dot) are appended to; `@` means the origin itself. */
  origin?: Name;
  /** Field name used in error messages (e.g. `exchange`). */
  field?: string;
}

/**
 * A domain name, held as its uncompressed wire form (RFC 1035 §3.1) with the
 * letter case it was written in. Comparisons ignore ASCII case (RFC 4343);
 * `key` is a lowercased string form suited to Map keys.
 */
export class Name {
  private _key: string | undefined;

  private constructor(readonly wire: Uint8Array) {}

  static readonly ROOT = new Name(Uint8Array.of(0));

  /** Trusted constructor: `wire` must be a well-formed uncompressed name. */
  static fromWireUnchecked(wire: Uint8Array): Name {
    return new Name(wire);
  }

  /** Builds a name from raw labels (leftmost first), checking the length limits. */
  static fromLabels(labels: readonly Uint8Array[], field = 'name'): Name {
    let total = 1;
    for (const l of labels) {
      if (l.length === 0)
        throw new DnsError('name.empty-label', `${field}: empty label`, 'RFC 1035 §3.1', field);
      if (l.length > MAX_LABEL_OCTETS)
        throw new DnsError(
          'name.label-too-long',
          `${field}: label of ${l.length} octets exceeds 63`,
          'RFC 1035 §2.3.4',
          field,
        );
      total += l.length + 1;
    }
    if (total > MAX_NAME_OCTETS)
      throw new DnsError(
        'name.too-long',
        `${field}: name of ${total} octets exceeds 255`,
        'RFC 1035 §2.3.4',
        field,
      );
    const wire = new Uint8Array(total);
    let p = 0;
    for (const l of labels) {
      wire[p++] = l.length;
      wire.set(l, p);
      p += l.length;
    }
    wire[p] = 0;
    return new Name(wire);
  }

  /**
   * Parses presentation form (RFC 1035 §5.1): `\\.` and `\\DDD` escapes, a
   * trailing dot for absolute names, `@` for the origin, and IDN (U-label)
   * input converted to A-labels. A `*` label is accepted only leftmost.
   */
  static parse(text: string, options: NameParseOptions = {}): Name {
    const field = options.field ?? 'name';
    if (text === '@') {
      if (!options.origin)
        throw new DnsError('name.no-origin', `${field}: '@' used without an origin`, 'RFC 1035 §5.1', field);
      return options.origin;
    }
    if (text === '.') return Name.ROOT;
    if (text.length === 0) throw new DnsError('name.empty', `${field}: empty name`, 'RFC 1035 §5.1', field);

    // Fast path for ASCII text (zone files are nearly all ASCII): write the
    // wire form straight into a scratch buffer, one pass, no per-label arrays.
    const buf = SCRATCH;
    let lenAt = 0;
    let p = 1;
    let labelLen = 0;
    let labels = 0;
    let absolute = false;
    // Whether the current label began with `\*`: a literal asterisk, not a wildcard.
    let escapedStar = false;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c > 0x7f) return Name.parseGeneral(text, options, field);
      if (c === DOT) {
        if (labelLen === 0)
          throw new DnsError(
            'name.empty-label',
            `${field}: '${text}' has an empty label`,
            'RFC 1035 §3.1',
            field,
          );
        Name.closeLabel(buf, lenAt, labelLen, labels, escapedStar, text, field);
        labels++;
        lenAt = p++;
        labelLen = 0;
        escapedStar = false;
        if (i === n - 1) absolute = true;
        continue;
      }
      if (c === BACKSLASH) {
        const next = text.charCodeAt(i + 1);
        if (next > 0x7f) return Name.parseGeneral(text, options, field);
        if (next >= 0x30 && next <= 0x39) return Name.parseGeneral(text, options, field);
        if (Number.isNaN(next))
          throw new DnsError(
            'name.bad-escape',
            `${field}: '${text}' ends with a lone backslash`,
            'RFC 1035 §5.1',
            field,
          );
        c = next;
        i++;
        if (c === STAR && labelLen === 0) escapedStar = true;
      }
      if (p >= MAX_NAME_OCTETS)
        throw new DnsError(
          'name.too-long',
          `${field}: '${text}' exceeds 255 octets`,
          'RFC 1035 §2.3.4',
          field,
        );
      buf[p++] = c;
      labelLen++;
    }
    if (labelLen > 0) {
      Name.closeLabel(buf, lenAt, labelLen, labels, escapedStar, text, field);
      lenAt = p;
    }
    let total = lenAt + 1;
    if (!absolute) {
      if (!options.origin)
        throw new DnsError(
          'name.no-origin',
          `${field}: '${text}' is relative (no trailing dot) and there is no origin`,
          'RFC 1035 §5.1',
          field,
        );
      total = lenAt + options.origin.wire.length;
    }
    if (total > MAX_NAME_OCTETS)
      throw new DnsError(
        'name.too-long',
        `${field}: name of ${total} octets exceeds 255`,
        'RFC 1035 §2.3.4',
        field,
      );
    const wire = new Uint8Array(total);
    wire.set(buf.subarray(0, lenAt));
    if (absolute) wire[lenAt] = 0;
    else wire.set(options.origin!.wire, lenAt);
    return new Name(wire);
  }

  private static closeLabel(
    buf: Uint8Array,
    lenAt: number,
    len: number,
    index: number,
    escapedStar: boolean,
    text: string,
    field: string,
  ): void {
    if (len > MAX_LABEL_OCTETS) throw labelTooLong(len, field);
    if (index > 0 && len === 1 && buf[lenAt + 1] === STAR && !escapedStar)
      throw wildcardNotLeftmost(text, field);
    buf[lenAt] = len;
  }

  /**
   * The label-by-label parser, needed for IDN input and `\\DDD` escapes;
   * parse() takes a faster path for plain ASCII. It stops as soon as a label
   * or the name is certain to be too long, so hostile input costs little.
   */
  private static parseGeneral(text: string, options: NameParseOptions, field: string): Name {
    const labels: Uint8Array[] = [];
    let current: number[] = [];
    let absolute = false;
    let hasNonAscii = false;
    let hasDecimal = false;
    let escapedStar = false;
    // Octets that reach the wire as they are (ASCII, escapes): a U-label keeps its ASCII letters too.
    let kept = 0;
    // Wire octets of the labels closed so far, length octets included.
    let total = 1;
    const close = () => {
      if (current.length === 0)
        throw new DnsError(
          'name.empty-label',
          `${field}: '${text}' has an empty label`,
          'RFC 1035 §3.1',
          field,
        );
      if (labels.length > 0 && current.length === 1 && current[0] === STAR && !escapedStar)
        throw wildcardNotLeftmost(text, field);
      const label = Name.labelBytes(current, hasNonAscii, hasDecimal, text, field);
      if (label.length > MAX_LABEL_OCTETS) throw labelTooLong(label.length, field);
      total += label.length + 1;
      if (total > MAX_NAME_OCTETS) throw nameTooLong(text, field);
      labels.push(label);
      current = [];
      hasNonAscii = hasDecimal = escapedStar = false;
      kept = 0;
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === DOT) {
        close();
        if (i === text.length - 1) absolute = true;
        continue;
      }
      if (c === BACKSLASH) {
        const next = text.charCodeAt(i + 1);
        if (Number.isNaN(next))
          throw new DnsError(
            'name.bad-escape',
            `${field}: '${text}' ends with a lone backslash`,
            'RFC 1035 §5.1',
            field,
          );
        if (next >= 0x30 && next <= 0x39) {
          const digits = text.slice(i + 1, i + 4);
          if (!/^[0-9]{3}$/.test(digits))
            throw new DnsError(
              'name.bad-escape',
              `${field}: '\\${digits}' in '${text}' is not a \\DDD escape (three decimal digits)`,
              'RFC 1035 §5.1',
              field,
            );
          const v = Number(digits);
          if (v > 255)
            throw new DnsError(
              'name.bad-escape',
              `${field}: '\\${digits}' in '${text}' is above 255`,
              'RFC 1035 §5.1',
              field,
            );
          current.push(v);
          hasDecimal = true;
          kept++;
          i += 3;
        } else {
          // `\X` is X itself (RFC 1035 §5.1); a non-ASCII X makes the label a U-label like an unescaped one.
          if (next === STAR && current.length === 0) escapedStar = true;
          current.push(next);
          if (next > 0x7f) hasNonAscii = true;
          else kept++;
          i += 1;
        }
      } else {
        if (c > 0x7f) hasNonAscii = true;
        else kept++;
        current.push(c);
      }
      // Fail fast: kept octets alone overflow the label or the name, or the text is longer than
      // any U-label whose A-label fits 63 octets (UTS 46 maps at most a few code units to nothing).
      if (kept > MAX_LABEL_OCTETS) throw labelTooLong(kept, field);
      if (current.length > MAX_U_LABEL_TEXT) throw labelTooLong(current.length, field, 'characters');
      if (total + kept + 1 > MAX_NAME_OCTETS) throw nameTooLong(text, field);
    }
    if (current.length > 0) close();

    if (absolute) return Name.fromLabels(labels, field);
    if (!options.origin)
      throw new DnsError(
        'name.no-origin',
        `${field}: '${text}' is relative (no trailing dot) and there is no origin`,
        'RFC 1035 §5.1',
        field,
      );
    return Name.fromLabels([...labels, ...options.origin.labels()], field);
  }

  private static labelBytes(
    codes: number[],
    hasNonAscii: boolean,
    hasDecimal: boolean,
    text: string,
    field: string,
  ): Uint8Array {
    if (!hasNonAscii) return Uint8Array.from(codes);
    let label = '';
    for (const c of codes) label += String.fromCharCode(c);
    const idnError = (why: string) =>
      new DnsError(
        'name.bad-idn',
        `${field}: label '${label}' in '${text}' is not a valid internationalised label: ${why}`,
        'RFC 5891',
        field,
      );
    // `\DDD` is an octet, a character is Unicode: a label cannot be both (is \195 Latin-1 or UTF-8?).
    if (hasDecimal)
      throw idnError(
        'it mixes \\DDD escapes with non-ASCII characters; write it all in Unicode or all as escaped octets',
      );
    // ASCII passes through IDNA unchanged, so anything but letters, digits and hyphens would end
    // up in the A-label (or be taken as URL syntax by the WHATWG host parser and dropped).
    for (const c of codes)
      if (c <= 0x7f && !isLetterDigitHyphen(c))
        throw idnError(
          `'${String.fromCharCode(c)}' cannot appear in one; only letters, digits and hyphens can`,
        );
    // A-label (IDNA/UTS 46); Unicode characters can still map to ASCII punctuation (fullwidth '＄').
    const ascii = toALabel(label);
    if (ascii === undefined || !/^[a-z0-9-]+$/.test(ascii))
      throw idnError(
        ascii === undefined ? 'IDNA rejects it' : `its A-label '${ascii}' is not letters, digits and hyphens`,
      );
    return Uint8Array.from(ascii, (ch) => ch.charCodeAt(0));
  }

  // Label offsets are walked from the length octets on demand rather than
  // cached: a million-record zone should not carry an array per name.
  /** Writes label offsets (leftmost first) into `out`; returns the label count. */
  private fillOffsets(out: Uint8Array): number {
    const w = this.wire;
    let n = 0;
    for (let p = 0; w[p] !== 0; p += w[p]! + 1) out[n++] = p;
    return n;
  }

  get labelCount(): number {
    const w = this.wire;
    let n = 0;
    for (let p = 0; w[p] !== 0; p += w[p]! + 1) n++;
    return n;
  }

  /** The labels (leftmost first), without length octets. */
  labels(): Uint8Array[] {
    const w = this.wire;
    const out: Uint8Array[] = [];
    for (let p = 0; w[p] !== 0; p += w[p]! + 1) out.push(w.subarray(p + 1, p + 1 + w[p]!));
    return out;
  }

  get isRoot(): boolean {
    return this.wire.length === 1;
  }

  get isWildcard(): boolean {
    return this.wire[0] === 1 && this.wire[1] === STAR;
  }

  /** Lowercased, compact string form: equal keys iff equal names (RFC 4343). */
  get key(): string {
    if (this._key === undefined) {
      const w = this.wire;
      const codes = new Array<number>(w.length);
      for (let i = 0; i < w.length; i++) codes[i] = lower(w[i]!);
      this._key = String.fromCharCode.apply(null, codes);
    }
    return this._key;
  }

  equals(other: Name): boolean {
    if (this === other) return true;
    const a = this.wire;
    const b = other.wire;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && lower(a[i]!) !== lower(b[i]!)) return false;
    return true;
  }

  /** The name with its leftmost `n` labels removed. */
  parent(n = 1): Name {
    if (n <= 0) return this;
    const w = this.wire;
    let p = 0;
    for (let i = 0; i < n; i++) {
      if (w[p] === 0) return Name.ROOT;
      p += w[p]! + 1;
    }
    return w[p] === 0 ? Name.ROOT : new Name(w.subarray(p));
  }

  /** True when this name is `other` or below it. */
  isSubdomainOf(other: Name): boolean {
    if (other.isRoot) return true;
    const a = this.wire;
    const b = other.wire;
    const start = a.length - b.length;
    if (start < 0) return false;
    // The suffix must start on a label boundary, then match ignoring case.
    let p = 0;
    while (p < start) p += a[p]! + 1;
    if (p !== start) return false;
    for (let k = 0; k < b.length; k++) if (lower(a[start + k]!) !== lower(b[k]!)) return false;
    return true;
  }

  /** Prefixes `label` (raw bytes) to this name. */
  child(label: Uint8Array | string): Name {
    const l = typeof label === 'string' ? Uint8Array.from(label, (ch) => ch.charCodeAt(0)) : label;
    return Name.fromLabels([l, ...this.labels()]);
  }

  /** This name in lower case (the canonical form of RFC 4034 §6.2). */
  toLowerCase(): Name {
    const w = new Uint8Array(this.wire.length);
    for (let i = 0; i < w.length; i++) w[i] = lower(this.wire[i]!);
    return new Name(w);
  }

  /** Canonical DNS name order (RFC 4034 §6.1): -1, 0 or 1. Allocation-free: it sorts million-record zones. */
  compare(other: Name): number {
    if (this === other) return 0;
    const aw = this.wire;
    const bw = other.wire;
    const ao = OFFSETS_A;
    const bo = OFFSETS_B;
    let i = this.fillOffsets(ao) - 1;
    let j = other.fillOffsets(bo) - 1;
    for (; i >= 0 && j >= 0; i--, j--) {
      const pa = ao[i]!;
      const pb = bo[j]!;
      const la = aw[pa]!;
      const lb = bw[pb]!;
      const n = la < lb ? la : lb;
      for (let k = 1; k <= n; k++) {
        const d = lower(aw[pa + k]!) - lower(bw[pb + k]!);
        if (d !== 0) return d < 0 ? -1 : 1;
      }
      if (la !== lb) return la < lb ? -1 : 1;
    }
    return i < 0 ? (j < 0 ? 0 : -1) : 1;
  }

  /** Absolute presentation form with the trailing dot. */
  toString(): string {
    if (this.isRoot) return '.';
    return this.labelsText(this.labelCount) + '.';
  }

  /** Presentation form relative to `origin`: `@` for the origin itself, absolute when outside it. */
  toRelativeString(origin: Name): string {
    if (this.equals(origin)) return '@';
    if (origin.isRoot || !this.isSubdomainOf(origin)) return this.toString();
    const count = this.labelCount - origin.labelCount;
    return this.labelsText(count);
  }

  /** The leftmost `count` labels in presentation form, dot-separated, built in one pass. */
  private labelsText(count: number): string {
    const w = this.wire;
    const out = TEXT;
    let n = 0;
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (i > 0) out[n++] = DOT;
      const end = p + 1 + w[p]!;
      n = appendLabelText(w, p + 1, end, out, n, i === 0);
      p = end;
    }
    return String.fromCharCode.apply(null, out.subarray(0, n) as unknown as number[]);
  }

  toJSON(): string {
    return this.toString();
  }
}

// Octets printed as themselves in a label: letters, digits, '-', '_', '/' and '*'. Knot reads
// no other character unescaped in a name, so everything else is written `\X` (printable) or
// `\DDD`, which every reader takes the same way.
const PLAIN = new Uint8Array(256);
for (let b = 0; b < 256; b++)
  PLAIN[b] = isLetterDigitHyphen(b) || b === 0x5f || b === 0x2f || b === STAR ? 1 : 0;

/**
 * Writes octets w[from..end) as label text (escaping as needed) into `out` at `n`; returns the new
 * length. A `*` label other than the leftmost is literal, not a wildcard, so it is written `\*`.
 */
function appendLabelText(
  w: Uint8Array,
  from: number,
  end: number,
  out: Uint8Array,
  n: number,
  leftmost: boolean,
): number {
  if (!leftmost && end - from === 1 && w[from] === STAR) {
    out[n++] = BACKSLASH;
    out[n++] = STAR;
    return n;
  }
  for (let k = from; k < end; k++) {
    const b = w[k]!;
    if (PLAIN[b] === 1) out[n++] = b;
    else if (b <= 0x20 || b >= 0x7f) {
      out[n++] = BACKSLASH;
      out[n++] = 0x30 + Math.floor(b / 100);
      out[n++] = 0x30 + (Math.floor(b / 10) % 10);
      out[n++] = 0x30 + (b % 10);
    } else {
      out[n++] = BACKSLASH;
      out[n++] = b;
    }
  }
  return n;
}

/** One label in presentation form, escaped so that it reads back the same (as a leftmost label). */
export function labelToText(label: Uint8Array): string {
  const n = appendLabelText(label, 0, label.length, TEXT, 0, true);
  return String.fromCharCode.apply(null, TEXT.subarray(0, n) as unknown as number[]);
}
