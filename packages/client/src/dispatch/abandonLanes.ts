import type { Deferred, GatewayPayload } from '@bot/core';
import { AbandonedEventsError } from '../errors/AbandonedEventsError.js';
import { abandonedEventOf, type AbandonedEvent } from './AbandonedEvent.js';
import { AwaitedEvent, payloadOf, type LaneEvent } from './LaneEvent.js';
import type { ShardLane } from './ShardLane.js';

// What `Dispatcher.abandon` does to the dispatcher's lanes when a shutdown runs out of time. It runs
// once per shutdown, never per event, so it lives apart from the dispatcher's per-event code.

/**
 * Gives up on everything the lanes hold: each lane drops its waiting events and stops waiting for
 * its running ones. Every payload given up on joins `marked`, so a handler of it that fails later
 * is reported as abandoned; the promise of every awaited event rejects with the returned error.
 *
 * @param lanes - the dispatcher's lanes, by key
 * @param webhookLane - the key of the lane of events without a shard (their `shardId` is `undefined`)
 * @param marked - the payloads given up on so far; this call adds its own
 * @param deadlineMs - the shutdown deadline that ran out, for the error
 * @returns the error listing each event given up on (running ones of a lane before its waiting
 *   ones), or `undefined` when nothing was left
 */
export function abandonLanes(
  lanes: ReadonlyMap<number, ShardLane<LaneEvent>>,
  webhookLane: number,
  marked: WeakSet<GatewayPayload>,
  deadlineMs: number,
): AbandonedEventsError | undefined {
  const abandoned: AbandonedEvent[] = [];
  const awaited: Array<Deferred<void>> = [];
  for (const [key, lane] of lanes) {
    const { running, waiting } = lane.abandon();
    for (const [events, started] of [
      [running, true],
      [waiting, false],
    ] as const) {
      for (const event of events) {
        if (event instanceof AwaitedEvent) awaited.push(event.done);
        marked.add(payloadOf(event));
        abandoned.push(abandonedEventOf(key === webhookLane ? undefined : key, payloadOf(event), started));
      }
    }
  }
  if (abandoned.length === 0) return undefined;
  const error = new AbandonedEventsError(abandoned, deadlineMs);
  for (const done of awaited) done.reject(error);
  return error;
}
