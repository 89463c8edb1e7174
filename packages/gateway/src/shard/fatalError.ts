import { GatewayCloseCode } from '@bot/core';
import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { describeIntents, IntentsRefusedError } from '../errors/IntentsRefusedError.js';
import type { Recovery } from './recovery.js';

/**
 * The error a shard stops with for a fatal plan: an {@link IntentsRefusedError} naming the
 * intents when the platform closed with 4014 or Identify kept being refused, a
 * {@link FatalGatewayError} otherwise.
 *
 * @param plan - the planner's decision
 * @param shardId - the shard that stops
 * @param intents - the intent bits it identified with
 * @param intentName - names an intent bit, where the caller knows the names
 */
export function fatalErrorFor(
  plan: Recovery & { action: 'fatal' },
  shardId: number,
  intents: number,
  intentName: (bit: number) => string | undefined = () => undefined,
): FatalGatewayError {
  // Close 4014 (docs/protocol.md §4) and repeated op 9 after Identify (§3.8) both refuse intents.
  const closedForIntents =
    plan.code === GatewayCloseCode.DisallowedIntents &&
    plan.cause === undefined &&
    plan.message === undefined;
  if (plan.identifyRefusals !== undefined || closedForIntents) {
    return new IntentsRefusedError(
      shardId,
      intents,
      describeIntents(intents, intentName),
      plan.identifyRefusals,
    );
  }
  return new FatalGatewayError(plan.code, shardId, plan.meaning, {
    cause: plan.cause,
    message: plan.message,
  });
}
