import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { describeIntents, IntentsRefusedError } from '../errors/IntentsRefusedError.js';
import type { Recovery } from './recovery.js';

/**
 * The error a shard stops with for a fatal plan: an {@link IntentsRefusedError} naming the
 * intents when Identify kept being refused, a {@link FatalGatewayError} otherwise.
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
  if (plan.identifyRefusals !== undefined) {
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
