import type { BotLogger, TypedEmitter } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import type { ShardEvents } from './ShardEvents.js';
import type { ShardState } from './ShardState.js';
import { messageOf } from '@bot/core';
import { isThenable } from './listenerRejections.js';

/**
 * Everything a shard tells the outside world: events to its listeners, debug lines and errors to
 * listeners or the log. A listener that throws, or whose promise rejects, is reported, never
 * crashes the socket or the process.
 */
export class ShardNotifier {
  readonly #emitter: TypedEmitter<ShardEvents>;
  readonly #shardId: number;
  readonly #log: BotLogger;
  readonly #onDispatch: ((payload: DispatchPayload) => void) | undefined;

  /**
   * @param emitter - the shard whose listeners hear the events
   * @param shardId - named in the errors raised for throwing listeners
   * @param log - the shard's logger
   * @param onDispatch - called with every dispatch before the `dispatch` listeners (see `ShardOptions.onDispatch`)
   */
  public constructor(
    emitter: TypedEmitter<ShardEvents>,
    shardId: number,
    log: BotLogger,
    onDispatch?: (payload: DispatchPayload) => void,
  ) {
    this.#emitter = emitter;
    this.#shardId = shardId;
    this.#log = log;
    this.#onDispatch = onDispatch;
  }

  /** The shard moved from `previous` to `next`: a log line (not a `debug` event) and a `state` event. */
  public stateChanged(previous: ShardState, next: ShardState): void {
    this.#log.debug(`${previous} → ${next}`);
    this.emit('state', next, previous);
  }

  /** A debug line: to the log, and to `debug` listeners when there are any. */
  public debug(message: string): void {
    this.#log.debug(message);
    if (this.#emitter.listenerCount('debug') > 0) this.emit('debug', message);
  }

  /** Reports a problem to `error` listeners, or to the log when there are none (never throws). */
  public report(error: Error): void {
    if (this.#emitter.listenerCount('error') === 0) {
      this.#log.error(error.message);
      return;
    }
    try {
      this.#emitter.emit('error', error);
    } catch (thrown) {
      this.#log.error(`an 'error' listener threw: ${messageOf(thrown)}`);
    }
  }

  /**
   * A promise a listener of `event` returned rejected: reported as a listener that threw would be;
   * an `error` listener's only to the log, as reporting it would go back to that listener.
   */
  public listenerRejected(event: string, cause: unknown): void {
    if (event === 'error') this.#log.error(`an 'error' listener rejected: ${messageOf(cause)}`);
    else this.report(new GatewayError(`a '${event}' listener rejected`, this.#shardId, { cause }));
  }

  /**
   * The one event of every frame: to the direct receiver, if any, then to `dispatch` listeners,
   * emitted to only when there are any (or when there is no direct receiver), without an argument
   * array. A receiver or listener that throws, or whose promise rejects, is reported; a receiver
   * that throws keeps the event from no listener.
   */
  public dispatch(payload: DispatchPayload): void {
    const onDispatch = this.#onDispatch;
    if (onDispatch !== undefined) {
      try {
        const result: unknown = onDispatch(payload);
        if (isThenable(result))
          result.then(undefined, (cause) =>
            this.report(new GatewayError('onDispatch rejected', this.#shardId, { cause })),
          );
      } catch (error) {
        this.report(new GatewayError('onDispatch threw', this.#shardId, { cause: error }));
      }
      if (this.#emitter.listenerCount('dispatch') === 0) return;
    }
    try {
      this.#emitter.emit('dispatch', payload);
    } catch (error) {
      this.report(new GatewayError(`a 'dispatch' listener threw`, this.#shardId, { cause: error }));
    }
  }

  /** Emits to user listeners; a listener that throws is reported. */
  public emit<E extends Exclude<keyof ShardEvents, 'error'>>(
    event: E,
    ...args: Parameters<ShardEvents[E]>
  ): void {
    try {
      this.#emitter.emit(event, ...args);
    } catch (error) {
      this.report(new GatewayError(`a '${event}' listener threw`, this.#shardId, { cause: error }));
    }
  }
}
