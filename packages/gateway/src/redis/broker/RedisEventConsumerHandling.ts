import { GatewayError } from '../../errors/GatewayError.js';
import type { DispatchSink, SourceErrorReporter } from '../../transport/EventSource.js';
import { decodeDispatch, type StreamEntry } from './streamEntry.js';

/**
 * Hands one stream entry to the sink, reporting what goes wrong: an entry that cannot be decoded
 * is dropped (nothing could ever handle it), a sink that fails leaves the entry pending for
 * another delivery.
 *
 * @param entry - the entry read from the stream
 * @param sink - where its dispatch goes
 * @param report - where problems go
 * @param claimIdleMs - after how long a pending entry is delivered again, for the report
 * @returns `true` when the entry is done with (handled, or unreadable for good) and is to be
 *   acknowledged; `false` when it stays pending
 */
export async function handleEntry(
  entry: StreamEntry,
  sink: DispatchSink,
  report: SourceErrorReporter,
  claimIdleMs: number,
): Promise<boolean> {
  let dispatch;
  try {
    dispatch = decodeDispatch(entry);
  } catch (error) {
    // Nothing can ever handle it: acknowledge it so it is not delivered again and again.
    report(
      new GatewayError(
        `dropped a stream entry: ${error instanceof Error ? error.message : String(error)}`,
        undefined,
      ),
    );
    return true;
  }
  try {
    const meta = dispatch.shardCount === undefined ? {} : { shardCount: dispatch.shardCount };
    await sink(dispatch.payload, dispatch.shardId, meta);
    return true;
  } catch (error) {
    report(
      new GatewayError(
        `event ${dispatch.payload.id ?? entry.id} (${dispatch.payload.t}) was not handled; it stays pending and is delivered again after ${claimIdleMs} ms (up to maxDeliveries times, then dead-lettered)`,
        dispatch.shardId,
        { cause: error },
      ),
    );
    return false;
  }
}
