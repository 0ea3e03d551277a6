// The feed between processes: Redis pub/sub on one channel, JSON payloads.
//
// Delivery is at most once. Pub/sub keeps nothing: an event published while
// a subscriber is disconnected (Redis restart, network blip, edge restart) is
// lost for that subscriber. That only delays an edge, never corrupts it: the
// event is a hint, edges also poll `changes?since=<serial>`, and the next
// event for the zone carries a newer serial anyway. A durable queue (streams,
// BullMQ) would buy nothing here but more state to operate.
//
// Two connections, because a Redis connection in subscriber mode can run no
// other command. Each is opened on first use, so a process that only
// publishes (API) or only subscribes (edge) holds one. ioredis reconnects
// both and re-subscribes the channel by itself.
import { Redis, type RedisOptions, type RedisStatus } from 'ioredis';
import type { ChangeFeed, ZoneChanged } from '../../ports/change-feed.port.js';
import {
  assertZoneChanged,
  callListener,
  consoleLogger,
  describeError,
  safeWarn,
  toZoneChanged,
  zoneChangedProblem,
  type ChangeFeedLogger,
  type ChangeFeedStats,
} from './zone-changed.js';

export const DEFAULT_CHANGE_CHANNEL = 'herald:zone-changes';

// A valid event is well under 1 KiB; anything far larger is not ours and is not worth parsing.
const MAX_MESSAGE_LENGTH = 4096;

type Listener = (event: ZoneChanged) => void;

export interface RedisChangeFeedOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`; never logged. */
  url: string;
  channel?: string;
  /** Prefix of the connection names shown by `CLIENT LIST` (`<name>:pub`, `<name>:sub`). */
  connectionName?: string;
  logger?: ChangeFeedLogger;
}

export class RedisChangeFeed implements ChangeFeed {
  readonly channel: string;
  private readonly url: string;
  private readonly connectionName: string;
  private readonly logger: ChangeFeedLogger;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private subscribed: Promise<void> | undefined;
  private readonly listeners = new Set<Listener>();
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly counters: ChangeFeedStats = {
    published: 0,
    delivered: 0,
    listenerErrors: 0,
    malformed: 0,
  };

  constructor(options: RedisChangeFeedOptions) {
    this.url = options.url;
    this.channel = options.channel ?? DEFAULT_CHANGE_CHANNEL;
    this.connectionName = options.connectionName ?? 'herald-change-feed';
    this.logger = options.logger ?? consoleLogger;
  }

  async publish(event: ZoneChanged): Promise<void> {
    if (this.closed) throw new Error('change feed is closed');
    assertZoneChanged(event);
    this.publisher ??= this.connect('pub');
    // One connection, commands pipelined in call order: Redis delivers in publish order.
    await this.publisher.publish(this.channel, JSON.stringify(toZoneChanged(event)));
    this.counters.published++;
  }

  async subscribe(listener: Listener): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('change feed is closed');
    const subscriber = this.ensureSubscribed();
    await this.subscribed;
    // Replies and messages share one ordered stream: once PONG is back, every
    // message published before this call has already been dispatched, so the
    // new listener starts exactly at "published after subscribe resolved".
    await subscriber.ping();
    if (this.closed) throw new Error('change feed is closed');
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry: Listener = (event) => listener(event);
    this.listeners.add(entry);
    // The channel stays subscribed while no listener is left: edges subscribe
    // once for their lifetime, and close() ends the connection anyway.
    return async () => {
      this.listeners.delete(entry);
    };
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.closing ??= Promise.all([end(this.publisher), end(this.subscriber)]).then(() => undefined);
    return this.closing;
  }

  stats(): ChangeFeedStats {
    return { ...this.counters };
  }

  private ensureSubscribed(): Redis {
    if (!this.subscriber) {
      const subscriber = this.connect('sub');
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === this.channel) this.receive(message);
      });
      this.subscriber = subscriber;
    }
    if (!this.subscribed) {
      const attempt = this.subscriber.subscribe(this.channel).then(() => undefined);
      // A failed SUBSCRIBE (Redis down at start) is retried by the next subscribe() call.
      attempt.catch(() => {
        if (this.subscribed === attempt) this.subscribed = undefined;
      });
      this.subscribed = attempt;
    }
    return this.subscriber;
  }

  private receive(message: string): void {
    const event = parse(message);
    if (typeof event === 'string') {
      this.counters.malformed++;
      // Counted always, logged at 1, 2, 4, 8, … so a flood cannot flood the log too.
      const n = this.counters.malformed;
      if ((n & (n - 1)) === 0) {
        safeWarn(this.logger, `dropped a malformed message on ${this.channel} (${event}); ${n} so far`);
      }
      return;
    }
    for (const listener of [...this.listeners]) {
      if (!this.listeners.has(listener)) continue;
      this.counters.delivered++;
      callListener(listener, event, (error) => {
        this.counters.listenerErrors++;
        safeWarn(
          this.logger,
          `listener failed on ${event.zone} serial ${event.serial}: ${describeError(error)}`,
        );
      });
    }
  }

  private connect(role: 'pub' | 'sub'): Redis {
    const options: RedisOptions = {
      lazyConnect: true,
      connectionName: `${this.connectionName}:${role}`,
      // Fail a publish or the first SUBSCRIBE after one reconnect attempt
      // instead of holding it for minutes: the caller has committed already
      // and moves on; edges catch up by polling.
      maxRetriesPerRequest: 1,
    };
    const redis = new Redis(this.url, options);
    // Log the first failure of an outage and the recovery, not every retry.
    let healthy = true;
    redis.on('error', (error: unknown) => {
      if (!healthy || this.closed) return;
      healthy = false;
      safeWarn(this.logger, `redis ${role} connection: ${describeError(error)}; retrying`);
    });
    redis.on('ready', () => {
      if (healthy) return;
      healthy = true;
      safeWarn(this.logger, `redis ${role} connection restored`);
    });
    return redis;
  }
}

/** The event, or why the message is not one. */
function parse(message: string): ZoneChanged | string {
  if (message.length > MAX_MESSAGE_LENGTH) return `${message.length} characters, too long`;
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return 'not JSON';
  }
  const problem = zoneChangedProblem(value);
  return problem ?? (value as ZoneChanged);
}

async function end(redis: Redis | undefined): Promise<void> {
  if (!redis) return;
  // Read afresh each time: the status moves on while we await.
  const status = (): RedisStatus => redis.status;
  if (status() === 'end') return;
  // Resolves once the socket is really gone, so nothing outlives close().
  const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
  if (status() === 'ready') {
    try {
      await redis.quit();
      if (status() !== 'end') await ended;
      return;
    } catch {
      // Fall through: drop the socket instead.
    }
  }
  // Not connected: QUIT would wait for a connection that may never come.
  // Between retries there is no socket left, and disconnect() only cancels
  // the timer (no 'end' follows), so there is nothing to wait for.
  const waiting = status() === 'reconnecting';
  redis.disconnect();
  if (!waiting && status() !== 'end') await ended;
}
