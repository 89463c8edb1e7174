import { GatewayCloseCode } from '@bot/core';
import { FatalGatewayError } from './FatalGatewayError.js';

/** Writes an intent bit set as the caller would read it: `1107296257 (1<<0 GUILDS, 1<<30 …)`. */
export function describeIntents(intents: number, names: (bit: number) => string | undefined): string {
  const bits: string[] = [];
  for (let position = 0; position < 32; position++) {
    const bit = 2 ** position;
    if (Math.floor(intents / bit) % 2 === 0) continue;
    const name = names(bit);
    bits.push(name === undefined ? `1<<${position}` : `1<<${position} ${name}`);
  }
  return `${intents} (${bits.length === 0 ? 'none' : bits.join(', ')})`;
}

/**
 * The platform answered Identify with op 9 again after one retry: that is how it refuses intents
 * the bot may not use, so the shard stops instead of spending the daily session budget on a loop.
 * `code` is 4014, the close code with the same meaning, so code-based handling treats both alike.
 */
export class IntentsRefusedError extends FatalGatewayError {
  /**
   * @param shardId - the shard that stopped
   * @param intents - the intent bits it identified with
   * @param described - those bits in words (see {@link describeIntents})
   * @param refusals - how many identifies were refused in a row
   */
  public constructor(
    shardId: number,
    public readonly intents: number,
    described: string,
    refusals: number,
  ) {
    super(GatewayCloseCode.DisallowedIntents, shardId, 'intent not permitted (identify refused with op 9)', {
      message:
        `identify refused with op 9 ${refusals} times in a row; the likely cause is intents the bot may ` +
        `not use: requested ${described}. Request only intents the bot is granted (public-domain bots ` +
        `cannot use private-domain ones), or apply for them on the platform, then start again`,
    });
  }
}
