import { WebhookRefusedError } from './WebhookRefusedError.js';
import { messageOf } from '@bot/core';

/**
 * Any failure as the refusal to answer: a {@link WebhookRefusedError} as it is, anything else an
 * `internal` one carrying it as its cause.
 *
 * @param error - what was thrown
 */
export function asRefusal(error: unknown): WebhookRefusedError {
  return error instanceof WebhookRefusedError
    ? error
    : new WebhookRefusedError('internal', messageOf(error), {
        cause: error,
      });
}
