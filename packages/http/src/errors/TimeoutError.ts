import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';

/** The request got no answer within its timeout. */
export class TimeoutError extends BotError {
  public readonly kind = 'timeout' as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param timeout - the timeout that elapsed, in milliseconds
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly timeout: number,
  ) {
    super(`${method} ${route} timed out after ${timeout} ms`);
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    timeout: TimeoutError;
  }
}
