// The job queue in the processes: `herald api` runs jobs itself without
// REDIS_URL; with it the api only enqueues and `herald worker` (startWorker)
// runs them, with the same dependencies the API is built from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/process/config.js';
import type { JobDependencies } from '../../src/process/runtime.js';
import { startApi, type ApiHandle } from '../../src/process/start-api.js';
import { startWorker, type WorkerHandle } from '../../src/process/start-worker.js';
import { settled } from '../queue/job-queue.contract.js';
import { createTemporaryDatabase } from '../support/temporary-database.js';

const REDIS_URL = process.env.REDIS_URL?.trim() ?? '';
const DATABASE_URL = process.env.DATABASE_URL?.trim() ?? '';
const MASTER_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 7)).toString('base64');

const quiet = { write: () => true };
const text = () => {
  let all = '';
  return { write: (s: string) => ((all += s), true), text: () => all };
};
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'herald-jobs-'));

describe('startWorker refuses a start it cannot do, before any I/O', () => {
  it('without REDIS_URL: a ConfigError naming REDIS_URL', async () => {
    const config = loadConfig({ HERALD_DATA_DIR: '/nonexistent/never-created' });
    await expect(startWorker(config, { stdout: quiet, stderr: quiet })).rejects.toMatchObject({
      name: 'ConfigError',
      variable: 'REDIS_URL',
      message: expect.stringContaining('herald worker needs REDIS_URL'),
    });
  });

  it('without DATABASE_URL (the embedded database is single-process): a ConfigError naming DATABASE_URL', async () => {
    const config = loadConfig({
      HERALD_DATA_DIR: '/nonexistent/never-created',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    const error = await startWorker(config, { stdout: quiet, stderr: quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variable: 'DATABASE_URL' });
  });

  it('HERALD_QUEUE_PREFIX is checked', () => {
    expect(loadConfig({ HERALD_QUEUE_PREFIX: 'prod-1' }).queuePrefix).toBe('prod-1');
    expect(() => loadConfig({ HERALD_QUEUE_PREFIX: 'a:b' })).toThrow(/HERALD_QUEUE_PREFIX must be/);
  });
});

describe('the all-in-one api (no REDIS_URL) runs its jobs itself', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('registers handlers with the API’s dependencies, starts the in-process queue, closes it on close()', async () => {
    let deps: JobDependencies | undefined;
    const out = text();
    const handle: ApiHandle = await startApi(
      loadConfig({ HERALD_DATA_DIR: dir, HERALD_API_LISTEN: '127.0.0.1:0' }),
      {
        stdout: out,
        stderr: quiet,
        handleSignals: false,
        registerJobs: (queue, d) => {
          deps = d;
          queue.handle('count-zones', async () => (await d.zoneStore.ping(), 'pong'));
        },
      },
    );
    try {
      expect(Object.keys(deps!).sort()).toEqual(
        ['authStore', 'changeFeed', 'clock', 'edgeRegistry', 'secretBox', 'zoneDefaults', 'zoneStore'].sort(),
      );
      expect(deps!.secretBox.keyId).toMatch(/\S/);
      expect(out.text()).toContain('job queue: in-process (this process only)');
      const id = await handle.jobQueue.enqueue('count-zones', {});
      expect(await settled(handle.jobQueue, id)).toMatchObject({ state: 'completed', result: 'pong' });
    } finally {
      await handle.close();
    }
    await expect(handle.jobQueue.enqueue('count-zones', {})).rejects.toThrow(/closed/);
  }, 90_000);
});

if (!REDIS_URL || !DATABASE_URL)
  console.log(
    'herald worker process tests NOT run: they need REDIS_URL and DATABASE_URL (e.g. REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)',
  );

describe.runIf(REDIS_URL && DATABASE_URL)('herald api + herald worker on PostgreSQL and Redis', () => {
  it('the api only enqueues; the worker runs the job with its own dependencies and stops after it', async () => {
    const db = await createTemporaryDatabase(DATABASE_URL);
    const dir = tempDir();
    const prefix = `herald-test-${randomUUID()}`;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      HERALD_MASTER_KEY: MASTER_KEY,
      HERALD_QUEUE_PREFIX: prefix,
      HERALD_DATA_DIR: dir,
      HERALD_API_LISTEN: '127.0.0.1:0',
    };
    let api: ApiHandle | undefined;
    let worker: WorkerHandle | undefined;
    const ranIn: string[] = [];
    try {
      api = await startApi(loadConfig(env), {
        stdout: quiet,
        stderr: quiet,
        handleSignals: false,
        registerJobs: (queue) => queue.handle('where', async () => void ranIn.push('api')),
      });
      // Not started in the api (REDIS_URL set, not the all-in-one): the job waits.
      const id = await api.jobQueue.enqueue('where', { zone: 'example.com.' });
      await new Promise((r) => setTimeout(r, 300));
      expect((await api.jobQueue.status(id))?.state).toBe('waiting');

      const out = text();
      worker = await startWorker(loadConfig(env), {
        stdout: out,
        stderr: quiet,
        handleSignals: false,
        register: (queue, deps) =>
          queue.handle('where', async (job) => {
            ranIn.push('worker');
            await deps.zoneStore.ping();
            return { zone: job.data.zone, sealed: deps.secretBox.keyId.length > 0 };
          }),
      });
      expect(out.text()).toContain('job queue: BullMQ (REDIS_URL)');
      expect(out.text()).toContain('herald worker: running jobs');
      expect(out.text()).not.toContain(REDIS_URL);
      expect(await settled(api.jobQueue, id)).toMatchObject({
        state: 'completed',
        result: { zone: 'example.com.', sealed: true },
      });
      expect(ranIn).toEqual(['worker']);
      await worker.close();
      await worker.closed;
    } finally {
      await worker?.close();
      await api?.close();
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      const queue = new Queue('herald-jobs', { connection, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
