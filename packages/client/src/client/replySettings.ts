import { isPlainObject, requireInteger, ValidationError } from '@bot/core';
import type { RichFallbackOptions } from '@bot/http';
import type { ReplyWindowPolicy } from '../models/reply/replyRules.js';
import {
  DEFAULT_REPLY_SEQUENCER_CAPACITY,
  requireReplyNumbering,
  type ReplyNumbering,
} from '../models/ReplySequencer.js';
import type { ClientConfig } from './ClientConfig.js';

/**
 * The builder steps of how a client replies: the reply-window policy, the rich-content fallback
 * and the reply numbering. `ClientBuilder` inherits them, so they chain like every other step.
 */
export abstract class ReplySettings {
  #replyWindow: ReplyWindowPolicy = 'enforce';
  #richContentFallback: RichFallbackOptions | undefined;
  #replySequencerCapacity = DEFAULT_REPLY_SEQUENCER_CAPACITY;
  #replyNumbering: ReplyNumbering = 'refuseTaken';

  /**
   * Whether `reply()` and `replyStream()` refuse a message whose reply window has passed or whose
   * replies are used up, before any request (`'enforce'`, the default: a `ReplyWindowClosedError`),
   * or send anyway and let the platform decide (`'ignore'`). A call's `{ replyWindow }` overrides it.
   *
   * @example
   * ```ts
   * Client.builder(token, intents).replyWindows('ignore');
   * ```
   */
  public replyWindows(policy: ReplyWindowPolicy): this {
    this.#replyWindow = policy;
    return this;
  }

  /** The reply window policy. */
  public getReplyWindows(): ReplyWindowPolicy {
    return this.#replyWindow;
  }

  /**
   * Opt-in: a markdown/keyboard message the platform refuses for the bot's permissions is sent
   * once more as plain text rendered from it, and each time `onFallback` hears of it (so does the
   * REST client's `richContentFallback` event; `richFallbackOf(result)` reads it off the result).
   * Off by default: such a send fails with the platform's `ApiError`.
   *
   * @example
   * ```ts
   * Client.builder(token, intents).richContentFallback({
   *   onFallback: (report) => log.warn(`sent as text (code ${report.code}) to ${report.route}`),
   * });
   * ```
   *
   * @throws {@link ValidationError} when `onFallback` or `render` is given but is not a function
   */
  public richContentFallback(options: RichFallbackOptions = {}): this {
    if (!isPlainObject(options))
      throw new ValidationError('richContentFallback', 'must be an object ({ onFallback?, render? })');
    for (const field of ['onFallback', 'render'] as const)
      if (options[field] !== undefined && typeof options[field] !== 'function')
        throw new ValidationError(`richContentFallback.${field}`, 'must be a function when given');
    this.#richContentFallback = options;
    return this;
  }

  /** The rich-content fallback, when enabled. */
  public getRichContentFallback(): RichFallbackOptions | undefined {
    return this.#richContentFallback;
  }

  /**
   * How many inbound messages the client keeps reply numbers (`msg_seq`) for, those first replied
   * to within the last hour (20,000 by default). Past it the oldest are forgotten: a further reply
   * to one still goes out, but numbers from 1 again and costs a request refused as a duplicate per
   * reply it had before, and the client's logger warns of it (at most once a minute). Raise it
   * above the number of messages the bot replies to in an hour.
   *
   * @example
   * ```ts
   * Client.builder(token, intents).replySequencerCapacity(100_000);
   * ```
   *
   * @throws {@link ValidationError} when `capacity` is not a positive integer
   */
  public replySequencerCapacity(capacity: number): this {
    this.#replySequencerCapacity = requireInteger(capacity, 'replySequencerCapacity', 1);
    return this;
  }

  /** How many inbound messages the client keeps reply numbers for. */
  public getReplySequencerCapacity(): number {
    return this.#replySequencerCapacity;
  }

  /**
   * What a reply does when the platform refuses its `msg_seq` as used although this client had not
   * used the number for the message: another process, or an earlier run, already replied to the
   * message under it.
   *
   * - `'refuseTaken'` (the default): the reply fails with a `ReplyAlreadySentError` and nothing is
   *   sent. The same event handled twice (a webhook delivery sent again to a fresh process, an
   *   event replayed after a resume, several instances behind a load balancer) then answers the
   *   user once, not twice.
   * - `'skipTaken'`: the reply is sent again under the next free number. For bots whose processes
   *   reply to the same message on purpose, each with replies of its own.
   *
   * Either way a reply to a message whose numbers the client forgot past
   * {@link ReplySettings.replySequencerCapacity} skips the numbers it used before, and a re-send
   * of the client's own that the platform refuses is a `DuplicateSendError`, never sent again.
   *
   * @example
   * ```ts
   * // Two services answer each message, each with its own reply.
   * Client.builder(token, intents).replyNumbering('skipTaken');
   * ```
   *
   * @throws {@link ValidationError} for anything but `'refuseTaken'` or `'skipTaken'`
   */
  public replyNumbering(numbering: ReplyNumbering): this {
    this.#replyNumbering = requireReplyNumbering(numbering, 'replyNumbering');
    return this;
  }

  /** What a reply does with a `msg_seq` another process used ({@link ReplySettings.replyNumbering}). */
  public getReplyNumbering(): ReplyNumbering {
    return this.#replyNumbering;
  }

  /**
   * The reply settings of the client's configuration, checked.
   *
   * @throws {@link ValidationError} for a reply-window policy other than `'enforce'`/`'ignore'`
   */
  protected replyConfig(): Pick<
    ClientConfig,
    'replyWindow' | 'richContentFallback' | 'replySequencerCapacity' | 'replyNumbering'
  > {
    if (this.#replyWindow !== 'enforce' && this.#replyWindow !== 'ignore')
      throw new ValidationError('replyWindows', 'must be "enforce" or "ignore"');
    return {
      replyWindow: this.#replyWindow,
      replySequencerCapacity: this.#replySequencerCapacity,
      replyNumbering: this.#replyNumbering,
      ...(this.#richContentFallback === undefined ? {} : { richContentFallback: this.#richContentFallback }),
    };
  }
}
