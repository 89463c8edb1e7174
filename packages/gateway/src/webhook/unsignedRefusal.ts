import { WebhookRefusedError } from './WebhookRefusedError.js';

/**
 * The refusal of a request without signature headers that cannot be a URL validation.
 *
 * @param detail - why not, after a comma: "and it is not a URL validation"
 */
export function unsignedRefusal(detail: string): WebhookRefusedError {
  return new WebhookRefusedError(
    'missingSignature',
    `request without signature headers (only a URL validation may come unsigned), ${detail}`,
  );
}
