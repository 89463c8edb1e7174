import { BotError } from '@bot/core';
import type { ReplyScene } from './replyRules.js';

/** Why a reply window no longer admits replies. */
export type ReplyWindowClosedReason = 'expired' | 'exhausted';

/**
 * A reply was refused before any request: the inbound message's passive-reply window has passed,
 * or its replies are used up (docs/protocol.md §8.2, §15.2). Nothing was sent. Proactive sends are
 * not delivered any more (§8.1), so the remedy is to reply to something newer: a later message,
 * or an event by `event_id`. Pass `{ replyWindow: 'ignore' }` (per call, or per client with
 * `ClientBuilder.replyWindows('ignore')`) to send anyway and let the platform decide.
 */
export class ReplyWindowClosedError extends BotError {
  public readonly kind = 'replyWindowClosed' as const;

  /**
   * @param scene - where the message was received
   * @param messageId - the inbound message replied to
   * @param reason - the window has passed, or its replies are used up
   * @param expiresAt - when the window closes (or closed) by this client's clocks
   * @param limit - replies allowed per message, when the platform documents one
   * @param refusedAt - when the platform refused a reply with a code saying the window is closed,
   *   if it did: the window is closed since then, whatever `expiresAt` says
   */
  public constructor(
    public readonly scene: ReplyScene,
    public readonly messageId: string,
    public readonly reason: ReplyWindowClosedReason,
    public readonly expiresAt: Date,
    public readonly limit: number | undefined,
    public readonly refusedAt: Date | undefined = undefined,
  ) {
    super(
      `reply to ${scene} message ${messageId} not sent: ${closedWhy(reason, expiresAt, limit, refusedAt)}; ` +
        'proactive messages are not delivered, so reply to a newer message or to an event by ' +
        'event_id, or pass { replyWindow: "ignore" } to send anyway and let the platform decide',
    );
  }
}

/** Why the window is closed, in words: the platform's refusal when there was one, else the local rule. */
function closedWhy(
  reason: ReplyWindowClosedReason,
  expiresAt: Date,
  limit: number | undefined,
  refusedAt: Date | undefined,
): string {
  // After a refusal the local close time may still be ahead: naming it would state a falsehood.
  if (refusedAt !== undefined)
    return reason === 'expired'
      ? `the platform refused a reply to it as expired at ${refusedAt.toISOString()}`
      : `the platform refused a reply to it at ${refusedAt.toISOString()}: its replies are used up`;
  return reason === 'expired'
    ? `its reply window closed at ${expiresAt.toISOString()}`
    : `its ${limit ?? 'allowed'} replies are used up`;
}

declare module '@bot/core' {
  interface BotErrorKinds {
    replyWindowClosed: ReplyWindowClosedError;
  }
}
