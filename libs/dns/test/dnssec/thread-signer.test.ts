import { describe, expect, it } from 'vitest';
import { generateKey, threadSigner, verifySignature } from '@herald/dns';

const ksk = generateKey(13);
const zsk = generateKey(15);
const material = [
  { id: 'ksk', algorithm: 13 as const, privateKey: ksk.privateKey },
  { id: 'zsk', algorithm: 15 as const, privateKey: zsk.privateKey },
];

function jobs(count: number, salt: number) {
  return Array.from({ length: count }, (_, i) => ({
    key: i % 3 === 0 ? { id: 'ksk', tag: 1, algorithm: 13 } : { id: 'zsk', tag: 2, algorithm: 15 },
    data: new TextEncoder().encode(`record ${salt} ${i}`),
  }));
}

describe('threadSigner', () => {
  it('overlapping calls share the workers and each gets its own signatures, in order', async () => {
    const signer = threadSigner(material, 2);
    const a = jobs(3000, 1);
    const b = jobs(2500, 2);
    const [sa, sb] = await Promise.all([signer.sign(a), signer.sign(b)]);
    expect(sa).toHaveLength(a.length);
    expect(sb).toHaveLength(b.length);
    for (const [list, sigs] of [
      [a, sa],
      [b, sb],
    ] as const)
      list.forEach((job, i) => {
        const pub = job.key.id === 'ksk' ? ksk.publicKey : zsk.publicKey;
        expect(verifySignature(job.key.algorithm as 13 | 15, pub, job.data, sigs[i]!)).toBe(true);
      });
    // The pool ended with the last call: a later call starts a new one and still signs.
    const later = await signer.sign(jobs(2100, 3));
    expect(later).toHaveLength(2100);
  });

  it('a job for a key it does not hold is refused by key, before any thread starts', async () => {
    const signer = threadSigner(material, 2);
    const bad = [...jobs(2000, 4), { key: { id: 'gone', tag: 7, algorithm: 13 }, data: new Uint8Array(8) }];
    await expect(signer.sign(bad)).rejects.toThrow(/no private key for key gone \(tag 7\)/);
  });
});
