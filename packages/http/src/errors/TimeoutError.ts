import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { ACCESS_TOKEN_ROUTE, repeatAdvice } from './delivery.js';

const RAISE_CALL_TIMEOUT = 'raise `timeout` (client or call) if the platform is this slow';
/** The token request runs with the provider's timeout (10 s by default), whatever the call's. */
const RAISE_TOKEN_TIMEOUT =
  "raise the token provider's `timeout` (`new AccessTokenProvider(token, { timeout })`, given to " +
  'the client as `tokens`) if the token endpoint is this slow';

/**
 * The request got no answer within its timeout. When it may have reached the platform
 * (`mayHaveBeenSent`), a POST may have taken effect: the message says to check before sending it
 * again. The message also names the option to raise: `timeout`, of the client or of the call; for
 * the token request, the token provider's own `timeout`, which the call's does not change.
 */
export class TimeoutError extends BotError {
  public readonly kind = 'timeout' as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param timeout - the timeout that elapsed, in milliseconds
   * @param mayHaveBeenSent - whether the request (or an earlier attempt of the call) may have
   *   reached the platform; `false` only when the time ran out before anything was sent (waiting
   *   for the token or its turn). `true` when not known.
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly timeout: number,
    public readonly mayHaveBeenSent = true,
  ) {
    const delivery = mayHaveBeenSent ? repeatAdvice(method, route, true) : 'nothing was sent';
    super(
      `${method} ${route} timed out after ${timeout} ms: ` +
        (delivery === undefined ? '' : `${delivery}; `) +
        (route === ACCESS_TOKEN_ROUTE ? RAISE_TOKEN_TIMEOUT : RAISE_CALL_TIMEOUT),
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    timeout: TimeoutError;
  }
}
