import { describe, expect, it } from 'vitest';
import { MemoryJobQueue } from '../../src/adapters/queue/memory-job-queue.js';
import { jobQueueContract, settled } from './job-queue.contract.js';

const quiet = { warn: () => {} };

jobQueueContract('in-process', () => ({
  open: () => new MemoryJobQueue({ logger: quiet, retryDelayMs: 50 }),
  shared: false,
}));

describe('MemoryJobQueue', () => {
  it('never runs a handler on the caller’s stack', async () => {
    const queue = new MemoryJobQueue({ logger: quiet });
    const ran: string[] = [];
    queue.handle('x', async (job) => void ran.push(job.id));
    await queue.start();
    const id = await queue.enqueue('x', {});
    expect(ran).toEqual([]);
    await settled(queue, id);
    expect(ran).toEqual([id]);
    await queue.close();
  });

  it('keeps a bounded history of finished jobs, dropping the oldest', async () => {
    let now = 1_000_000;
    const queue = new MemoryJobQueue({
      logger: quiet,
      retention: { count: 3, ageSeconds: 60 },
      now: () => now,
    });
    queue.handle('x', async (job) => job.data.n);
    await queue.start();
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) {
      ids.push(await queue.enqueue('x', { n }));
      await settled(queue, ids.at(-1)!);
    }
    expect(await queue.status(ids[0]!)).toBeUndefined();
    expect(await queue.status(ids[1]!)).toBeUndefined();
    expect((await queue.status(ids[4]!))?.result).toBe(5);
    now += 61_000;
    expect(await queue.status(ids[4]!)).toBeUndefined();
    await queue.close();
  });

  it('logs a job that failed for good, once', async () => {
    const warnings: string[] = [];
    const queue = new MemoryJobQueue({ logger: { warn: (m) => void warnings.push(m) }, retryDelayMs: 10 });
    queue.handle('bad', async () => {
      throw new Error('nope');
    });
    await queue.start();
    const id = await queue.enqueue('bad', {}, { attempts: 2 });
    await settled(queue, id);
    expect(warnings).toEqual([`job bad (${id}) failed after 2 attempt(s): Error: nope`]);
    await queue.close();
  });

  it('holds no timer that keeps the process alive, and clears them on close', async () => {
    const queue = new MemoryJobQueue({ logger: quiet });
    await queue.schedule('s', 60_000, 'x', {});
    await queue.close();
    await expect(queue.schedule('s', 60_000, 'x', {})).rejects.toThrow(/closed/);
  });
});
