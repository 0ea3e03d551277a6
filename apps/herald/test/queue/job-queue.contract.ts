// The JobQueue contract, run against every adapter (in-process and BullMQ).
// A suite gets a factory that opens a queue instance; the suite closes every
// instance it opened after each test. `pair()` gives a producer (never
// started) and a worker: two instances on BullMQ, one and the same in
// process (the in-process queue only serves its own process).
import { afterEach, describe, expect, it } from 'vitest';
import type { JobQueue, JobStatus } from '../../src/ports/job-queue.port.js';

export interface JobQueueFactory {
  /** A new instance on the suite's queue; retries after ~50 ms. */
  open(): JobQueue;
  /** Whether a second open() sees the first one's jobs (separate processes can share the queue). */
  shared: boolean;
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function settled(queue: JobQueue, id: string, timeout = 10_000): Promise<JobStatus> {
  await expect
    .poll(async () => (await queue.status(id))?.state, { timeout, interval: 20 })
    .toMatch(/^(completed|failed)$/);
  return (await queue.status(id))!;
}

export function jobQueueContract(label: string, factory: () => JobQueueFactory): void {
  describe(`JobQueue contract: ${label}`, () => {
    const opened: JobQueue[] = [];
    const blockers: Deferred[] = [];
    let f: JobQueueFactory;
    const open = (): JobQueue => {
      f ??= factory();
      const queue = f.open();
      opened.push(queue);
      return queue;
    };
    /** A handler blocked until the test releases it, so a job can be held active. */
    const blocker = (): Deferred => {
      const d = deferred();
      blockers.push(d);
      return d;
    };
    const pair = (): { producer: JobQueue; worker: JobQueue } => {
      const producer = open();
      return { producer, worker: f.shared ? open() : producer };
    };
    afterEach(async () => {
      // Whatever a failed test left blocked must not hold close() up.
      for (const b of blockers.splice(0)) b.resolve();
      await Promise.all(opened.splice(0).map((q) => q.close()));
      f = undefined as unknown as JobQueueFactory;
    });

    it('runs an enqueued job once and reports it completed with its result', async () => {
      const queue = open();
      const seen: unknown[] = [];
      queue.handle('add', async (job) => {
        seen.push({ id: job.id, name: job.name, data: job.data });
        return { sum: (job.data.a as number) + (job.data.b as number) };
      });
      await queue.start();
      const before = Date.now();
      const id = await queue.enqueue('add', { a: 2, b: 3, at: new Date(0) });
      expect(typeof id).toBe('string');
      const status = await settled(queue, id);
      expect(status).toMatchObject({
        id,
        name: 'add',
        state: 'completed',
        result: { sum: 5 },
        // Data travels as JSON, on both adapters.
        data: { a: 2, b: 3, at: '1970-01-01T00:00:00.000Z' },
      });
      expect(status.error).toBeUndefined();
      expect(status.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(status.finishedAt!.getTime()).toBeGreaterThanOrEqual(status.createdAt.getTime());
      expect(seen).toEqual([{ id, name: 'add', data: { a: 2, b: 3, at: '1970-01-01T00:00:00.000Z' } }]);
      await sleep(100);
      expect(seen).toHaveLength(1);
    });

    it('reports no result when the handler returns nothing, and undefined for unknown ids', async () => {
      const queue = open();
      queue.handle('noop', async () => undefined);
      await queue.start();
      const status = await settled(queue, await queue.enqueue('noop', {}));
      expect(status.state).toBe('completed');
      expect(status.result).toBeUndefined();
      expect(await queue.status('no-such-job')).toBeUndefined();
    });

    it('shows a waiting job, then progress while it is active', async () => {
      const queue = open();
      const release = blocker();
      const reported = deferred();
      queue.handle('slow', async (job) => {
        await job.progress(40);
        reported.resolve();
        await release.promise;
        await job.progress(250); // clamped
        return 'done';
      });
      const id = await queue.enqueue('slow', { n: 1 });
      expect(await queue.status(id)).toMatchObject({ state: 'waiting', progress: 0, data: { n: 1 } });
      await queue.start();
      await reported.promise;
      await expect.poll(async () => (await queue.status(id))?.progress, { interval: 20 }).toBe(40);
      expect((await queue.status(id))!.state).toBe('active');
      release.resolve();
      const status = await settled(queue, id);
      expect(status).toMatchObject({ state: 'completed', progress: 100, result: 'done' });
    });

    it('marks a throwing job failed and keeps its error message', async () => {
      const queue = open();
      queue.handle('boom', async () => {
        throw new Error('zone example.com. is locked');
      });
      queue.handle('throws-a-string', async () => {
        throw 'plain string';
      });
      await queue.start();
      const failed = await settled(queue, await queue.enqueue('boom', {}));
      expect(failed).toMatchObject({ state: 'failed', error: 'zone example.com. is locked' });
      expect(failed.result).toBeUndefined();
      expect(failed.finishedAt).toBeInstanceOf(Date);
      const odd = await settled(queue, await queue.enqueue('throws-a-string', {}));
      expect(odd).toMatchObject({ state: 'failed', error: 'plain string' });
    });

    it('fails a job whose name has no handler, naming it', async () => {
      const queue = open();
      await queue.start();
      const status = await settled(queue, await queue.enqueue('nobody-handles-this', {}));
      expect(status.state).toBe('failed');
      expect(status.error).toContain('nobody-handles-this');
    });

    it('retries up to `attempts` times', async () => {
      const queue = open();
      let calls = 0;
      queue.handle('flaky', async () => {
        calls++;
        if (calls < 2) throw new Error(`attempt ${calls} failed`);
        return calls;
      });
      queue.handle('hopeless', async () => {
        throw new Error('always');
      });
      await queue.start();
      const ok = await settled(queue, await queue.enqueue('flaky', {}, { attempts: 3 }));
      expect(ok).toMatchObject({ state: 'completed', result: 2 });
      const bad = await settled(queue, await queue.enqueue('hopeless', {}, { attempts: 2 }));
      expect(bad).toMatchObject({ state: 'failed', error: 'always', attemptsMade: 2 });
    });

    it('runs jobs one at a time, in the order they were enqueued', async () => {
      const queue = open();
      const order: number[] = [];
      let running = 0;
      let overlap = false;
      queue.handle('seq', async (job) => {
        running++;
        if (running > 1) overlap = true;
        await sleep(10);
        order.push(job.data.n as number);
        running--;
      });
      const ids: string[] = [];
      for (let n = 1; n <= 5; n++) ids.push(await queue.enqueue('seq', { n }));
      expect(new Set(ids).size).toBe(5);
      await queue.start();
      await settled(queue, ids[4]!);
      expect(order).toEqual([1, 2, 3, 4, 5]);
      expect(overlap).toBe(false);
    });

    it('does not add a job again while one with its jobId is waiting or active, and replaces a finished one', async () => {
      const queue = open();
      const release = blocker();
      const started = deferred();
      let runs = 0;
      queue.handle('sign', async (job) => {
        runs++;
        started.resolve();
        await release.promise;
        return job.data.v;
      });
      // Waiting (not started yet).
      const id = await queue.enqueue('sign', { v: 1 }, { jobId: 'sign-example.com' });
      expect(id).toBe('sign-example.com');
      expect(await queue.enqueue('sign', { v: 2 }, { jobId: 'sign-example.com' })).toBe(id);
      expect((await queue.status(id))!.data).toEqual({ v: 1 });
      // Active.
      await queue.start();
      await started.promise;
      await expect.poll(async () => (await queue.status(id))?.state, { interval: 20 }).toBe('active');
      expect(await queue.enqueue('sign', { v: 3 }, { jobId: 'sign-example.com' })).toBe(id);
      release.resolve();
      expect(await settled(queue, id)).toMatchObject({ state: 'completed', result: 1 });
      expect(runs).toBe(1);
      // Finished: a new job under the same id.
      expect(await queue.enqueue('sign', { v: 4 }, { jobId: 'sign-example.com' })).toBe(id);
      await expect
        .poll(async () => (await queue.status(id))?.result, { interval: 20, timeout: 10_000 })
        .toBe(4);
      expect(runs).toBe(2);
    });

    it('refuses job ids BullMQ cannot take (integers, colons) and bad arguments', async () => {
      const queue = open();
      await expect(queue.enqueue('x', {}, { jobId: '42' })).rejects.toThrow(/integer/);
      await expect(queue.enqueue('x', {}, { jobId: 'a:b' })).rejects.toThrow(/:/);
      await expect(queue.enqueue('', {})).rejects.toThrow(/name/);
      await expect(queue.enqueue('x', {}, { attempts: 0 })).rejects.toThrow(/attempts/);
      await expect(queue.schedule('s', 0, 'x', {})).rejects.toThrow(/everyMs/);
      await expect(queue.schedule('s:1', 1000, 'x', {})).rejects.toThrow(/:/);
    });

    it('runs a scheduled job repeatedly until unscheduled', async () => {
      const queue = open();
      const runs: unknown[] = [];
      queue.handle('tick', async (job) => {
        runs.push(job.data.v);
      });
      await queue.start();
      await queue.schedule('ticker', 200, 'tick', { v: 1 });
      await expect.poll(() => runs.length, { timeout: 5_000, interval: 20 }).toBeGreaterThanOrEqual(3);
      // Upsert: same scheduler, new data.
      await queue.schedule('ticker', 200, 'tick', { v: 2 });
      await expect.poll(() => runs.at(-1), { timeout: 5_000, interval: 20 }).toBe(2);
      await queue.unschedule('ticker');
      await sleep(250); // a job already taken may still finish
      const after = runs.length;
      await sleep(700);
      expect(runs.length).toBe(after);
      await queue.unschedule('ticker'); // unknown now: harmless
      await queue.unschedule('never-existed');
    });

    it('keeps at most one waiting job per scheduler while nothing runs them', async () => {
      const { producer, worker } = pair();
      const runs: number[] = [];
      worker.handle('tick', async () => void runs.push(Date.now()));
      await producer.schedule('idle', 100, 'tick', {});
      await sleep(600); // ~6 periods with no worker running
      await worker.start();
      await expect.poll(() => runs.length, { timeout: 5_000, interval: 20 }).toBeGreaterThanOrEqual(1);
      await producer.unschedule('idle');
      await sleep(300);
      // The backlog is the one waiting job (plus at most one more added as it started), not six.
      expect(runs.length).toBeLessThanOrEqual(3);
    });

    it('close() waits for the active job, then refuses new work', async () => {
      const queue = open();
      const release = blocker();
      const started = deferred();
      let finished = false;
      queue.handle('long', async () => {
        started.resolve();
        await release.promise;
        finished = true;
        return 'ok';
      });
      await queue.start();
      await queue.enqueue('long', {});
      await started.promise;
      let closed = false;
      const closing = queue.close().then(() => (closed = true));
      await sleep(200);
      expect(closed).toBe(false);
      release.resolve();
      await closing;
      expect(finished).toBe(true);
      await expect(queue.close()).resolves.toBeUndefined(); // idempotent
      await expect(queue.enqueue('long', {})).rejects.toThrow(/closed/);
      await expect(queue.start()).rejects.toThrow(/closed/);
    });

    it('closes cleanly when never used, or never started', async () => {
      await expect(open().close()).resolves.toBeUndefined();
      const producer = open();
      await producer.enqueue('x', {});
      await expect(producer.close()).resolves.toBeUndefined();
    });

    it('runs a job enqueued by a producer that never starts on a worker that does', async () => {
      const { producer, worker } = pair();
      const ran: string[] = [];
      worker.handle('remote', async (job) => {
        ran.push(job.id);
        await job.progress(50);
        return { by: 'worker' };
      });
      const id = await producer.enqueue('remote', { zone: 'example.com.' });
      await sleep(100);
      expect((await producer.status(id))!.state).toBe('waiting');
      await worker.start();
      const status = await settled(producer, id);
      expect(status).toMatchObject({ state: 'completed', result: { by: 'worker' }, progress: 50 });
      expect(ran).toEqual([id]);
      expect(await worker.status(id)).toMatchObject({ state: 'completed' });
    });
  });
}
