// Change-feed subscription over Redis pub/sub (the channel herald publishes
// on). Events are hints: a malformed one is ignored, a lost one is caught by
// the poll. ioredis reconnects and re-subscribes by itself.
import { Redis } from 'ioredis';
import type { ZoneChangedEvent } from '../process/start-edge.js';

export const CHANGE_CHANNEL = 'herald:zone-changes';

export function parseEvent(text: string): ZoneChangedEvent | undefined {
  if (text.length > 4096) return undefined;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (typeof v.zone !== 'string' || !v.zone.endsWith('.') || v.zone.length > 255) return undefined;
    if (typeof v.serial !== 'number' || !Number.isInteger(v.serial) || v.serial < 0 || v.serial > 0xffffffff)
      return undefined;
    return { zone: v.zone, serial: v.serial, ...(v.deleted === true ? { deleted: true as const } : {}) };
  } catch {
    return undefined;
  }
}

export async function subscribeRedis(
  url: string,
  listener: (event: ZoneChangedEvent) => void,
  warn: (text: string) => void,
): Promise<() => Promise<void>> {
  const redis = new Redis(url, {
    connectionName: 'herald-edge:sub',
    lazyConnect: true,
    maxRetriesPerRequest: null,
    // Keep trying forever, at most every 5 s: the poll covers the gap.
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  let warned = false;
  redis.on('error', (e: Error) => {
    if (!warned) warn(`edge: change feed (Redis) unavailable: ${e.message}; polling herald meanwhile`);
    warned = true;
  });
  redis.on('ready', () => (warned = false));
  redis.on('message', (_channel: string, message: string) => {
    const event = parseEvent(message);
    if (event) listener(event);
  });
  // Subscribing must not block the start: the edge answers from its local copy regardless.
  redis.subscribe(CHANGE_CHANNEL).catch(() => {});
  return async () => {
    redis.disconnect();
  };
}
