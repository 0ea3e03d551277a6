import { describe, expect, it } from 'vitest';
import { MemoryChangeFeed } from '../../src/adapters/change-feed/memory-change-feed.js';
import type { ZoneChanged } from '../../src/ports/change-feed.port.js';
import { changeFeedContract, received, recorder } from './change-feed.contract.js';

const quiet = { warn: () => {} };

changeFeedContract('in-memory', () => new MemoryChangeFeed({ logger: quiet }));

describe('MemoryChangeFeed', () => {
  it('never runs listeners on the publisher’s stack', async () => {
    const feed = new MemoryChangeFeed({ logger: quiet });
    const r = recorder();
    await feed.subscribe(r.listener);
    const publishing = feed.publish({ zone: 'a.test.', serial: 1 });
    expect(r.events).toEqual([]);
    await publishing;
    await received(r, 1);
    await feed.close();
  });

  it('queues an event published by a listener behind the one being delivered', async () => {
    const feed = new MemoryChangeFeed({ logger: quiet });
    const seen: string[] = [];
    await feed.subscribe((e) => {
      seen.push(`first:${e.serial}`);
      if (e.serial === 1) void feed.publish({ zone: 'a.test.', serial: 2 });
    });
    await feed.subscribe((e) => void seen.push(`second:${e.serial}`));
    await feed.publish({ zone: 'a.test.', serial: 1 });
    await expect.poll(() => seen.length).toBe(4);
    expect(seen).toEqual(['first:1', 'second:1', 'first:2', 'second:2']);
    await feed.close();
  });

  it('counts listener failures and reports them without the publisher noticing', async () => {
    const warnings: string[] = [];
    const feed = new MemoryChangeFeed({ logger: { warn: (m) => void warnings.push(m) } });
    await feed.subscribe(() => {
      throw new Error('boom');
    });
    const r = recorder();
    await feed.subscribe(r.listener);
    const event: ZoneChanged = { zone: 'a.test.', serial: 9 };
    await feed.publish(event);
    await received(r, 1);
    expect(feed.stats()).toMatchObject({ published: 1, delivered: 2, listenerErrors: 1, malformed: 0 });
    expect(warnings).toEqual(['listener failed on a.test. serial 9: Error: boom']);
    await feed.close();
  });

  it('keeps delivering when the logger itself throws', async () => {
    const feed = new MemoryChangeFeed({
      logger: {
        warn: () => {
          throw new Error('logger down');
        },
      },
    });
    await feed.subscribe(() => {
      throw new Error('boom');
    });
    const r = recorder();
    await feed.subscribe(r.listener);
    await feed.publish({ zone: 'a.test.', serial: 1 });
    await feed.publish({ zone: 'a.test.', serial: 2 });
    await received(r, 2);
    await feed.close();
  });
});
