import type { ByteBudget } from './ByteBudget.js';
import type { BodyLimits } from './readBody.js';
import type { WebhookLimits } from './WebhookLimits.js';
import { unsignedRefusal } from './unsignedRefusal.js';
import { WebhookRefusedError } from './WebhookRefusedError.js';

/**
 * Largest body accepted without signature headers. Only the URL validation arrives unsigned, and
 * it is small: a token of at most 256 characters, a timestamp, the envelope.
 */
export const MAX_UNSIGNED_BODY_BYTES = 1024;

/** What a receiver lets a body cost: one set of limits for signed requests, one for unsigned ones. */
export interface ReceiverBodyLimits {
  readonly signed: BodyLimits;
  readonly unsigned: BodyLimits;
}

/**
 * The body limits of a receiver, made once when it is built (not per request): signed bodies up
 * to `maxBodyBytes`, unsigned ones up to {@link MAX_UNSIGNED_BODY_BYTES}, both from one budget
 * and with one deadline.
 *
 * @param limits - the receiver's resolved limits
 * @param budget - the receiver's buffered-bytes budget
 */
export function receiverBodyLimits(limits: WebhookLimits, budget: ByteBudget): ReceiverBodyLimits {
  const timeoutMs = limits.bodyTimeoutMs;
  return {
    signed: { maxBytes: limits.maxBodyBytes, budget, timeoutMs, tooLarge: signedTooLarge },
    unsigned: { maxBytes: MAX_UNSIGNED_BODY_BYTES, budget, timeoutMs, tooLarge: unsignedTooLarge },
  };
}

function signedTooLarge(detail: string): WebhookRefusedError {
  return new WebhookRefusedError('bodyTooLarge', detail);
}

function unsignedTooLarge(detail: string): WebhookRefusedError {
  return unsignedRefusal(`and its ${detail}`);
}
