import type { GatewayBotInfo } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import { DEFAULT_BUDGET_PERIOD_MS } from '../identify/IdentifyQueue.js';

/**
 * Longest `session_start_limit.reset_after` taken: the budget resets at least once a day
 * (docs/protocol.md §5.2, §5.5), and an hour of slack covers a platform that rounds up. A longer one is
 * a broken answer, and would leave a shard waiting with no end in sight.
 */
export const MAX_RESET_AFTER_MS = DEFAULT_BUDGET_PERIOD_MS + 60 * 60 * 1_000;

/**
 * Most shards one `/gateway/bot` answer may recommend. Each shard is a connection and a session
 * start, checked against the store one by one; a count past this is a broken answer, not a plan.
 */
export const MAX_SHARD_COUNT = 10_000;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Checks the shape of a `/gateway/bot` answer before anything relies on it.
 *
 * @param info - the answer as received
 * @returns the same object, typed; a copy whose `remaining` is `total` when it said more remain
 *   than its total (a budget lowered while starts were left): never more starts than either allows
 * @throws {@link GatewayError} naming the field that is missing or wrong
 */
export function checkGatewayBotInfo(info: unknown): GatewayBotInfo {
  const fail = (field: string, detail = ''): never => {
    throw new GatewayError(`/gateway/bot answered without a valid ${field}${detail}`, undefined);
  };
  if (typeof info !== 'object' || info === null) return fail('body');
  const candidate = info as Partial<GatewayBotInfo>;
  if (typeof candidate.url !== 'string' || candidate.url === '') fail('url');
  const { shards } = candidate;
  if (!isCount(shards) || shards < 1) return fail('shards');
  if (shards > MAX_SHARD_COUNT) {
    const detail = ` (got ${shards}, at most ${MAX_SHARD_COUNT} taken): try again later, or name the count yourself with startShardRange`;
    fail('shards', detail);
  }
  const limit = candidate.session_start_limit;
  if (typeof limit !== 'object' || limit === null) return fail('session_start_limit');
  for (const field of ['total', 'remaining', 'reset_after', 'max_concurrency'] as const) {
    if (!isCount(limit[field])) fail(`session_start_limit.${field}`);
  }
  if (limit.max_concurrency < 1) fail('session_start_limit.max_concurrency');
  if (limit.max_concurrency > MAX_SHARD_COUNT) {
    // Buckets are `shard_id % max_concurrency`: past the shard count each shard has its own, so a
    // larger count changes nothing for any plan taken, and only says the answer is broken.
    const detail = ` (got ${limit.max_concurrency}, at most ${MAX_SHARD_COUNT} taken: one bucket per shard at most): try again later`;
    fail('session_start_limit.max_concurrency', detail);
  }
  if (limit.reset_after > MAX_RESET_AFTER_MS) {
    const detail = ` (got ${limit.reset_after} ms, at most ${MAX_RESET_AFTER_MS} taken): try again later`;
    fail('session_start_limit.reset_after', detail);
  }
  const checked = candidate as GatewayBotInfo;
  if (limit.remaining <= limit.total) return checked;
  return { ...checked, session_start_limit: { ...checked.session_start_limit, remaining: limit.total } };
}
