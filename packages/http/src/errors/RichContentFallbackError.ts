import { BotError, messageOf } from '@bot/core';
import type { ApiError } from './ApiError.js';

/**
 * The platform refused a markdown/keyboard message for the bot's permissions, the rich-content
 * fallback re-sent it as plain text, and that send failed too (the failure is the `cause`). The
 * rich message was not posted. Whether the plain text was depends on how its send failed:
 * `mayHaveBeenSent` is `false` only when it certainly was not (the platform refused every attempt
 * of it, or it never left the machine); after a timeout or a connection lost on the wire, a 5xx,
 * an answer that could not be read, or a refusal of a re-send after one of these, it may have been
 * posted, so check the conversation before sending it again.
 */
export class RichContentFallbackError extends BotError {
  public readonly kind = 'richContentFallback' as const;
  /** The platform's refusal of the rich message. */
  public readonly refusal: ApiError;
  /** Whether the plain text may have been posted despite the failure. */
  public readonly mayHaveBeenSent: boolean;

  /**
   * @param refusal - the refusal of the markdown/keyboard message
   * @param failure - what the plain-text re-send failed with
   * @param mayHaveBeenSent - whether the plain text may have been posted all the same
   */
  public constructor(refusal: ApiError, failure: unknown, mayHaveBeenSent: boolean) {
    super(
      `${refusal.method} ${refusal.route}: the markdown/keyboard message was refused (code ${refusal.code}) ` +
        `and its plain-text fallback failed too: ${messageOf(failure)}; ` +
        (mayHaveBeenSent
          ? 'the plain text may have been delivered: check before sending again'
          : 'nothing was sent'),
      { cause: failure },
    );
    this.refusal = refusal;
    this.mayHaveBeenSent = mayHaveBeenSent;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    richContentFallback: RichContentFallbackError;
  }
}
