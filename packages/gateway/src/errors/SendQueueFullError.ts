import { GatewayError } from './GatewayError.js';

/**
 * `shard.send()` was refused at once: `maxQueued` ordinary frames already wait for the outbound
 * budget (60 frames a minute by default). Sending faster than the budget only grows the wait; slow
 * down, or drop frames that are no longer worth sending.
 */
export class SendQueueFullError extends GatewayError {
  /**
   * @param maxQueued - the queue's bound (`sendLimit.maxQueued`)
   * @param shardId - the shard whose queue is full, when known
   */
  public constructor(
    public readonly maxQueued: number,
    shardId?: number,
  ) {
    super(
      `the outbound queue is full (${maxQueued} frames wait for the send budget); ` +
        'send less often, or raise sendLimit.maxQueued',
      shardId,
    );
  }
}
