/**
 * The pause after sessions ended by op 9 spreads half the bot's daily budget of session starts
 * over its shards. It assumed a budget of 1,000 whatever the platform answered, so a bot with a
 * budget of 5,000 kept its shards down five times longer than its budget asks. The shard now
 * takes the real total (`sessionStartTotal`, 1,000 when not given), and a manager passes the total
 * `/gateway/bot` answered.
 */
import { describe, expect, it } from 'vitest';
import { qqProtocol, type ShardManager } from '@bot/gateway';
import { closeRuleLookup } from '../src/shard/closePolicy.js';
import {
  INVALIDATED_SESSION_PAUSE_MS,
  INVALIDATED_SESSIONS_BEFORE_PAUSE,
  invalidatedSessionPauseMs,
} from '../src/shard/recovery.js';
import { ReconnectPlanner } from '../src/shard/ReconnectPlanner.js';
import { useFakeGatewayManagers } from './support/fakeGatewayManagers.js';
import { advanceUntil, makeShard } from './support/harness.js';
import { endEverySession, startsInADay } from './support/invalidatedSessions.js';
import { STABLE_AFTER_MS } from './support/planner.js';

const DAY_MS = 86_400_000;

/** A planner as `qqPlanner` builds it, told the bot's budget. */
function plannerWithBudget(sessionStartTotal: number): ReconnectPlanner {
  return new ReconnectPlanner({
    backoff: { stableAfterMs: STABLE_AFTER_MS },
    ruleFor: closeRuleLookup(qqProtocol),
    maxAuthFailures: 2,
    sessionStartTotal,
  });
}

describe('the op 9 pause by the bot’s real budget', () => {
  it('is shardCount × 24 h / (total / 2), 10 minutes at least and a day at most', () => {
    expect(invalidatedSessionPauseMs(20)).toBe((20 * DAY_MS) / 500);
    expect(invalidatedSessionPauseMs(20, 1_000)).toBe((20 * DAY_MS) / 500);
    expect(invalidatedSessionPauseMs(20, 5_000)).toBe((20 * DAY_MS) / 2_500);
    expect(invalidatedSessionPauseMs(3, 5_000)).toBe(INVALIDATED_SESSION_PAUSE_MS);
    expect(invalidatedSessionPauseMs(20, 10)).toBe(DAY_MS);
  });

  it.each([
    [20, 5_000],
    [100, 5_000],
    [300, 2_000],
  ])('%i shards with a budget of %i spend about half of it in a day', (shardCount, total) => {
    const starts = shardCount * startsInADay(plannerWithBudget(total), shardCount);
    // The quick identifies before the pause come once per incident, on top of the daily rate.
    expect(starts).toBeLessThanOrEqual(total / 2 + shardCount * (INVALIDATED_SESSIONS_BEFORE_PAUSE + 1));
    // And the shards are not held down longer than the budget asks: at least ~half is used.
    expect(starts).toBeGreaterThanOrEqual(total / 2);
  });
});

describe('a shard given the bot’s budget, and one a manager starts', () => {
  const fake = useFakeGatewayManagers();

  /** The delays announced by `close` events until the pause (the fifth). */
  async function pauseOf(onClose: (listener: (delayMs: number) => void) => void): Promise<number> {
    const delays: number[] = [];
    onClose((delayMs) => delays.push(delayMs));
    await advanceUntil(() => delays.length === INVALIDATED_SESSIONS_BEFORE_PAUSE, 120_000, 500);
    return delays.at(-1)!;
  }

  it('a Shard started alone waits by the total it is given', async () => {
    endEverySession(fake.gateway);
    const { shard } = makeShard(fake.gateway.url, { id: 3, total: 20, sessionStartTotal: 5_000 });
    await shard.start();
    const pauseMs = await pauseOf((listener) => shard.on('close', (event) => listener(event.delayMs)));
    expect(pauseMs).toBeGreaterThanOrEqual((20 * DAY_MS) / 2_500);
    expect(pauseMs).toBeLessThanOrEqual((20 * DAY_MS) / 2_500 + 5_000);
    await shard.close();
  });

  it('a manager’s shard waits by the total /gateway/bot answered', async () => {
    fake.info.limit = { total: 5_000, remaining: 5_000, reset_after: DAY_MS, max_concurrency: 1 };
    endEverySession(fake.gateway);
    const manager: ShardManager = fake.manager();
    void manager.startShard(3, 20).catch(() => undefined);
    const pauseMs = await pauseOf((listener) => manager.on('close', (event) => listener(event.delayMs)));
    expect(pauseMs).toBeGreaterThanOrEqual((20 * DAY_MS) / 2_500);
    expect(pauseMs).toBeLessThanOrEqual((20 * DAY_MS) / 2_500 + 5_000);
    await manager.shutdownAll();
  });
});
