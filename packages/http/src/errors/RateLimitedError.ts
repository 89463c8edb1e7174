import { BotError } from './BotError.js';
import type { HttpMethod } from '../rest/RequestOptions.js';

/** A request was still rate limited (HTTP 429 or code `22009`) after every allowed retry. */
export class RateLimitedError extends BotError {
  public readonly kind = 'rateLimited' as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param retryAfter - milliseconds the platform (or our back-off) asked to wait
   * @param code - platform code (`22009`, `620006`, …) or 429
   * @param traceId - trace id of the last answer
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly retryAfter: number,
    public readonly code: number,
    public readonly traceId: string | undefined,
  ) {
    super(
      `${method} ${route} is rate limited (code ${code}); retry after ${retryAfter} ms` +
        (traceId ? ` (trace ${traceId})` : ''),
    );
  }
}
