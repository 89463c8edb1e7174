import type { Client } from '@bot/client';
import type { Emulator } from '@bot/testing';

/** How shard 0 delivered a flood of group messages, against what the handlers finished. */
export interface FloodWatch {
  /**
   * Distinct group messages delivered so far. A shard started again resumes from the last event
   * handled, so the platform replays the events its lane still holds; the client drops those
   * repeats before they reach a lane, and they are not counted.
   */
  readonly delivered: number;
  /** The most delivered and not yet finished at any one time. */
  readonly peak: number;
  /** Whether shard 0 was seen paused at a delivery. */
  readonly pausedSeen: boolean;
}

/**
 * Watches the group messages `client`'s shards deliver; `finished` tells how many the handlers
 * have finished, so the watch knows how many were held at each delivery.
 */
export function watchFlood(client: Client, finished: () => number): FloodWatch {
  const watch = { delivered: 0, peak: 0, pausedSeen: false };
  const seen = new Set<unknown>();
  client.shardManager.on('dispatch', (payload) => {
    if (payload.t !== 'GROUP_AT_MESSAGE_CREATE' || seen.has(payload.id)) return;
    seen.add(payload.id);
    watch.delivered += 1;
    watch.peak = Math.max(watch.peak, watch.delivered - finished());
    watch.pausedSeen ||= client.shardManager.shards.get(0)?.paused === true;
  });
  return watch;
}

/** Sends `count` group @-messages whose contents number them from 0; returns their event ids. */
export function sendFlood(emulator: Emulator, count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) => emulator.simulate.groupAtMessage({ content: String(index) }).id,
  );
}
