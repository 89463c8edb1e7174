import type { GatewayBotInfo } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Checks the shape of a `/gateway/bot` answer before anything relies on it.
 *
 * @param info - the answer as received
 * @returns the same object, typed
 * @throws {@link GatewayError} naming the field that is missing or wrong
 */
export function checkGatewayBotInfo(info: unknown): GatewayBotInfo {
  const fail = (field: string): never => {
    throw new GatewayError(`/gateway/bot answered without a valid ${field}`, undefined);
  };
  if (typeof info !== 'object' || info === null) return fail('body');
  const candidate = info as Partial<GatewayBotInfo>;
  if (typeof candidate.url !== 'string' || candidate.url === '') fail('url');
  if (!isCount(candidate.shards) || candidate.shards < 1) fail('shards');
  const limit = candidate.session_start_limit;
  if (typeof limit !== 'object' || limit === null) return fail('session_start_limit');
  for (const field of ['total', 'remaining', 'reset_after', 'max_concurrency'] as const) {
    if (!isCount(limit[field])) fail(`session_start_limit.${field}`);
  }
  if (limit.max_concurrency < 1) fail('session_start_limit.max_concurrency');
  return candidate as GatewayBotInfo;
}
