import { Deferred } from '@bot/core';
import type { DispatchPayload, DispatchSink, EventSource } from '@bot/gateway';

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
   * @returns settles once every handler has finished with the event. While the client is not
   *   receiving (shut down by code on its thread, which then ends), never: the event must not
   *   count as handled, so that the resume on the next thread hands it again
   */
  public deliver(payload: DispatchPayload, shardId: number, shardCount: number): Promise<void> {
    const sink = this.#sink;
    if (sink === undefined) return new Promise(() => undefined);
    return sink(payload, shardId, { shardCount });
  }
}
