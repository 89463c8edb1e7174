import { BotError, messageOf, ValidationError, wireName } from '@bot/core';

/**
 * An event's payload could not be made into its model (a message without its id or sender, a
 * field of the wrong type): the platform sent it shaped otherwise than documented. No handler saw
 * the event; the client reports it to `error()` and goes on with the next one. Not a bug of the
 * bot: report the event id to the platform.
 */
export class MalformedEventError extends BotError {
  public readonly kind = 'malformedEvent' as const;
  /** The payload field the model refused (`d.author`), when the refusal names one. */
  public readonly field: string | undefined;

  /**
   * @param event - the dispatch event name (`GROUP_AT_MESSAGE_CREATE`)
   * @param shardId - the shard the event came from (`undefined` for webhook deliveries)
   * @param eventId - the dispatch's `id`, when it had one
   * @param cause - why the model refused it: usually a `ValidationError` naming the field
   * @param abandoned - whether a shutdown had given up on the event before its model was built
   *   (it is in an `AbandonedEventsError` already)
   */
  public constructor(
    public readonly event: string,
    public readonly shardId: number | undefined,
    public readonly eventId: string | undefined,
    cause: unknown,
    public readonly abandoned = false,
  ) {
    super(
      `${wireName(event)}${eventId === undefined ? '' : ` event ${wireName(eventId)}`}` +
        `${shardId === undefined ? '' : ` (shard ${shardId})`} was skipped, no handler saw it: ` +
        `its payload is malformed (${messageOf(cause)}). ` +
        'Report it to the platform with its event id.',
      { cause },
    );
    this.field = cause instanceof ValidationError ? cause.field : undefined;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    malformedEvent: MalformedEventError;
  }
}
