import { GatewayError } from './GatewayError.js';

/** Options of a {@link FatalGatewayError}. */
export interface FatalGatewayErrorOptions extends ErrorOptions {
  /** The whole message, when something other than a close frame ended the shard. */
  message?: string | undefined;
}

/**
 * A shard stopped for good: the platform closed it with a code the close-code policy marks fatal
 * (bad intents, invalid shard, banned bot, …), authentication kept failing, the platform kept
 * refusing Identify, or the token provider (or `RestClient`) the shard shares was closed. Reconnecting
 * cannot help; the configuration, the bot's standing or what the shard is given must change first.
 */
export class FatalGatewayError extends GatewayError {
  /**
   * @param code - the close code (4004 for repeated authentication failures, 4014 for intents
   *   refused with op 9, 4000 (the shard's own resumable close) for a closed token provider)
   * @param shardId - the shard that stopped
   * @param meaning - the code's meaning from the close-code table
   * @param options - `cause`, when a thrown error (not a close frame) ended the shard; `message`
   *   to replace the default `closed with fatal code …`
   */
  public constructor(
    public readonly code: number,
    shardId: number,
    public readonly meaning: string,
    options: FatalGatewayErrorOptions = {},
  ) {
    super(options.message ?? `closed with fatal code ${code} (${meaning})`, shardId, options);
  }
}
