// Runs the JobQueue contract on BullMQ, plus what only Redis can get wrong:
// several instances (processes) on one queue, real connections. Needs
// REDIS_URL (e.g. redis://127.0.0.1:6379); every test uses its own key prefix
// and obliterates its queue afterwards.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BullMqJobQueue } from '../../src/adapters/queue/bullmq-job-queue.js';
import { jobQueueContract, settled } from './job-queue.contract.js';

const REDIS_URL = process.env.REDIS_URL?.trim() ?? '';

if (!REDIS_URL) {
  console.log(
    'BullMQ JobQueue contract suite NOT run: REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379)',
  );
}

const quiet = { warn: () => {} };

describe.runIf(REDIS_URL)('BullMqJobQueue', () => {
  let prefix = '';
  const open = (options: { connectionName?: string } = {}) =>
    new BullMqJobQueue({ url: REDIS_URL, prefix, logger: quiet, retryDelayMs: 50, ...options });
  beforeEach(() => {
    prefix = `herald-test-${randomUUID()}`;
  });
  afterEach(async () => {
    // Runs after the contract's own afterEach has closed its instances.
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('herald-jobs', { connection, prefix });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
      await connection.quit();
    }
  });

  jobQueueContract('BullMQ', () => ({ open: () => open(), shared: true }));

  describe('BullMQ-specific', () => {
    const queues: BullMqJobQueue[] = [];
    afterEach(async () => {
      await Promise.all(queues.splice(0).map((q) => q.close()));
    });
    const track = (q: BullMqJobQueue) => (queues.push(q), q);

    it('spreads jobs over several workers and runs each job once', async () => {
      const producer = track(open());
      const ran = new Map<string, string[]>();
      for (const name of ['w1', 'w2']) {
        const worker = track(open());
        worker.handle('work', async (job) => {
          ran.set(job.id, [...(ran.get(job.id) ?? []), name]);
          await new Promise((r) => setTimeout(r, 20));
        });
        await worker.start();
      }
      const ids = await Promise.all(Array.from({ length: 10 }, (_, n) => producer.enqueue('work', { n })));
      for (const id of ids) expect((await settled(producer, id)).state).toBe('completed');
      expect([...ran.values()].every((by) => by.length === 1)).toBe(true);
      expect(ran.size).toBe(10);
    });

    it('keeps finished jobs with a retention policy and the Redis keys under the prefix', async () => {
      const queue = track(open());
      queue.handle('x', async () => 1);
      await queue.start();
      const id = await queue.enqueue('x', {});
      await settled(queue, id);
      const raw = new Redis(REDIS_URL);
      try {
        const keys = await raw.keys(`${prefix}:herald-jobs:*`);
        expect(keys).toContain(`${prefix}:herald-jobs:${id}`);
        const opts = JSON.parse((await raw.hget(`${prefix}:herald-jobs:${id}`, 'opts')) ?? '{}');
        expect(opts.removeOnComplete).toEqual({ age: 86_400, count: 1000 });
        expect(opts.removeOnFail).toEqual({ age: 86_400, count: 1000 });
      } finally {
        await raw.quit();
      }
    });

    it('opens connections only when used, and close() quits them all', async () => {
      const name = `herald-test-${randomUUID().slice(0, 8)}`;
      const raw = new Redis(REDIS_URL);
      const clients = async (): Promise<string[]> => {
        const list = (await raw.client('LIST')) as string;
        return [...list.matchAll(new RegExp(`name=(${name}:\\w+)`, 'g'))].map((m) => m[1] ?? '').sort();
      };
      try {
        const queue = open({ connectionName: name });
        expect(await clients()).toEqual([]);
        await queue.enqueue('x', {});
        expect(await clients()).toEqual([`${name}:queue`]);
        await queue.start();
        // The worker's own connection (BullMQ's blocking duplicate is named by BullMQ).
        await vi.waitFor(async () => expect(await clients()).toContain(`${name}:worker`), { timeout: 2_000 });
        await queue.close();
        await vi.waitFor(async () => expect(await clients()).toEqual([]), { timeout: 2_000 });
      } finally {
        await raw.quit();
      }
    });
  });

  describe('when Redis is unreachable', () => {
    it('rejects enqueue within seconds, logs without the URL, and still closes', async () => {
      const warnings: string[] = [];
      const queue = new BullMqJobQueue({
        url: 'redis://herald:hunter2-secret@127.0.0.1:1',
        prefix,
        logger: { warn: (m) => void warnings.push(m) },
      });
      const started = Date.now();
      await expect(queue.enqueue('x', {})).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(warnings.join('\n')).not.toMatch(/hunter2/);
      await queue.close();
    }, 20_000);
  });
});
