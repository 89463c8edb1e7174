import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';

/** The request never got an HTTP answer: DNS failure, refused or reset connection, TLS error. */
export class NetworkError extends BotError {
  public readonly kind = 'network' as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param reason - the system error code or message (`ECONNREFUSED`, …)
   * @param cause - the underlying error
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly reason: string,
    cause?: unknown,
  ) {
    super(`${method} ${route} failed on the network: ${reason}`, { cause });
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    network: NetworkError;
  }
}
