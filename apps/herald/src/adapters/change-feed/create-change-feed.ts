// Picks the adapter from configuration: Redis when REDIS_URL is set (any
// number of processes), in-memory otherwise (the all-in-one process only:
// another process would never see these events).
import type { ChangeFeed } from '../../ports/change-feed.port.js';
import { MemoryChangeFeed } from './memory-change-feed.js';
import { RedisChangeFeed } from './redis-change-feed.js';
import type { ChangeFeedLogger, ChangeFeedStats } from './zone-changed.js';

export interface ChangeFeedConfig {
  /** Typically `process.env.REDIS_URL`; unset or blank selects the in-memory feed. */
  redisUrl?: string;
  /** Overrides `herald:zone-changes`, e.g. to share one Redis between installations. */
  channel?: string;
  logger?: ChangeFeedLogger;
}

/** Both adapters also expose counters, for /metrics. */
export type ObservableChangeFeed = ChangeFeed & { stats(): ChangeFeedStats };

export function createChangeFeed(config: ChangeFeedConfig = {}): ObservableChangeFeed {
  const url = config.redisUrl?.trim();
  if (url) {
    return new RedisChangeFeed({ url, channel: config.channel, logger: config.logger });
  }
  return new MemoryChangeFeed({ logger: config.logger });
}

export { MemoryChangeFeed } from './memory-change-feed.js';
export { RedisChangeFeed, DEFAULT_CHANGE_CHANNEL } from './redis-change-feed.js';
export type { ChangeFeedLogger, ChangeFeedStats } from './zone-changed.js';
