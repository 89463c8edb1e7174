import type { BotLogger } from '@bot/core';

/** Least time between two warnings of replies to forgotten messages: a flood logs one a minute. */
export const FORGOTTEN_REPLY_WARNING_INTERVAL_MS = 60_000;

/**
 * The messages a {@link ReplySequencer} forgot for room while they could still be replied to, so
 * that a later reply to one is not a silent cost: it numbers from `msg_seq` 1 again, and each
 * number the message used before is refused (`40054005`, docs/protocol.md §11.1) and skipped,
 * one wasted request each. Such a reply is told to the logger as a warning naming the message,
 * the bound and how to raise it, at most once a minute. The replies in between are counted, and
 * the count is told with the next warning, or on the first reply to any new message once the
 * minute is over: only a count still pending when the process ends goes untold.
 *
 * The record is kept with or without a logger: it is also how the sequencer tells a refused
 * number that may be its own (a message it forgot) from one another process used.
 *
 * Bounded like the sequencer: at most `capacity` messages, the latest forgotten, each until its
 * reply window ends. A reply to one forgotten earlier than those is not told, and a refusal of
 * its old numbers is taken for another process's reply (a `ReplyAlreadySentError` by default):
 * only a bot replying to more than twice its capacity of messages within a window meets it.
 */
export class ForgottenReplies {
  /** Forgotten message id → when its reply window ends; in the order forgotten, so by that end. */
  readonly #until = new Map<string, number>();
  readonly #capacity: number;
  readonly #windowMs: number;
  readonly #logger: BotLogger | undefined;
  #lastWarningAt = -Infinity;
  #untold = 0;

  /**
   * @param capacity - most messages remembered as forgotten: the sequencer's capacity
   * @param windowMs - how long a message can be replied to: the sequencer's window
   * @param logger - where the warnings go; none are given without one (the record is kept)
   */
  public constructor(capacity: number, windowMs: number, logger: BotLogger | undefined) {
    this.#capacity = capacity;
    this.#windowMs = windowMs;
    this.#logger = logger;
  }

  /**
   * Records that the numbers of `messageId` were forgotten for room.
   *
   * @param messageId - the inbound message (or event) id
   * @param firstReplyAt - when it was first replied to, on the steady clock (ms)
   * @param now - the current time, on the steady clock (ms)
   */
  public forget(messageId: string, firstReplyAt: number, now: number): void {
    const until = firstReplyAt + this.#windowMs;
    if (until <= now) return;
    this.#until.set(messageId, until);
    // Forgotten in the order first replied to, so closed and excess entries are at the front.
    for (const [id, end] of this.#until) {
      if (this.#until.size <= this.#capacity && end > now) break;
      this.#until.delete(id);
    }
  }

  /**
   * Called when `messageId`, of which no numbers are kept, is replied to: warns when its numbers
   * were forgotten while its window was still open, and tells the replies counted since the last
   * warning once its minute is over.
   *
   * @param messageId - the inbound message (or event) id
   * @param now - the current time, on the steady clock (ms)
   * @returns whether its numbers were forgotten while its window was open (its replies number from
   *   1 again, over numbers it may have used)
   */
  public replyingTo(messageId: string, now: number): boolean {
    const until = this.#until.get(messageId);
    if (until !== undefined) this.#until.delete(messageId);
    const forgotten = until !== undefined && until > now;
    if (this.#logger === undefined) return forgotten;
    this.#warn(messageId, forgotten, now);
    return forgotten;
  }

  /** Warns of a reply to `messageId` (when `forgotten`), or of the count left, at most once a minute. */
  #warn(messageId: string, forgotten: boolean, now: number): void {
    if (!forgotten && this.#untold === 0) return;
    if (now - this.#lastWarningAt < FORGOTTEN_REPLY_WARNING_INTERVAL_MS) {
      if (forgotten) this.#untold += 1;
      return;
    }
    const untold = this.#untold;
    this.#lastWarningAt = now;
    this.#untold = 0;
    if (!forgotten) {
      this.#logger?.warn(
        `${untold} more ${untold === 1 ? 'reply' : 'replies'} went to messages whose msg_seq numbers ` +
          `were forgotten, since the last such warning. ${this.#advice()}`,
      );
      return;
    }
    const more = untold === 0 ? '' : ` (and ${untold} more such replies since the last warning)`;
    this.#logger?.warn(
      `reply to message ${messageId}: its msg_seq numbers were forgotten while it could still be ` +
        `replied to, as more than ${this.#capacity} ${this.#capacity === 1 ? 'message was' : 'messages were'} replied to within ` +
        `${durationText(this.#windowMs)}${more}. Its replies number from 1 again and each number ` +
        `it used before costs one request the platform refuses (40054005). ${this.#advice()}`,
    );
  }

  /** How to stop it: the bound to raise, and above what. */
  #advice(): string {
    return (
      "Raise the sequencer's capacity (ClientBuilder.replySequencerCapacity(n)) above the number " +
      `of messages the bot replies to within ${durationText(this.#windowMs)}.`
    );
  }
}

/** `60 min`, `90 s`: a window as the warning names it, in whole minutes only when it is some. */
function durationText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}
