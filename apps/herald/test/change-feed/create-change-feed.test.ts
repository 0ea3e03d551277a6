import { describe, expect, it } from 'vitest';
import {
  createChangeFeed,
  MemoryChangeFeed,
  RedisChangeFeed,
} from '../../src/adapters/change-feed/create-change-feed.js';

describe('createChangeFeed', () => {
  it('uses the in-memory feed when no Redis URL is given (or it is blank)', async () => {
    for (const config of [undefined, {}, { redisUrl: '' }, { redisUrl: '  ' }]) {
      const feed = createChangeFeed(config);
      expect(feed).toBeInstanceOf(MemoryChangeFeed);
      await feed.close();
    }
  });

  it('uses Redis when a URL is given, without connecting until first use', async () => {
    // Port 1 refuses connections: a connection attempt at construction would log a warning.
    const warnings: string[] = [];
    const feed = createChangeFeed({
      redisUrl: 'redis://127.0.0.1:1',
      channel: 'herald:test',
      logger: { warn: (m) => void warnings.push(m) },
    });
    expect(feed).toBeInstanceOf(RedisChangeFeed);
    expect((feed as RedisChangeFeed).channel).toBe('herald:test');
    await feed.close();
    expect(warnings).toEqual([]);
  });
});
