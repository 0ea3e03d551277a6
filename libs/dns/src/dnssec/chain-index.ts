import type { Name } from '../name/name.js';

/**
 * The owners of a zone's NSEC or NSEC3 chain, kept sorted so that a change
 * finds its neighbours by binary search instead of walking the zone: NSEC
 * sorts names canonically (RFC 4034 §6.1), NSEC3 sorts base32hex hashes
 * (whose text order is their octet order, RFC 4648 §7).
 */
export class ChainIndex<K> {
  private readonly keys: K[] = [];

  constructor(private readonly compare: (a: K, b: K) => number) {}

  get size(): number {
    return this.keys.length;
  }

  /** Replaces the contents with `keys` (any order). */
  reset(keys: K[]): void {
    keys.sort(this.compare);
    this.keys.length = 0;
    for (let i = 0; i < keys.length; i++)
      if (i === 0 || this.compare(keys[i - 1]!, keys[i]!) !== 0) this.keys.push(keys[i]!);
  }

  /** Position of `key`, or -(insertion point) - 1. */
  private search(key: K): number {
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(this.keys[mid]!, key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  has(key: K): boolean {
    return this.search(key) >= 0;
  }

  /** Adds `key`; returns false when it was there. */
  insert(key: K): boolean {
    const at = this.search(key);
    if (at >= 0) return false;
    this.keys.splice(-at - 1, 0, key);
    return true;
  }

  /** Removes `key`; returns false when it was not there. */
  remove(key: K): boolean {
    const at = this.search(key);
    if (at < 0) return false;
    this.keys.splice(at, 1);
    return true;
  }

  /** The member after `key` (a member or not), wrapping to the first (the chain is a ring). */
  next(key: K): K | undefined {
    if (this.keys.length === 0) return undefined;
    const at = this.search(key);
    const i = at >= 0 ? at + 1 : -at - 1;
    return this.keys[i % this.keys.length];
  }

  /** The member before `key` (a member or not), wrapping to the last. */
  previous(key: K): K | undefined {
    if (this.keys.length === 0) return undefined;
    const at = this.search(key);
    const i = at >= 0 ? at - 1 : -at - 2;
    return this.keys[(i + this.keys.length) % this.keys.length];
  }

  values(): readonly K[] {
    return this.keys;
  }
}

export const compareNames = (a: Name, b: Name): number => a.compare(b);
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
