// Spreads a large batch of signatures over worker threads (a full sign of a
// big zone is ~250,000 ECDSA signatures: one core does ~47,000 a second).
// Every batch is posted at once, so the workers never wait for a busy
// calling thread. The worker is inline source using node:crypto only, so it runs the same
// from TypeScript sources under test and from the built package.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { localSigner, type PrivateKeyMaterial } from './local-signer.js';
import type { BatchSigner, SignJob } from './zone-signer.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const keys = new Map(workerData.keys.map((k) => [k.id, { alg: k.algorithm, key: crypto.createPrivateKey({ key: Buffer.from(k.privateKey), format: 'der', type: 'pkcs8' }) }]));
parentPort.on('message', ({ call, start, keyIds, data, offsets }) => {
  const sigs = [];
  for (let i = 0; i < keyIds.length; i++) {
    const k = keys.get(keyIds[i]);
    const bytes = data.subarray(offsets[i], offsets[i + 1]);
    sigs.push(k.alg === 15 ? crypto.sign(null, bytes, k.key) : crypto.sign('sha256', bytes, { key: k.key, dsaEncoding: 'ieee-p1363' }));
  }
  parentPort.postMessage({ call, start, sigs });
});
`;

/** Below this many signatures threads cost more than they save. */
const THREAD_THRESHOLD = 2_000;
const BATCH = 2_048;

interface Call {
  out: Uint8Array[];
  done: number;
  onProgress: ((done: number) => void) | undefined;
  resolve: (sigs: Uint8Array[]) => void;
  reject: (e: unknown) => void;
}

/** Workers shared by the calls in flight; ended when the last call settles. */
class Pool {
  readonly workers: Worker[];
  readonly calls = new Map<number, Call>();
  private nextWorker = 0;
  private nextCall = 0;
  private failed: unknown;

  constructor(keys: readonly PrivateKeyMaterial[], threads: number) {
    const workerData = { keys: keys.map((k) => ({ ...k, privateKey: Buffer.from(k.privateKey) })) };
    this.workers = Array.from({ length: threads }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData });
      w.on('message', (m: { call: number; start: number; sigs: Uint8Array[] }) => this.received(m));
      w.on('error', (e) => this.fail(e));
      return w;
    });
  }

  /**
   * Posts every batch of `jobs` now, round robin: the workers then sign
   * without waiting for this thread, which may be busy for seconds.
   */
  submit(jobs: readonly SignJob[], onProgress?: (done: number) => void): Promise<Uint8Array[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextCall++;
    const promise = new Promise<Uint8Array[]>((resolve, reject) =>
      this.calls.set(id, { out: new Array(jobs.length), done: 0, onProgress, resolve, reject }),
    );
    for (let start = 0; start < jobs.length; start += BATCH) {
      const end = Math.min(jobs.length, start + BATCH);
      let size = 0;
      for (let i = start; i < end; i++) size += jobs[i]!.data.length;
      const data = new Uint8Array(size);
      const offsets = new Uint32Array(end - start + 1);
      const keyIds = new Array<string>(end - start);
      let p = 0;
      for (let i = start; i < end; i++) {
        offsets[i - start] = p;
        data.set(jobs[i]!.data, p);
        p += jobs[i]!.data.length;
        keyIds[i - start] = jobs[i]!.key.id;
      }
      offsets[end - start] = p;
      const w = this.workers[this.nextWorker++ % this.workers.length]!;
      w.postMessage({ call: id, start, keyIds, data, offsets }, [data.buffer]);
    }
    return promise;
  }

  private received({ call, start, sigs }: { call: number; start: number; sigs: Uint8Array[] }): void {
    const c = this.calls.get(call);
    if (!c) return;
    // A Buffer arrives as a plain Uint8Array of its own (structured clone): no copy needed.
    for (let i = 0; i < sigs.length; i++) c.out[start + i] = sigs[i]!;
    c.done += sigs.length;
    c.onProgress?.(c.done);
    if (c.done === c.out.length) {
      this.calls.delete(call);
      c.resolve(c.out);
    }
  }

  private fail(e: unknown): void {
    this.failed ??= e;
    for (const c of this.calls.values()) c.reject(e);
    this.calls.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Signs large batches on `threads` worker threads. Calls may overlap: they
 * share one set of workers, started by the first and ended when none is left
 * in flight.
 */
export function threadSigner(
  keys: readonly PrivateKeyMaterial[],
  threads = availableParallelism(),
): BatchSigner {
  const local = localSigner(keys);
  let pool: Pool | undefined;
  return {
    async sign(jobs: readonly SignJob[], onProgress?: (done: number) => void): Promise<Uint8Array[]> {
      if (jobs.length < THREAD_THRESHOLD || threads < 2) return local.sign(jobs, onProgress);
      for (const job of jobs)
        if (!keys.some((k) => k.id === job.key.id))
          throw new Error(`no private key for key ${job.key.id} (tag ${job.key.tag})`);
      const current = (pool ??= new Pool(keys, threads));
      try {
        const sigs = await current.submit(jobs, onProgress);
        onProgress?.(jobs.length);
        return sigs;
      } finally {
        if (current.calls.size === 0) {
          if (pool === current) pool = undefined;
          await current.close();
        }
      }
    },
  };
}
