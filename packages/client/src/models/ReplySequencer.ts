import { requireDuration, requireInteger, steadyNow, type BotLogger } from '@bot/core';
import { ApiError, callSiteOf, DUPLICATE_MSG_SEQ_CODE, requestsFrom } from '@bot/http';
import { ForgottenReplies } from './reply/ForgottenReplies.js';
import { REPLY_RULES } from './reply/replyRules.js';

/** Inbound messages whose reply numbers a sequencer keeps by default. */
export const DEFAULT_REPLY_SEQUENCER_CAPACITY = 20_000;

/**
 * How often a refused number is skipped: as many times as a scene allows replies to one message
 * (5, docs/protocol.md §8.2). A number is refused when another process replying to the same
 * message took it first, or when this sequencer, past its capacity, forgot a message still inside
 * its window and numbers from 1 again: as the message has had at most 4 replies before this one,
 * a free number comes within that many skips.
 */
const SEQ_COLLISION_RETRIES = Math.max(...Object.values(REPLY_RULES).map((rule) => rule.maxReplies ?? 0));

/**
 * Typing notices (C2C) number from above this, apart from replies: a message may have any number
 * of them, and numbered among the replies they would break the bound above. Replies stay far
 * below it (5 a message, plus the numbers skipped).
 */
const TYPING_MSG_SEQ_BASE = 100;

/**
 * Numbers replies per inbound message: the platform rejects two replies to one `msg_id` that carry
 * the same `msg_seq` (code `40054005`), so each reply takes the next number. Bounded: ids older than
 * the longest reply window (60 min, C2C, counted from the first reply) are forgotten, and at most
 * `capacity` ids are kept (a message forgotten earlier than its window numbers from 1 again, and
 * skips the numbers it used; such a reply is told to the logger as a warning, at most once a
 * minute).
 *
 * It also owns the one rule for a refused number ({@link ReplySequencer.send}): a number another
 * sender took first is skipped; a re-send of our own that the platform refused as a duplicate
 * (`DuplicateSendError`, raised by the REST client) is never sent again under a new number.
 */
export class ReplySequencer {
  readonly #next = new Map<string, { seq: number; typingSeq: number; firstReplyAt: number }>();
  readonly #capacity: number;
  readonly #windowMs: number;
  readonly #forgotten: ForgottenReplies;

  /**
   * @param capacity - most inbound messages tracked at once ({@link DEFAULT_REPLY_SEQUENCER_CAPACITY})
   * @param windowMs - how long a message can be replied to (the longest window, C2C's, by default)
   * @param logger - warned of a reply to a message forgotten past `capacity` (the client's logger
   *   in a client); without one, nothing is said
   * @throws `ValidationError` for a capacity that is not a positive integer, or a window that
   *   is not a positive duration
   */
  public constructor(
    capacity: number = DEFAULT_REPLY_SEQUENCER_CAPACITY,
    windowMs: number = REPLY_RULES.c2c.windowMs,
    logger?: BotLogger,
  ) {
    this.#capacity = requireInteger(capacity, 'capacity', 1);
    this.#windowMs = requireDuration(windowMs, 'windowMs');
    this.#forgotten = new ForgottenReplies(this.#capacity, this.#windowMs, logger);
  }

  /**
   * Takes the next `msg_seq` for a reply to `messageId`: 1, 2, 3, …
   *
   * @param messageId - the inbound message (or event) id being replied to
   */
  public next(messageId: string): number {
    return this.#take(messageId, false);
  }

  /** Takes the next number of `messageId`, a typing notice's or a reply's. */
  #take(messageId: string, typing: boolean): number {
    // The steady clock: a wall clock stepped forward would forget a message's numbers early, and
    // its next reply would number from 1 again, which the platform refuses as used.
    const now = steadyNow();
    const entry = this.#next.get(messageId);
    if (entry && now - entry.firstReplyAt < this.#windowMs) {
      if (typing) return (entry.typingSeq += 1);
      entry.seq += 1;
      return entry.seq;
    }
    if (entry === undefined) this.#forgotten.replyingTo(messageId, now);
    else this.#next.delete(messageId);
    const [seq, typingSeq] = typing ? [0, TYPING_MSG_SEQ_BASE + 1] : [1, TYPING_MSG_SEQ_BASE];
    this.#next.set(messageId, { seq, typingSeq, firstReplyAt: now });
    this.#evict(now);
    return typing ? typingSeq : seq;
  }

  /**
   * Sends one reply to `messageId` under the next `msg_seq`. When the platform answers that the
   * number was already used (a plain `ApiError` with code `40054005` on the first attempt: another
   * process replying to the same message took it, or this sequencer forgot the message's numbers
   * past its capacity), the reply is sent again under the next number, as often as a message can
   * be replied to (5 times). A `DuplicateSendError` — our own re-send refused, so the reply was probably
   * delivered — and every other failure reach the caller as they are: a new number would post
   * the reply twice.
   *
   * A failure of any attempt shows the line of the caller's code that started the reply (the
   * public method's call site, see `callSiteOf` of `@bot/http`), a re-send's as well.
   *
   * @param messageId - the inbound message (or event) id being replied to
   * @param send - sends the reply numbered `msgSeq`
   */
  public send<T>(messageId: string, send: (msgSeq: number) => Promise<T>): Promise<T> {
    // A re-send goes out after an await, when the reply's call site is no longer the current one.
    return this.#send(messageId, send, false, callSiteOf(ReplySequencer.prototype.send));
  }

  /**
   * Sends a C2C typing notice to `messageId` as {@link ReplySequencer.send} sends a reply, under a
   * number of its own: typing notices number from 101 up, apart from the replies, so however many
   * a message has, its replies keep the bound on skips. A message forgotten past capacity numbers
   * its notices from 101 again: a notice that meets more than 5 numbers used before it is refused
   * (`40054005`), and the next one goes on past them.
   *
   * @param messageId - the inbound message id the notice is anchored to
   * @param send - sends the notice numbered `msgSeq`
   */
  public sendTyping<T>(messageId: string, send: (msgSeq: number) => Promise<T>): Promise<T> {
    return this.#send(messageId, send, true, callSiteOf(ReplySequencer.prototype.sendTyping));
  }

  async #send<T>(
    messageId: string,
    send: (msgSeq: number) => Promise<T>,
    typing: boolean,
    site: ReturnType<typeof callSiteOf>,
  ): Promise<T> {
    for (let collisions = 0; ; collisions++) {
      try {
        return await requestsFrom(site, () => send(this.#take(messageId, typing)));
      } catch (error) {
        const takenByAnother = error instanceof ApiError && error.code === DUPLICATE_MSG_SEQ_CODE;
        if (!takenByAnother || collisions >= SEQ_COLLISION_RETRIES) throw error;
      }
    }
  }

  /** Number of inbound messages tracked. */
  public get size(): number {
    return this.#next.size;
  }

  #evict(now: number): void {
    // Map iteration follows insertion order, so expired and excess entries are at the front.
    for (const [id, entry] of this.#next) {
      const open = now - entry.firstReplyAt < this.#windowMs;
      if (this.#next.size <= this.#capacity && open) break;
      this.#next.delete(id);
      if (open) this.#forgotten.forget(id, entry.firstReplyAt, now);
    }
  }
}
