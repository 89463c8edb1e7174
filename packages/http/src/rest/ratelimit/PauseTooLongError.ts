/**
 * A pause the platform asked for (on the route, or on every route) lasts past the deadline of a
 * request about to wait it out: the request gives up at once instead of waiting to time out.
 * Internal: the client reports it as a `RateLimitedError`.
 */
export class PauseTooLongError extends Error {
  /**
   * @param wait - how long the pause still lasts, in milliseconds
   * @param code - the platform code that caused the pause (`22009`, 429, …)
   */
  public constructor(
    public readonly wait: number,
    public readonly code: number,
  ) {
    super(`the rate-limit pause lasts ${wait} ms more, past the request's deadline`);
    this.name = 'PauseTooLongError';
  }
}
