// Spreads a large batch of signatures over worker threads (a full sign of a
// big zone is ~250,000 ECDSA signatures: one core does ~47,000 a second).
// The worker is inline source using node:crypto only, so it runs the same
// from TypeScript sources under test and from the built package.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { localSigner, type PrivateKeyMaterial } from './local-signer.js';
import type { BatchSigner, SignJob } from './zone-signer.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const keys = new Map(workerData.keys.map((k) => [k.id, { alg: k.algorithm, key: crypto.createPrivateKey({ key: Buffer.from(k.privateKey), format: 'der', type: 'pkcs8' }) }]));
parentPort.on('message', ({ id, keyIds, data, offsets }) => {
  const sigs = [];
  for (let i = 0; i < keyIds.length; i++) {
    const k = keys.get(keyIds[i]);
    const bytes = data.subarray(offsets[i], offsets[i + 1]);
    sigs.push(k.alg === 15 ? crypto.sign(null, bytes, k.key) : crypto.sign('sha256', bytes, { key: k.key, dsaEncoding: 'ieee-p1363' }));
  }
  parentPort.postMessage({ id, sigs });
});
`;

/** Below this many signatures threads cost more than they save. */
const THREAD_THRESHOLD = 2_000;
const BATCH = 2_048;

export function threadSigner(
  keys: readonly PrivateKeyMaterial[],
  threads = availableParallelism(),
): BatchSigner {
  const local = localSigner(keys);
  return {
    async sign(jobs: readonly SignJob[], onProgress?: (done: number) => void): Promise<Uint8Array[]> {
      if (jobs.length < THREAD_THRESHOLD || threads < 2) return local.sign(jobs, onProgress);
      const workers = Array.from(
        { length: threads },
        () =>
          new Worker(WORKER_SOURCE, {
            eval: true,
            workerData: { keys: keys.map((k) => ({ ...k, privateKey: Buffer.from(k.privateKey) })) },
          }),
      );
      const out = new Array<Uint8Array>(jobs.length);
      let nextStart = 0;
      let done = 0;
      try {
        await Promise.all(
          workers.map(
            (w) =>
              new Promise<void>((resolve, reject) => {
                w.on('error', reject);
                const sendNext = () => {
                  if (nextStart >= jobs.length) return resolve();
                  const start = nextStart;
                  const end = Math.min(jobs.length, start + BATCH);
                  nextStart = end;
                  let size = 0;
                  for (let i = start; i < end; i++) size += jobs[i]!.data.length;
                  const data = new Uint8Array(size);
                  const offsets = new Uint32Array(end - start + 1);
                  let p = 0;
                  for (let i = start; i < end; i++) {
                    offsets[i - start] = p;
                    data.set(jobs[i]!.data, p);
                    p += jobs[i]!.data.length;
                  }
                  offsets[end - start] = p;
                  const keyIds = jobs.slice(start, end).map((j) => j.key.id);
                  w.postMessage({ id: start, keyIds, data, offsets }, [data.buffer]);
                };
                w.on('message', ({ id, sigs }: { id: number; sigs: Uint8Array[] }) => {
                  for (let i = 0; i < sigs.length; i++) out[id + i] = new Uint8Array(sigs[i]!);
                  done += sigs.length;
                  onProgress?.(done);
                  sendNext();
                });
                sendNext();
              }),
          ),
        );
      } finally {
        await Promise.all(workers.map((w) => w.terminate()));
      }
      return out;
    },
  };
}
