import { BotError, wireName } from '@bot/core';

/**
 * The handlers of an event had not finished by the client's handler deadline (`handlerTimeout`,
 * 60 s by default): some handler returned a promise that took that long, or never settles. The
 * event's shard stopped waiting for it, so its next events run (under the `sequential` policy too,
 * where they would otherwise wait for ever, and the shard, paused by back-pressure, would read
 * nothing more). The handler itself cannot be stopped and runs on, unwaited: should it fail later,
 * that failure still reaches `error()` as a `HandlerError`. The event's handlers after it still
 * wait for it, as handlers of one event run one after another: they start once it settles, late
 * or never.
 * An event whose sender waits for it (an event source, a broker) counts as handled at this point,
 * as for a handler that failed, and is acknowledged.
 *
 * What to do: give what the handler awaits a deadline of its own (`AbortSignal.timeout(ms)`, a
 * request's `timeout`), or, for handlers that are meant to take long, raise the deadline with the
 * builder's `handlerTimeout(ms)` (`Infinity` turns it off).
 */
export class HandlerTimeoutError extends BotError {
  public readonly kind = 'handlerTimeout' as const;

  /**
   * @param event - the dispatch event name (`GROUP_AT_MESSAGE_CREATE`)
   * @param eventId - the dispatch's `id`, when it had one
   * @param shardId - the shard the event came from (`undefined` for webhook deliveries)
   * @param ranMs - how long its handlers had run when the shard stopped waiting, in milliseconds
   * @param timeoutMs - the handler deadline that passed, in milliseconds
   * @param handler - the handler that has not finished, named as `HandlerError.handler` names one
   *   (`Bot#0.groupMessageCreate`, `raw handler #0`), when known
   */
  public constructor(
    public readonly event: string,
    public readonly eventId: string | undefined,
    public readonly shardId: number | undefined,
    public readonly ranMs: number,
    public readonly timeoutMs: number,
    public readonly handler?: string,
  ) {
    super(
      `${handler === undefined ? `${wireName(event)} has not finished` : `${handler} has not finished ${wireName(event)}`}` +
        `${where(eventId, shardId)} after ${ranMs} ms, ` +
        `past the handler timeout of ${timeoutMs} ms: the client no longer waits for it and goes on ` +
        'with the next event, while its handler runs on unwaited. Give what the handler awaits a ' +
        'deadline of its own (an AbortSignal.timeout, a request timeout), or raise ' +
        'handlerTimeout(ms) on the client builder',
    );
  }
}

/** ` (event <id>, shard <n>)`, or as much of it as is known. */
function where(eventId: string | undefined, shardId: number | undefined): string {
  const parts = [
    ...(eventId === undefined ? [] : [`event ${wireName(eventId)}`]),
    ...(shardId === undefined ? [] : [`shard ${shardId}`]),
  ];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

declare module '@bot/core' {
  interface BotErrorKinds {
    handlerTimeout: HandlerTimeoutError;
  }
}
