import type { Got } from 'got';
import { authorization } from '../auth/authorization.js';

/**
 * A client's got instance, and a copy of it that sends the current access token. The token
 * changes every two hours or so; setting it once per token, not per request, spares got merging
 * and lower-casing the header every time.
 */
export class AuthorizedHttp {
  readonly #http: Got;
  /** `#http` with the current token's `authorization` set, made again when the token changes. */
  #authorized: { accessToken: string; http: Got } | undefined;

  /** @param http - the client's got instance, without a token */
  public constructor(http: Got) {
    this.#http = http;
  }

  /**
   * The got instance that sends `accessToken`.
   *
   * @param accessToken - the token; none: the plain instance, for unauthenticated requests
   */
  public for(accessToken: string | undefined): Got {
    if (accessToken === undefined) return this.#http;
    if (this.#authorized?.accessToken !== accessToken) {
      this.#authorized = {
        accessToken,
        http: this.#http.extend({ headers: { authorization: authorization(accessToken) } }),
      };
    }
    return this.#authorized.http;
  }
}
