import { createHash } from 'node:crypto';
import type { Name } from '../name/name.js';

/** NSEC3 hash algorithm 1, SHA-1 (RFC 5155 §5): IH(salt, x, k) over the canonical (lowercase) owner. */
export function nsec3Hash(name: Name, salt: Uint8Array, iterations: number): Uint8Array {
  let digest = createHash('sha1').update(name.toLowerCase().wire).update(salt).digest();
  for (let i = 0; i < iterations; i++) digest = createHash('sha1').update(digest).update(salt).digest();
  return new Uint8Array(digest);
}
