import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { repeatAdvice } from './delivery.js';

/**
 * The platform (or a proxy in front of it) answered with a body larger than the client's
 * `maxResponseBytes`: the answer was dropped unread, its connection closed, and the call is not
 * retried (the same request would draw the same answer). The request was received and may have
 * taken effect: for a POST, check before sending it again. Raise `maxResponseBytes` if answers
 * this large are expected.
 */
export class ResponseTooLargeError extends BotError {
  public readonly kind = 'responseTooLarge' as const;
  /** Always `true`: an answer came back, so the platform received the request and may have acted on it. */
  public readonly mayHaveBeenSent = true as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param size - the answer's declared `Content-Length` when `declared`, otherwise the bytes read
   *   when it was cut off (more than `limit`)
   * @param declared - whether the answer was refused for its `Content-Length`, before its body
   * @param limit - the `maxResponseBytes` in force
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly size: number,
    public readonly declared: boolean,
    public readonly limit: number,
  ) {
    const what = declared
      ? `a Content-Length of ${size} bytes`
      : `more than ${limit} bytes (cut off at ${size})`;
    const delivery = repeatAdvice(method, route, true);
    super(
      `${method} ${route} answered with ${what}, over maxResponseBytes (${limit}): the answer was dropped; ` +
        (delivery === undefined ? '' : `${delivery}; `) +
        'raise the client option maxResponseBytes if answers this large are expected',
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    responseTooLarge: ResponseTooLargeError;
  }
}
