// The behaviour every ChangeFeed adapter must share. Each adapter's test file
// calls changeFeedContract with a factory; the contract closes what it opens.
//
// Absence of delivery is checked without sleeping: a control listener that is
// still subscribed receives a later marker event, and since delivery keeps
// publish order, anything the other listener should not get would have
// arrived before the marker.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeFeed, ZoneChanged } from '../../src/ports/change-feed.port.js';

export type ChangeFeedFactory = () => ChangeFeed | Promise<ChangeFeed>;

export interface Recorder {
  events: ZoneChanged[];
  listener: (event: ZoneChanged) => void;
}

export function recorder(): Recorder {
  const events: ZoneChanged[] = [];
  return { events, listener: (event) => void events.push(event) };
}

/** Waits until `recorder` has received at least `count` events. */
export async function received(recorder: Recorder, count: number): Promise<void> {
  await vi.waitFor(
    () => {
      if (recorder.events.length < count) {
        throw new Error(`received ${recorder.events.length} of ${count} events`);
      }
    },
    { timeout: 5_000, interval: 5 },
  );
}

const ev = (zone: string, serial: number): ZoneChanged => ({ zone, serial });

export function changeFeedContract(name: string, factory: ChangeFeedFactory): void {
  describe(`ChangeFeed contract: ${name}`, () => {
    const opened: ChangeFeed[] = [];
    const open = async (): Promise<ChangeFeed> => {
      const feed = await factory();
      opened.push(feed);
      return feed;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((feed) => feed.close()));
    });

    it('delivers every event to every subscriber', async () => {
      const feed = await open();
      const subscribers = [recorder(), recorder(), recorder()];
      for (const s of subscribers) await feed.subscribe(s.listener);
      const events = [ev('example.com.', 1), ev('example.org.', 7), ev('example.com.', 2)];
      for (const e of events) await feed.publish(e);
      for (const s of subscribers) {
        await received(s, 3);
        expect(s.events).toEqual(events);
      }
    });

    it('keeps publish order, also for publishes not awaited one by one', async () => {
      const feed = await open();
      const r = recorder();
      await feed.subscribe(r.listener);
      const serials = Array.from({ length: 200 }, (_, i) => i + 1);
      await Promise.all(serials.map((serial) => feed.publish(ev('order.test.', serial))));
      await feed.publish(ev('order.test.', 201));
      await received(r, 201);
      expect(r.events.map((e) => e.serial)).toEqual([...serials, 201]);
    });

    it('carries deletions and the full serial range', async () => {
      const feed = await open();
      const r = recorder();
      await feed.subscribe(r.listener);
      const events: ZoneChanged[] = [
        { zone: 'gone.example.', serial: 42, deleted: true },
        ev('.', 0),
        ev('xn--bcher-kva.example.', 4_294_967_295),
      ];
      for (const e of events) await feed.publish(e);
      await received(r, 3);
      expect(r.events).toEqual(events);
    });

    it('stops delivery to an unsubscribed listener at once, and only to it', async () => {
      const feed = await open();
      const gone = recorder();
      const control = recorder();
      const unsubscribe = await feed.subscribe(gone.listener);
      await feed.subscribe(control.listener);
      await feed.publish(ev('a.test.', 1));
      // Unsubscribing while that event may still be in flight: not delivered after this resolves.
      await unsubscribe();
      await feed.publish(ev('a.test.', 2));
      await received(control, 2);
      expect(control.events.map((e) => e.serial)).toEqual([1, 2]);
      expect(gone.events.every((e) => e.serial === 1)).toBe(true);
      await unsubscribe(); // a second call is harmless
    });

    it('treats the same function subscribed twice as two subscriptions', async () => {
      const feed = await open();
      const r = recorder();
      const first = await feed.subscribe(r.listener);
      await feed.subscribe(r.listener);
      await feed.publish(ev('twice.test.', 1));
      await received(r, 2);
      await first();
      await feed.publish(ev('twice.test.', 2));
      await received(r, 3);
      expect(r.events.map((e) => e.serial)).toEqual([1, 1, 2]);
    });

    it('does not replay events published before subscribe', async () => {
      const feed = await open();
      await feed.publish(ev('before.test.', 1)); // nobody subscribed yet
      const early = recorder();
      await feed.subscribe(early.listener);
      // Published (and acknowledged) before the second subscribe is even called.
      await feed.publish(ev('before.test.', 2));
      const late = recorder();
      await feed.subscribe(late.listener);
      await feed.publish(ev('before.test.', 3));
      await received(late, 1);
      await received(early, 2);
      expect(late.events.map((e) => e.serial)).toEqual([3]);
      expect(early.events.map((e) => e.serial)).toEqual([2, 3]);
    });

    it('isolates listeners that throw or reject: publish succeeds, others still receive, they stay subscribed', async () => {
      const feed = await open();
      const thrown: number[] = [];
      const rejected: number[] = [];
      await feed.subscribe((e) => {
        thrown.push(e.serial);
        throw new Error('listener bug');
      });
      await feed.subscribe(async (e) => {
        rejected.push(e.serial);
        throw new Error('async listener bug');
      });
      const good = recorder();
      await feed.subscribe(good.listener);
      await expect(feed.publish(ev('throw.test.', 1))).resolves.toBeUndefined();
      await expect(feed.publish(ev('throw.test.', 2))).resolves.toBeUndefined();
      await received(good, 2);
      expect(good.events.map((e) => e.serial)).toEqual([1, 2]);
      expect(thrown).toEqual([1, 2]);
      expect(rejected).toEqual([1, 2]);
    });

    it('gives each listener its own copy of the event', async () => {
      const feed = await open();
      await feed.subscribe((e) => {
        e.zone = 'mutated.';
      });
      const r = recorder();
      await feed.subscribe(r.listener);
      await feed.publish(ev('copy.test.', 1));
      await received(r, 1);
      expect(r.events).toEqual([ev('copy.test.', 1)]);
    });

    it('rejects malformed events on publish and delivers nothing for them', async () => {
      const feed = await open();
      const r = recorder();
      await feed.subscribe(r.listener);
      const bad: unknown[] = [
        undefined,
        { zone: 'Example.com.', serial: 1 },
        { zone: 'example.com', serial: 1 },
        { zone: '', serial: 1 },
        { zone: 'example.com.', serial: -1 },
        { zone: 'example.com.', serial: 1.5 },
        { zone: 'example.com.', serial: 4_294_967_296 },
        { zone: 'example.com.', serial: '1' },
        { zone: 'example.com.', serial: 1, deleted: false },
        { zone: 'example.com.', serial: 1, extra: 'x' },
      ];
      for (const value of bad) {
        await expect(feed.publish(value as ZoneChanged), JSON.stringify(value)).rejects.toThrow(
          /invalid ZoneChanged event/,
        );
      }
      await feed.publish(ev('good.test.', 1));
      await received(r, 1);
      expect(r.events).toEqual([ev('good.test.', 1)]);
    });

    it('closes cleanly: idempotent, and publish/subscribe afterwards reject clearly', async () => {
      const feed = await open();
      const r = recorder();
      const unsubscribe = await feed.subscribe(r.listener);
      await feed.publish(ev('close.test.', 1));
      await received(r, 1);
      await feed.close();
      await feed.close();
      await unsubscribe();
      await expect(feed.publish(ev('close.test.', 2))).rejects.toThrow(/closed/);
      await expect(feed.subscribe(r.listener)).rejects.toThrow(/closed/);
      expect(r.events).toEqual([ev('close.test.', 1)]);
    });

    it('closes cleanly when never used', async () => {
      const feed = await open();
      await expect(feed.close()).resolves.toBeUndefined();
    });
  });
}
