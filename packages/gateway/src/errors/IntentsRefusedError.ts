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

/** What to do about refused intents, whichever way the platform refused them. */
const INTENTS_REMEDY =
  'Request only intents the bot is granted (public-domain bots cannot use private-domain ones), ' +
  'or apply for them on the platform, then start again';

/**
 * How the platform refused the intents: the documented close 4014, or op 9 answering Identify
 * twice (docs/protocol.md §3.8).
 */
export type IntentsRefusal = 'close' | 'invalidSession';

/**
 * The platform refused the intents a shard identified with, so the shard stops: it closed the
 * connection with 4014, or answered Identify with op 9 again after one retry (how it is reported to
 * refuse them too), rather than spending the daily session budget on a loop. The message names
 * the intents asked for and what to do. `code` is 4014 either way, so code-based handling treats
 * both alike.
 */
export class IntentsRefusedError extends FatalGatewayError {
  /** Whether a 4014 close or repeated op 9 refused the intents. */
  public readonly refusal: IntentsRefusal;

  /**
   * @param shardId - the shard that stopped
   * @param intents - the intent bits it identified with
   * @param described - those bits in words (see {@link describeIntents})
   * @param refusals - how many identifies op 9 refused in a row; `undefined` for a 4014 close
   */
  public constructor(
    shardId: number,
    public readonly intents: number,
    described: string,
    refusals: number | undefined,
  ) {
    const closed = refusals === undefined;
    super(
      GatewayCloseCode.DisallowedIntents,
      shardId,
      closed ? 'intent not permitted' : 'intent not permitted (identify refused with op 9)',
      {
        message: closed
          ? `closed with code 4014 (intent not permitted): the platform refused intents the bot may ` +
            `not use; requested ${described}. ${INTENTS_REMEDY}`
          : `identify refused with op 9 ${refusals} times in a row; the likely cause is intents the bot ` +
            `may not use: requested ${described}. ${INTENTS_REMEDY}`,
      },
    );
    this.refusal = closed ? 'close' : 'invalidSession';
  }
}
