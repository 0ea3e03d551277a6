import { describe, expect, it } from 'vitest';
import { BullMqJobQueue, createJobQueue, MemoryJobQueue } from '../../src/adapters/queue/create-job-queue.js';

describe('createJobQueue', () => {
  it('uses the in-process queue when no Redis URL is given (or it is blank)', async () => {
    for (const config of [undefined, {}, { redisUrl: '' }, { redisUrl: '  ' }]) {
      const queue = createJobQueue(config);
      expect(queue).toBeInstanceOf(MemoryJobQueue);
      await queue.close();
    }
  });

  it('uses BullMQ when a URL is given, without connecting until first use', async () => {
    // Port 1 refuses connections: a connection attempt at construction would log a warning.
    const warnings: string[] = [];
    const queue = createJobQueue({
      redisUrl: 'redis://127.0.0.1:1',
      prefix: 'herald-test',
      logger: { warn: (m) => void warnings.push(m) },
    });
    expect(queue).toBeInstanceOf(BullMqJobQueue);
    expect((queue as BullMqJobQueue).prefix).toBe('herald-test');
    expect((queue as BullMqJobQueue).queueName).toBe('herald-jobs');
    await queue.close();
    expect(warnings).toEqual([]);
  });
});
