import type { DispatchPayload } from '../protocol/GatewayProtocol.js';

/**
 * Receives one dispatch; resolves once every handler has finished with it (then the source may
 * acknowledge), and rejects when the event was not handled (a shutdown gave up on it): the source
 * must then leave it unacknowledged, to be delivered again. `meta.shardCount` is the shard count
 * of the bot whose shard received the event, when the source carries it: a worker process runs
 * no shards of its own to ask.
 */
export type DispatchSink = (
  payload: DispatchPayload,
  shardId: number | undefined,
  meta?: { shardCount?: number },
) => Promise<void>;

/**
 * Receives the problems a source survives on its own (a lost connection it retries, an event it
 * will deliver again later). A client routes them to its `error()` handlers.
 */
export type SourceErrorReporter = (error: Error) => void;

/** A source of dispatches other than a shard's own socket (a broker, a queue). */
export interface EventSource {
  /**
   * Delivers events to `sink` until stopped; resolves when stopped, rejects on a fatal failure.
   *
   * @param sink - called once per event; the source acknowledges the event after it resolves,
   *   and not when it rejects
   * @param report - receives problems the source recovers from by itself; logged when omitted
   */
  start(sink: DispatchSink, report?: SourceErrorReporter): Promise<void>;
  /**
   * Stops delivering; in-flight events finish first (or are given up on by the client's shutdown,
   * which rejects their sink calls).
   */
  stop(): Promise<void>;
}
