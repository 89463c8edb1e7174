import { BotError } from '@bot/core';

/** A gateway-side failure that does not end the shard (a malformed frame, a failed store write, …). */
export class GatewayError extends BotError {
  /** Discriminant shared by every gateway error. */
  public readonly kind = 'gateway' as const;

  /**
   * @param message - what went wrong
   * @param shardId - the shard it happened on; `undefined` for the webhook transport
   * @param options - `cause` of the failure
   */
  public constructor(
    message: string,
    public readonly shardId: number | undefined,
    options?: ErrorOptions,
  ) {
    super(shardId === undefined ? message : `shard ${shardId}: ${message}`, options);
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    gateway: GatewayError;
  }
}
