/**
 * A pause the platform asked for (on the route, or on every route) lasts past the deadline of a
 * request about to wait it out: the request gives up at once instead of waiting to time out.
 * Internal: the client reports it as a `RateLimitedError`.
 */
export class PauseTooLongError extends Error {
  /**
   * @param wait - how long the pause still lasts, in milliseconds
   * @param code - the platform code that caused the pause (`22009`, 429, …)
   * @param global - whether it is the pause of every route (a limit marked global)
   */
  public constructor(
    public readonly wait: number,
    public readonly code: number,
    public readonly global: boolean,
  ) {
    super(`the rate-limit pause lasts ${wait} ms more, past the request's deadline`);
    this.name = 'PauseTooLongError';
  }
}
