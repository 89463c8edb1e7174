import { GatewayError } from '../../errors/GatewayError.js';
import type { DispatchSink, SourceErrorReporter } from '../../transport/EventSource.js';
import { decodeDispatch, type StreamEntry } from './streamEntry.js';
import { UndecodableEventError } from './UndecodableEventError.js';
import { messageOf, wireName } from '@bot/core';

/**
 * Moves an entry to the dead-letter stream and acknowledges it (`ConsumerGroup.park`).
 *
 * @returns the dead letter's id; `undefined` when the entry was no longer pending (nothing written)
 * @throws a `RedisOperationError` naming the entry, which then stays pending
 */
export type ParkEntry = (entry: StreamEntry, letter: readonly string[]) => Promise<string | undefined>;

/**
 * Hands one stream entry to the sink, reporting what goes wrong: an entry that cannot be decoded
 * is parked in the dead-letter stream (nothing could ever handle it) and acknowledged there, a
 * sink that fails leaves the entry pending for another delivery.
 *
 * @param entry - the entry read from the stream
 * @param sink - where its dispatch goes
 * @param report - where problems go
 * @param claimIdleMs - after how long a pending entry is delivered again, for the report
 * @param park - where an undecodable entry goes
 * @returns `true` when the entry was handled and is to be acknowledged; `false` when it stays
 *   pending, or was parked (which acknowledged it)
 */
export async function handleEntry(
  entry: StreamEntry,
  sink: DispatchSink,
  report: SourceErrorReporter,
  claimIdleMs: number,
  park: ParkEntry,
): Promise<boolean> {
  let dispatch;
  try {
    dispatch = decodeDispatch(entry);
  } catch (error) {
    const problem = messageOf(error);
    try {
      const deadLetterId = await park(entry, ['reason', 'undecodable', 'error', problem]);
      if (deadLetterId !== undefined) report(new UndecodableEventError(entry.id, problem, deadLetterId));
    } catch (failure) {
      report(failure instanceof Error ? failure : new Error(messageOf(failure)));
    }
    return false;
  }
  try {
    const meta = dispatch.shardCount === undefined ? {} : { shardCount: dispatch.shardCount };
    await sink(dispatch.payload, dispatch.shardId, meta);
    return true;
  } catch (error) {
    report(
      new GatewayError(
        `event ${wireName(dispatch.payload.id ?? entry.id)} (${wireName(dispatch.payload.t)}) was not handled; it stays pending and is delivered again after ${claimIdleMs} ms (up to maxDeliveries times, then dead-lettered)`,
        dispatch.shardId,
        { cause: error },
      ),
    );
    return false;
  }
}
