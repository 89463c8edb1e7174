import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { repeatAdvice } from './delivery.js';

/**
 * What was ended under the request: its `RestClient` (`RestClient.destroy()`, which a client's
 * `shutdown()` calls last), or the `AccessTokenProvider` it fetched a token from (its `signal`
 * aborted; a `RestClient`'s own provider ends with the client).
 */
export type DestroyedPart = 'restClient' | 'tokenProvider';

/**
 * The request was cut short, or refused before it started, because its `RestClient` was destroyed
 * (`RestClient.destroy()`, which a client's `shutdown()` calls last) or its access token provider
 * was closed. Nothing failed on the network. `mayHaveBeenSent` says whether the platform may
 * have received it (its body was written, or an earlier attempt of the call may have landed): a
 * POST cut off then may have taken effect, and the message says to check before sending it again,
 * as a `TimeoutError` does. It is final, never retried: every later request would fail the
 * same way. Requests made after that need a new client; work that must finish belongs before it,
 * or within the shutdown deadline.
 */
export class ClientDestroyedError extends BotError {
  public readonly kind = 'clientDestroyed' as const;

  /**
   * @param method - HTTP method of the request; `undefined` for work that is not one request (the
   *   reason `RestClient.destroy()` gives `closing` and the signals joined to it)
   * @param route - route template of the request; `undefined` when `method` is
   * @param destroyed - what was ended: the REST client (by default) or the token provider
   * @param options - `cause`: e.g. the token provider's own error, for a request it left without a token
   * @param mayHaveBeenSent - whether the request may have reached the platform before it was cut
   *   off; `false` for one that was not yet sent, and for work that is not one request
   */
  public constructor(
    public readonly method: HttpMethod | undefined,
    public readonly route: string | undefined,
    public readonly destroyed: DestroyedPart = 'restClient',
    options?: ErrorOptions,
    public readonly mayHaveBeenSent = false,
  ) {
    const what = method === undefined ? "the REST client's work in progress" : `${method} ${route}`;
    const delivery =
      method === undefined || route === undefined ? undefined : repeatAdvice(method, route, mayHaveBeenSent);
    super(
      `${what} was not completed: ${delivery === undefined ? '' : `${delivery}; `}${WHY[destroyed]}`,
      options,
    );
  }
}

const WHY: Record<DestroyedPart, string> = {
  restClient:
    "its REST client was destroyed (RestClient.destroy(), which a Client's shutdown() calls); " +
    'make requests before that or within the shutdown deadline, or use a new RestClient',
  tokenProvider:
    'its access token provider was closed (its signal aborted; a RestClient closes the provider it ' +
    'made when destroyed); use a new provider, or a new RestClient',
};

declare module '@bot/core' {
  interface BotErrorKinds {
    clientDestroyed: ClientDestroyedError;
  }
}
