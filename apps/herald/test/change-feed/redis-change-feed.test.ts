// Runs the ChangeFeed contract on Redis, plus what only Redis can get wrong:
// foreign messages on the channel, several processes, real connections.
// Needs REDIS_URL (e.g. redis://127.0.0.1:6379); every test uses its own channel.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RedisChangeFeed } from '../../src/adapters/change-feed/redis-change-feed.js';
import type { ZoneChanged } from '../../src/ports/change-feed.port.js';
import { changeFeedContract, received, recorder } from './change-feed.contract.js';

const REDIS_URL = process.env.REDIS_URL?.trim() ?? '';

if (!REDIS_URL) {
  console.log(
    'Redis ChangeFeed contract suite NOT run: REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379)',
  );
}

const quiet = { warn: () => {} };

describe.runIf(REDIS_URL)('RedisChangeFeed', () => {
  let channel = '';
  const feeds: RedisChangeFeed[] = [];
  const feed = (connectionName?: string): RedisChangeFeed => {
    const f = new RedisChangeFeed({ url: REDIS_URL, channel, connectionName, logger: quiet });
    feeds.push(f);
    return f;
  };
  beforeEach(() => {
    channel = `herald:test:zone-changes:${randomUUID()}`;
  });
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((f) => f.close()));
  });

  changeFeedContract('Redis', () => new RedisChangeFeed({ url: REDIS_URL, channel, logger: quiet }));

  describe('Redis-specific', () => {
    let raw: Redis;
    beforeEach(() => {
      raw = new Redis(REDIS_URL, { lazyConnect: true });
    });
    afterEach(async () => {
      await raw.quit();
    });

    it('drops and counts malformed messages on the channel; the next good one still arrives', async () => {
      const warnings: string[] = [];
      const f = new RedisChangeFeed({
        url: REDIS_URL,
        channel,
        logger: { warn: (m) => void warnings.push(m) },
      });
      feeds.push(f);
      const r = recorder();
      await f.subscribe(r.listener);
      const garbage = [
        'not json',
        '',
        'null',
        '[1,2]',
        '{"zone":"Example.com.","serial":1}',
        '{"zone":"example.com.","serial":-1}',
        '{"zone":"example.com.","serial":1,"deleted":"yes"}',
        JSON.stringify({ zone: 'example.com.', serial: 1, padding: 'x'.repeat(10_000) }),
      ];
      for (const message of garbage) await raw.publish(channel, message);
      await f.publish({ zone: 'example.com.', serial: 2 });
      await received(r, 1);
      expect(r.events).toEqual([{ zone: 'example.com.', serial: 2 }]);
      expect(f.stats()).toMatchObject({ malformed: garbage.length, delivered: 1 });
      // Logged at 1, 2, 4 and 8 only, and never with the payload.
      expect(warnings).toHaveLength(4);
      expect(warnings.join('\n')).not.toContain('Example.com');
    });

    it('ignores messages on other channels', async () => {
      const f = feed();
      const r = recorder();
      await f.subscribe(r.listener);
      await raw.publish(`${channel}:other`, JSON.stringify({ zone: 'other.test.', serial: 1 }));
      await f.publish({ zone: 'mine.test.', serial: 1 });
      await received(r, 1);
      expect(r.events).toEqual([{ zone: 'mine.test.', serial: 1 }]);
      expect(f.stats().malformed).toBe(0);
    });

    it('lets separate feed instances (separate processes) see each other’s events, in order per publisher', async () => {
      const a = feed();
      const b = feed();
      const atA = recorder();
      const atB = recorder();
      await a.subscribe(atA.listener);
      await b.subscribe(atB.listener);
      const fromA = Array.from({ length: 50 }, (_, i): ZoneChanged => ({ zone: 'a.test.', serial: i + 1 }));
      const fromB = Array.from({ length: 50 }, (_, i): ZoneChanged => ({ zone: 'b.test.', serial: i + 1 }));
      await Promise.all([...fromA.map((e) => a.publish(e)), ...fromB.map((e) => b.publish(e))]);
      for (const r of [atA, atB]) {
        await received(r, 100);
        expect(r.events.filter((e) => e.zone === 'a.test.')).toEqual(fromA);
        expect(r.events.filter((e) => e.zone === 'b.test.')).toEqual(fromB);
      }
    });

    it('opens a connection per role only when used, and close() quits them all', async () => {
      const name = `herald-test-${randomUUID().slice(0, 8)}`;
      const clients = async (): Promise<string[]> => {
        const list = (await raw.client('LIST')) as string;
        return [...list.matchAll(new RegExp(`name=(${name}:\\w+)`, 'g'))].map((m) => m[1] ?? '').sort();
      };
      const f = feed(name);
      expect(await clients()).toEqual([]);
      await f.publish({ zone: 'a.test.', serial: 1 });
      expect(await clients()).toEqual([`${name}:pub`]);
      await f.subscribe(() => {});
      expect(await clients()).toEqual([`${name}:pub`, `${name}:sub`]);
      await f.close();
      await vi.waitFor(async () => expect(await clients()).toEqual([]), { timeout: 2_000 });
    });
  });

  describe('when Redis is unreachable', () => {
    it('rejects publish and subscribe quickly, logs once without the URL, and still closes', async () => {
      const warnings: string[] = [];
      // Port 1 refuses connections; the password must never reach a log line.
      const f = new RedisChangeFeed({
        url: 'redis://herald:hunter2-secret@127.0.0.1:1',
        channel,
        logger: { warn: (m) => void warnings.push(m) },
      });
      feeds.push(f);
      const started = Date.now();
      await expect(f.publish({ zone: 'a.test.', serial: 1 })).rejects.toThrow();
      await expect(f.subscribe(() => {})).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThanOrEqual(2); // one per connection, not one per retry
      expect(warnings.join('\n')).not.toMatch(/hunter2|herald:/);
      await f.close();
    });
  });
});
