import { requireDuration, requireInteger, steadyNow, ValidationError, type BotLogger } from '@bot/core';
import { ApiError, attachCallSite, callSiteOf, DUPLICATE_MSG_SEQ_CODE, requestsFrom } from '@bot/http';
import { ReplyAlreadySentError } from '../errors/ReplyAlreadySentError.js';
import { ForgottenReplies } from './reply/ForgottenReplies.js';
import { REPLY_RULES } from './reply/replyRules.js';

/** Inbound messages whose reply numbers a sequencer keeps by default. */
export const DEFAULT_REPLY_SEQUENCER_CAPACITY = 20_000;

/**
 * What a reply does when the platform refuses its `msg_seq` as used (`40054005`) although this
 * sequencer had not used the number for the message:
 *
 * - `'refuseTaken'` (the client's default, `ClientBuilder.replyNumbering`): fails with a
 *   `ReplyAlreadySentError`. The message was already
 *   answered under that number elsewhere, most likely because the same event was handled twice
 *   (a webhook redelivery to a fresh process, a replay after a resume, several instances), and a
 *   re-send under the next number would show the user the same reply twice.
 * - `'skipTaken'`: sends the reply again under the next number, for bots whose processes reply to
 *   one message on purpose.
 *
 * Either way a message whose numbers this sequencer forgot past its capacity skips the numbers it
 * used before, which may be its own.
 */
export type ReplyNumbering = 'refuseTaken' | 'skipTaken';

/** Every {@link ReplyNumbering}, for validation. */
export const REPLY_NUMBERINGS: readonly ReplyNumbering[] = ['refuseTaken', 'skipTaken'];

/**
 * How often a refused number is skipped: as many times as a scene allows replies to one message
 * (5, docs/protocol.md §8.2). A number is skipped when this sequencer, past its capacity, forgot a
 * message still inside its window and numbers from 1 again, or (with `'skipTaken'`) when another
 * process replying to the same message took it first: as the message has had at most 4 replies
 * before this one, a free number comes within that many skips.
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
 * It also owns the one rule for a refused number ({@link ReplySequencer.send}): a number this
 * sequencer had not used for the message means the message was answered elsewhere, and the reply
 * fails with a `ReplyAlreadySentError` (or, with `'skipTaken'`, takes the next number); a message
 * whose numbers it forgot skips the numbers it may have used itself; a re-send of our own that the
 * platform refused as a duplicate (`DuplicateSendError`, raised by the REST client) is never sent
 * again under a new number.
 */
export class ReplySequencer {
  /**
   * Per message: the last numbers taken, when it was first replied to, and whether its numbering
   * started again after it was forgotten in its window (so a refused number may be its own).
   */
  readonly #next = new Map<
    string,
    { seq: number; typingSeq: number; firstReplyAt: number; restarted: boolean }
  >();
  readonly #capacity: number;
  readonly #windowMs: number;
  readonly #forgotten: ForgottenReplies;
  readonly #numbering: ReplyNumbering;

  /**
   * @param capacity - most inbound messages tracked at once ({@link DEFAULT_REPLY_SEQUENCER_CAPACITY})
   * @param windowMs - how long a message can be replied to (the longest window, C2C's, by default)
   * @param logger - warned of a reply to a message forgotten past `capacity` (the client's logger
   *   in a client); without one, nothing is said
   * @param numbering - what a number refused as used, which this sequencer had not used, means
   *   ({@link ReplyNumbering}; `'refuseTaken'` by default)
   * @throws `ValidationError` for a capacity that is not a positive integer, a window that is
   *   not a positive duration, or a numbering other than `'refuseTaken'`/`'skipTaken'`
   */
  public constructor(
    capacity: number = DEFAULT_REPLY_SEQUENCER_CAPACITY,
    windowMs: number = REPLY_RULES.c2c.windowMs,
    logger?: BotLogger,
    numbering: ReplyNumbering = 'refuseTaken',
  ) {
    this.#capacity = requireInteger(capacity, 'capacity', 1);
    this.#windowMs = requireDuration(windowMs, 'windowMs');
    this.#numbering = requireReplyNumbering(numbering, 'numbering');
    this.#forgotten = new ForgottenReplies(this.#capacity, this.#windowMs, logger);
  }

  /**
   * Takes the next `msg_seq` for a reply to `messageId`: 1, 2, 3, …
   *
   * @param messageId - the inbound message (or event) id being replied to
   */
  public next(messageId: string): number {
    return this.#take(messageId, false).seq;
  }

  /**
   * Takes the next number of `messageId`, a typing notice's or a reply's, and says whether the
   * message's numbering started again after it was forgotten in its window.
   */
  #take(messageId: string, typing: boolean): { seq: number; restarted: boolean } {
    // The steady clock: a wall clock stepped forward would forget a message's numbers early, and
    // its next reply would number from 1 again, which the platform refuses as used.
    const now = steadyNow();
    const entry = this.#next.get(messageId);
    if (entry && now - entry.firstReplyAt < this.#windowMs) {
      if (typing) entry.typingSeq += 1;
      else entry.seq += 1;
      return { seq: typing ? entry.typingSeq : entry.seq, restarted: entry.restarted };
    }
    // A message forgotten in its window, or whose record expired (a reply past the window, sent
    // anyway), numbers from 1 again over numbers it may have used: they were its own.
    let restarted = true;
    if (entry === undefined) restarted = this.#forgotten.replyingTo(messageId, now);
    else this.#next.delete(messageId);
    const [seq, typingSeq] = typing ? [0, TYPING_MSG_SEQ_BASE + 1] : [1, TYPING_MSG_SEQ_BASE];
    this.#next.set(messageId, { seq, typingSeq, firstReplyAt: now, restarted });
    this.#evict(now);
    return { seq: typing ? typingSeq : seq, restarted };
  }

  /**
   * Sends one reply to `messageId` under the next `msg_seq`. When the platform answers that the
   * number was already used (a plain `ApiError` with code `40054005`), what that means depends on
   * whose the number may be:
   *
   * - this sequencer forgot the message's numbers past its capacity, so the number may be its
   *   own: the reply is sent again under the next number, as often as a message can be replied to
   *   (5 times);
   * - otherwise the number was new to this sequencer, and another process or an earlier run
   *   replied to the message under it, most likely handling the same event twice: the call fails
   *   with a `ReplyAlreadySentError` (cause: the refusal), nothing sent, or, with the numbering
   *   `'skipTaken'`, the reply is sent again under the next number as above.
   *
   * A `DuplicateSendError` (our own re-send refused, so the reply was probably delivered) and every
   * other failure reach the caller as they are: a new number would post the reply twice.
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
   * a message has, its replies keep the bound on skips. A refused notice number is always skipped,
   * whatever the numbering: a second typing indicator shows the user nothing twice. A message
   * forgotten past capacity numbers its notices from 101 again: a notice that meets more than 5
   * numbers used before it is refused (`40054005`), and the next one goes on past them.
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
      const taken = this.#take(messageId, typing);
      try {
        return await requestsFrom(site, () => send(taken.seq));
      } catch (error) {
        const refusedAsUsed = error instanceof ApiError && error.code === DUPLICATE_MSG_SEQ_CODE;
        if (!refusedAsUsed || collisions >= SEQ_COLLISION_RETRIES) throw error;
        // A number this sequencer never used for the message was used elsewhere: the message was
        // answered already, and the next number would post a second answer.
        if (!typing && !taken.restarted && this.#numbering === 'refuseTaken') {
          // Made here, after the await: it shows the caller's line as the request's failures do.
          const refused = new ReplyAlreadySentError(messageId, taken.seq, sceneOfRoute(error.route), error);
          attachCallSite(refused, site);
          throw refused;
        }
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

/**
 * Checks a {@link ReplyNumbering} given at run time.
 *
 * @param value - the numbering given
 * @param name - the option's name, for the error
 * @throws `ValidationError` for anything but `'refuseTaken'` or `'skipTaken'`
 */
export function requireReplyNumbering(value: unknown, name: string): ReplyNumbering {
  if (!REPLY_NUMBERINGS.includes(value as ReplyNumbering))
    throw new ValidationError(name, `must be "refuseTaken" or "skipTaken", got ${String(value)}`);
  return value as ReplyNumbering;
}

/** The scene a reply went to, read off its route template (`/v2/groups/…`, `/v2/users/…`). */
function sceneOfRoute(route: string): 'group' | 'c2c' | undefined {
  if (route.startsWith('/v2/groups/')) return 'group';
  if (route.startsWith('/v2/users/')) return 'c2c';
  return undefined;
}
