/** The session-budget refusal counts its shards and session starts in good English. */
import { describe, expect, it } from 'vitest';
import type { GatewayBotInfo } from '@bot/core';
import { InMemorySessionStore } from '@bot/gateway';
import { startCalls } from '../src/manager/StartCall.js';
import { checkSessionBudget } from '../src/manager/startChecks.js';

const info = (remaining: number, shards: number): GatewayBotInfo => ({
  url: 'wss://gateway.example',
  shards,
  session_start_limit: { total: 1_000, remaining, reset_after: 60_000, max_concurrency: 1 },
});

/** The refusal of starting `total` shards with `remaining` session starts left. */
async function refusal(total: number, remaining: number): Promise<string> {
  const ids = Array.from({ length: total }, (_, id) => id);
  const checking = checkSessionBudget(
    startCalls.startShards(total),
    ids,
    total,
    info(remaining, total),
    new InMemorySessionStore(),
    1_000,
  );
  return checking.then(
    () => 'no refusal',
    (error: unknown) => (error as Error).message,
  );
}

describe('the session-budget refusal', () => {
  it('says "1 shard" and "1 remains" for one', async () => {
    expect(await refusal(2, 1)).toContain(
      'startShards(2) needs 2 session starts but only 1 remains: start at most 1 shard needing an identify now, the rest once the budget resets in 60 s',
    );
  });

  it('says to start none when none remain', async () => {
    expect(await refusal(2, 0)).toContain(
      'startShards(2) needs 2 session starts but none remain: start no shard needing an identify until the budget resets in 60 s',
    );
  });

  it('keeps the plural for several', async () => {
    expect(await refusal(4, 3)).toContain(
      'but only 3 remain: start at most 3 shards needing an identify now',
    );
  });
});
