import { BotError, messageOf, wireName } from '@bot/core';

/**
 * A handler method threw or rejected. The client reports it to `error()` and carries on. (A
 * payload whose model cannot be built is a `MalformedEventError` instead.)
 */
export class HandlerError extends BotError {
  public readonly kind = 'handler' as const;

  /**
   * @param event - the dispatch event name (`AT_MESSAGE_CREATE`) or handler hook being run
   * @param shardId - the shard the event came from (`undefined` for webhook deliveries)
   * @param handler - which handler failed: its class name and registration index, and the method
   * @param cause - what it threw
   * @param abandoned - whether a shutdown had given up on the event before the handler failed: the
   *   event is in an `AbandonedEventsError` already, and this failure (often a REST call ended by
   *   the shutdown, a `ClientDestroyedError`) may come after `shutdown()` has resolved
   */
  public constructor(
    public readonly event: string,
    public readonly shardId: number | undefined,
    public readonly handler: string,
    cause: unknown,
    public readonly abandoned = false,
  ) {
    super(
      `${handler} failed on ${wireName(event)}${shardId === undefined ? '' : ` (shard ${shardId})`}` +
        `${abandoned ? ', an event the shutdown had given up on (reported as abandoned)' : ''}: ${messageOf(
          cause,
        )}`,
      { cause },
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    handler: HandlerError;
  }
}
