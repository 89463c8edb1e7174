import { Deferred } from '@bot/core';
import { GatewayError, type DispatchPayload, type DispatchSink, type EventSource } from '@bot/gateway';

/**
 * The events of a worker thread's shards, as a source of the client that runs on that thread
 * (`client.startFrom(source)`): each dispatch the thread hands over is delivered to the client's
 * handlers, and {@link ThreadEventSource.deliver} settles once they have finished with it.
 */
export class ThreadEventSource implements EventSource {
  #sink: DispatchSink | undefined;
  #stopped: Deferred<void> | undefined;

  /** @inheritdoc */
  public start(sink: DispatchSink): Promise<void> {
    this.#sink = sink;
    this.#stopped = new Deferred<void>();
    return this.#stopped.promise;
  }

  /** @inheritdoc */
  public stop(): Promise<void> {
    this.#sink = undefined;
    this.#stopped?.resolve();
    return Promise.resolve();
  }

  /**
   * Hands one dispatch to the client's handlers.
   *
   * @param payload - the dispatch
   * @param shardId - the shard that read it
   * @param shardCount - the bot's shard count, for `ctx.shard.total`
   * @returns settles once every handler has finished with the event; rejects when the client is
   *   not receiving (not started yet, or shut down), or gave the event up
   */
  public deliver(payload: DispatchPayload, shardId: number, shardCount: number): Promise<void> {
    const sink = this.#sink;
    if (sink === undefined) {
      return Promise.reject(
        new GatewayError(
          `the client on this thread is not receiving events (not started from this source, or shut down): ${payload.t ?? 'a dispatch'} was not handled`,
          shardId,
        ),
      );
    }
    return sink(payload, shardId, { shardCount });
  }
}
