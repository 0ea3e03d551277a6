import { signerFor, type SignFn, type SigningAlgorithm } from './algorithms.js';
import type { BatchSigner, SignJob } from './zone-signer.js';

export interface PrivateKeyMaterial {
  id: string;
  algorithm: SigningAlgorithm;
  /** PKCS#8 DER. */
  privateKey: Uint8Array;
}

/** Signs on the calling thread: for the few signatures of a change set. */
export function localSigner(keys: readonly PrivateKeyMaterial[]): BatchSigner {
  const byId = new Map<string, SignFn>(keys.map((k) => [k.id, signerFor(k.algorithm, k.privateKey)]));
  return {
    sign(jobs: readonly SignJob[], onProgress?: (done: number) => void): Promise<Uint8Array[]> {
      const out = jobs.map((job, i) => {
        const fn = byId.get(job.key.id);
        if (!fn) throw new Error(`no private key for key ${job.key.id} (tag ${job.key.tag})`);
        if (onProgress && i % 10_000 === 0) onProgress(i);
        return fn(job.data);
      });
      onProgress?.(jobs.length);
      return Promise.resolve(out);
    },
  };
}
