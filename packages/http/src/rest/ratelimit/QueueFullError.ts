/**
 * A route already has `maxQueued` requests waiting for their turn: the request is refused at once
 * instead of holding its body in memory until its deadline. Internal: the client reports it as a
 * `RateLimitedError` whose `exceeded` is `maxQueued`.
 */
export class QueueFullError extends Error {
  /** @param limit - the route's `maxQueued` */
  public constructor(public readonly limit: number) {
    super(`the route already has ${limit} requests waiting (maxQueued)`);
    this.name = 'QueueFullError';
  }
}
