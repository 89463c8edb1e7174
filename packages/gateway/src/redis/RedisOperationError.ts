import { GatewayError } from '../errors/GatewayError.js';

/**
 * A Redis operation failed: the server was unreachable or did not answer in time, or it refused
 * the command. Reported as a gateway error, so it reaches the same `error()` handlers.
 */
export class RedisOperationError extends GatewayError {
  /**
   * @param operation - what was attempted, for example `read the session of shard 3`
   * @param shardId - the shard concerned, if any
   * @param options - `cause`: the client's error
   */
  public constructor(
    public readonly operation: string,
    shardId: number | undefined,
    options?: ErrorOptions,
  ) {
    super(`Redis: could not ${operation}: ${describeCause(options?.cause)}`, shardId, options);
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? 'unknown failure' : String(cause);
}
