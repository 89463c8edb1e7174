import { GatewayError } from './GatewayError.js';

/**
 * A shard stopped for good: the platform closed it with a code the close-code policy marks fatal
 * (bad intents, invalid shard, banned bot, …), or authentication kept failing. Reconnecting
 * cannot help; the configuration or the bot's standing must change first.
 */
export class FatalGatewayError extends GatewayError {
  /**
   * @param code - the close code (4004 for repeated authentication failures)
   * @param shardId - the shard that stopped
   * @param meaning - the code's meaning from the close-code table
   * @param options - `cause`, when a thrown error (not a close frame) ended the shard
   */
  public constructor(
    public readonly code: number,
    shardId: number,
    public readonly meaning: string,
    options?: ErrorOptions,
  ) {
    super(`closed with fatal code ${code} (${meaning})`, shardId, options);
  }
}
