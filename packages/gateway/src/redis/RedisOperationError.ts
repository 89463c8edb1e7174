import { GatewayError } from '../errors/GatewayError.js';
import { messageOf } from '@bot/core';

/** Options of a {@link RedisOperationError}. */
export interface RedisOperationErrorOptions extends ErrorOptions {
  /** What became of the operation, appended to the message (`parked in …`, …). */
  outcome?: string | undefined;
}

/**
 * A Redis operation failed: the server was unreachable or did not answer in time, or it refused
 * the command. Reported as a gateway error, so it reaches the same `error()` handlers.
 */
export class RedisOperationError extends GatewayError {
  /**
   * @param operation - what was attempted, for example `read the session of shard 3`
   * @param shardId - the shard concerned, if any
   * @param options - `cause`: the client's error; `outcome`: what became of the operation
   */
  public constructor(
    public readonly operation: string,
    shardId: number | undefined,
    options?: RedisOperationErrorOptions,
  ) {
    const outcome = options?.outcome === undefined ? '' : `; ${options.outcome}`;
    super(`Redis: could not ${operation}: ${describeCause(options?.cause)}${outcome}`, shardId, options);
  }
}

/** The cause in words; the client's refusal to queue while disconnected reads as what it means. */
function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    return cause.message.startsWith("Stream isn't writeable")
      ? 'not connected (the client is reconnecting)'
      : cause.message;
  }
  return cause === undefined ? 'unknown failure' : messageOf(cause);
}
