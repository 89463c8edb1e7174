import { RedisOperationError } from '../RedisOperationError.js';

/**
 * The connection to Redis was lost: publishes wait (within the publisher's backlog bounds, shards
 * paused beyond half of them) and are retried once it is back. Reported as soon as the connection
 * drops, once per outage. docs/redis-deployment.md, "Redis outages".
 */
export class RedisUnavailableError extends RedisOperationError {
  /** @param cause - what the client reported, if anything */
  public constructor(cause?: unknown) {
    super('reach the server', undefined, {
      cause: cause ?? new Error('connection closed'),
      outcome:
        'events wait in the publish backlog (shards pause reading when it is half full) and are ' +
        'published once Redis is back; check that the server is up and reachable',
    });
  }
}
