import type { ChangeFeed, ZoneChanged } from '../ports/change-feed.port.js';

/**
 * Publishes after a commit. The data is already committed and edges also poll,
 * so a failed publish only delays them: it must not turn a successful write
 * into an error for the caller.
 */
export async function publishQuietly(feed: ChangeFeed, event: ZoneChanged): Promise<void> {
  try {
    await feed.publish(event);
  } catch {
    // Nothing to undo: edges catch up on their next poll.
  }
}
