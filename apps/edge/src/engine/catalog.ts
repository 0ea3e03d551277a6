// The zones an edge serves, found by the longest matching apex. Swapping a
// zone is one Map write: queries see the old or the new image, never a mix.
import { equalBytes } from './bytes.js';
import { hashName } from './name-hash.js';
import type { ZoneImage } from './zone-image.js';

export class Catalog {
  /** Apex hash -> zones with that hash (collisions are rare; compared by octets). */
  private readonly byHash = new Map<number, ZoneImage[]>();
  private readonly byName = new Map<string, ZoneImage>();

  get size(): number {
    return this.byName.size;
  }

  zones(): IterableIterator<ZoneImage> {
    return this.byName.values();
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): ZoneImage | undefined {
    return this.byName.get(name);
  }

  /** Serves `img` under `name` (presentation form, lowercase, absolute), replacing any previous image. */
  set(name: string, img: ZoneImage): void {
    this.delete(name);
    this.byName.set(name, img);
    const h = hashName(img.origin, 0);
    const list = this.byHash.get(h);
    if (list) list.push(img);
    else this.byHash.set(h, [img]);
  }

  delete(name: string): boolean {
    const old = this.byName.get(name);
    if (!old) return false;
    this.byName.delete(name);
    const h = hashName(old.origin, 0);
    const list = this.byHash.get(h)!.filter((z) => z !== old);
    if (list.length) this.byHash.set(h, list);
    else this.byHash.delete(h);
    return true;
  }

  /** The zone whose apex is the suffix `key[off..off+len)` with hash `h`, if served. */
  match(key: Uint8Array, off: number, len: number, h: number): ZoneImage | undefined {
    const list = this.byHash.get(h);
    if (!list) return undefined;
    for (const z of list) if (z.origin.length === len && equalBytes(z.origin, 0, key, off, len)) return z;
    return undefined;
  }
}
