// The in-process feed of the all-in-one process (no Redis). Delivery is
// deferred to a microtask queue rather than run inside publish(): the
// publisher (a request handler, right after its commit) never runs listener
// code on its stack, and an event published by a listener queues behind the
// ones already in flight, so every listener sees one global order.
import type { ChangeFeed, ZoneChanged } from '../../ports/change-feed.port.js';
import {
  assertZoneChanged,
  callListener,
  consoleLogger,
  describeError,
  safeWarn,
  toZoneChanged,
  type ChangeFeedLogger,
  type ChangeFeedStats,
} from './zone-changed.js';

type Listener = (event: ZoneChanged) => void;

interface Pending {
  event: ZoneChanged;
  // Who was subscribed at publish time: a later subscriber must not receive it.
  to: Listener[];
}

export interface MemoryChangeFeedOptions {
  logger?: ChangeFeedLogger;
}

export class MemoryChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<Listener>();
  private readonly queue: Pending[] = [];
  private draining = false;
  private closed = false;
  private readonly logger: ChangeFeedLogger;
  private readonly counters: ChangeFeedStats = {
    published: 0,
    delivered: 0,
    listenerErrors: 0,
    malformed: 0,
  };

  constructor(options: MemoryChangeFeedOptions = {}) {
    this.logger = options.logger ?? consoleLogger;
  }

  async publish(event: ZoneChanged): Promise<void> {
    if (this.closed) throw new Error('change feed is closed');
    assertZoneChanged(event);
    this.counters.published++;
    if (this.listeners.size === 0) return;
    this.queue.push({ event: toZoneChanged(event), to: [...this.listeners] });
    if (!this.draining) {
      this.draining = true;
      queueMicrotask(() => this.drain());
    }
  }

  async subscribe(listener: Listener): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('change feed is closed');
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry: Listener = (event) => listener(event);
    this.listeners.add(entry);
    return async () => {
      this.listeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.queue.length = 0;
  }

  stats(): ChangeFeedStats {
    return { ...this.counters };
  }

  private drain(): void {
    try {
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        for (const listener of item.to) {
          // Unsubscribed (or closed) since publish: stop at once, as promised.
          if (!this.listeners.has(listener)) continue;
          this.counters.delivered++;
          callListener(listener, item.event, (error) => this.listenerFailed(item.event, error));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private listenerFailed(event: ZoneChanged, error: unknown): void {
    this.counters.listenerErrors++;
    safeWarn(this.logger, `listener failed on ${event.zone} serial ${event.serial}: ${describeError(error)}`);
  }
}
