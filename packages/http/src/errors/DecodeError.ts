import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { repeatAdvice } from './delivery.js';

/**
 * The platform (or a proxy in front of it) accepted a request with a 2xx status but answered with a
 * body that is not JSON, or JSON that is neither an object nor an array (a bare number, string or
 * boolean, or `null`, which no endpoint answers), so there is no result to hand back. The request
 * reached the platform and may have taken effect (`mayHaveBeenSent`): for a POST, check before
 * sending it again.
 */
export class DecodeError extends BotError {
  public readonly kind = 'decode' as const;
  /** Always `true`: a 2xx came back, so the platform received the request and may have acted on it. */
  public readonly mayHaveBeenSent = true as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param status - HTTP status of the answer
   * @param bodyLength - length of the unreadable body, in characters
   * @param traceId - trace id of the answer, when present
   * @param found - what the JSON body held instead of an object or array (`a number`, `a string`,
   *   `a boolean`, `null`); `undefined` for a body that is not JSON
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly status: number,
    public readonly bodyLength: number,
    public readonly traceId: string | undefined,
    public readonly found: string | undefined = undefined,
  ) {
    const delivery = repeatAdvice(method, route, true);
    super(
      `${method} ${route} answered ${status} with ` +
        (found === undefined
          ? `a body that is not JSON (${bodyLength} characters)`
          : `${found} where a JSON object or array was expected`) +
        (traceId ? ` (trace ${traceId})` : '') +
        (delivery === undefined ? '' : `; ${delivery}`),
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    decode: DecodeError;
  }
}
