import { BotError } from '@bot/core';

/** Why an answer to an event by `event_id` was refused before any request was sent. */
export type EventReplyRefusal =
  /** The platform accepts no `event_id` answer to this event (`GROUP_DEL_ROBOT`, `FRIEND_DEL`, …). */
  | 'notAnswerable'
  /** The event arrived without an id to quote. */
  | 'missingEventId';

/**
 * An answer to an event (`interaction.reply()`, `event.reply()`) was refused before any request:
 * the platform would refuse it too (docs/protocol.md §13). `reason` says which rule; `event` names
 * the event. Nothing was sent. (An answer after the event's window is a `ReplyWindowClosedError`,
 * as for messages.)
 */
export class EventReplyError extends BotError {
  public readonly kind = 'eventReply' as const;

  /**
   * @param reason - which rule refused the answer
   * @param event - the dispatch event name, `GROUP_ADD_ROBOT`
   * @param detail - what to do about it, appended to the message
   */
  public constructor(
    public readonly reason: EventReplyRefusal,
    public readonly event: string,
    detail: string,
  ) {
    super(`cannot answer ${event}: ${detail}`);
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    eventReply: EventReplyError;
  }
}
