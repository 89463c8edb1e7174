import { WebhookRefusedError } from './WebhookRefusedError.js';

/**
 * Any failure as the refusal to answer: a {@link WebhookRefusedError} as it is, anything else an
 * `internal` one carrying it as its cause.
 *
 * @param error - what was thrown
 */
export function asRefusal(error: unknown): WebhookRefusedError {
  return error instanceof WebhookRefusedError
    ? error
    : new WebhookRefusedError('internal', error instanceof Error ? error.message : String(error), {
        cause: error,
      });
}
