import { BotError } from '@bot/core';
import type { ApiError } from './ApiError.js';

/**
 * The platform refused a markdown/keyboard message for the bot's permissions, the rich-content
 * fallback re-sent it as plain text, and that send failed too (the failure is the `cause`).
 * Nothing was delivered.
 */
export class RichContentFallbackError extends BotError {
  public readonly kind = 'richContentFallback' as const;
  /** The platform's refusal of the rich message. */
  public readonly refusal: ApiError;

  /**
   * @param refusal - the refusal of the markdown/keyboard message
   * @param failure - what the plain-text re-send failed with
   */
  public constructor(refusal: ApiError, failure: unknown) {
    super(
      `${refusal.method} ${refusal.route}: the markdown/keyboard message was refused (code ${refusal.code}) ` +
        `and its plain-text fallback failed too: ${failure instanceof Error ? failure.message : String(failure)}; nothing was sent`,
      { cause: failure },
    );
    this.refusal = refusal;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    richContentFallback: RichContentFallbackError;
  }
}
