// Names are hashed label by label from the root down (rightmost label first),
// so while scanning a query name once we get the hash of every suffix: the
// closest-encloser walk and the zone match then cost one table probe per
// label, with no string or Name object built per query.

export const HASH_SEED = 0x811c9dc5 | 0;

/** Folds one label (length octet, then its octets, already lowercase) into a suffix hash. */
export function hashLabel(h: number, buf: Uint8Array, at: number): number {
  const len = buf[at]!;
  h = Math.imul(h ^ len, 16777619);
  for (let i = 1; i <= len; i++) h = Math.imul(h ^ buf[at + i]!, 16777619);
  return h;
}

/**
 * Hash of a lowercase uncompressed wire name at `buf[at..]`. `starts` is
 * scratch for label offsets (128 is enough for any legal name).
 */
export function hashName(buf: Uint8Array, at: number, starts: Int32Array = SCRATCH): number {
  let n = 0;
  let p = at;
  while (buf[p] !== 0) {
    starts[n++] = p;
    p += buf[p]! + 1;
  }
  let h = HASH_SEED;
  for (let i = n - 1; i >= 0; i--) h = hashLabel(h, buf, starts[i]!);
  return h;
}

const SCRATCH = new Int32Array(128);

/** Length in octets of the uncompressed wire name at `buf[at..]`, root octet included. */
export function nameLength(buf: Uint8Array, at: number): number {
  let p = at;
  while (buf[p] !== 0) p += buf[p]! + 1;
  return p - at + 1;
}

/** Lowercase copy of an uncompressed wire name. */
export function lowerName(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    out[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  }
  // Length octets are < 0x40, so lowering never touches them.
  return out;
}
