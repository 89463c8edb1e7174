/**
 * The pause after sessions ended by op 9 was 10 minutes for every shard, whatever their number: a
 * day-long incident cost each shard ~148 session starts, so seven shards spent more than a budget
 * of 1,000 and twenty spent 2,960, after which the identify queue held every shard until the
 * budget's reset, hours after the incident. The pause now grows with the shard count so that the
 * whole bot spends at most {@link INVALIDATED_SESSION_STARTS_PER_DAY} a day on these identifies.
 */
import { describe, expect, it } from 'vitest';
import {
  INVALIDATED_SESSION_PAUSE_MS,
  INVALIDATED_SESSION_STARTS_PER_DAY,
  INVALIDATED_SESSIONS_BEFORE_PAUSE,
  invalidatedSessionPauseMs,
} from '../src/shard/recovery.js';
import { advanceBy, makeShard } from './support/harness.js';
import { endEverySession, startsInADay } from './support/invalidatedSessions.js';
import { qqPlanner } from './support/planner.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const DAY_MS = 86_400_000;

describe('the pause after sessions ended by op 9, by shard count', () => {
  it.each([1, 3, 4, 7, 20])(
    '%i shards spend less than a budget of 1,000 in a day, ~half of it paced',
    (shardCount) => {
      const starts = shardCount * startsInADay(qqPlanner(), shardCount);
      // The quick identifies before the pause come once per incident, on top of the daily rate.
      expect(starts).toBeLessThanOrEqual(
        Math.max(INVALIDATED_SESSION_STARTS_PER_DAY, shardCount * (DAY_MS / INVALIDATED_SESSION_PAUSE_MS)) +
          shardCount * INVALIDATED_SESSIONS_BEFORE_PAUSE,
      );
      expect(starts).toBeLessThan(1_000);
    },
  );

  it('is 10 minutes up to 3 shards, then shardCount × 1,440 / 500 minutes', () => {
    expect(invalidatedSessionPauseMs(1)).toBe(INVALIDATED_SESSION_PAUSE_MS);
    expect(invalidatedSessionPauseMs(3)).toBe(INVALIDATED_SESSION_PAUSE_MS);
    expect(invalidatedSessionPauseMs(20)).toBe((20 * DAY_MS) / INVALIDATED_SESSION_STARTS_PER_DAY);
  });
});

describe('a shard of 20 in an op 9 incident, against a gateway', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  it('waits at most a day, however many shards (20 days at 10,000 before)', () => {
    expect(invalidatedSessionPauseMs(500)).toBe(DAY_MS);
    expect(invalidatedSessionPauseMs(10_000)).toBe(DAY_MS);
  });

  it('pauses for its share of the budget, and says how long', async () => {
    endEverySession(fake.gateway);
    const { shard } = makeShard(fake.gateway.url, { id: 3, total: 20 });
    const reports: string[] = [];
    shard.on('error', (error) => reports.push(error.message));
    const delays: number[] = [];
    shard.on('close', (event) => delays.push(event.delayMs));
    await shard.start();
    await advanceBy(60_000, 500);
    expect(delays).toHaveLength(INVALIDATED_SESSIONS_BEFORE_PAUSE);
    const pauseMs = (20 * DAY_MS) / INVALIDATED_SESSION_STARTS_PER_DAY;
    expect(delays.at(-1)).toBeGreaterThanOrEqual(pauseMs);
    expect(delays.at(-1)).toBeLessThanOrEqual(pauseMs + 5_000);
    expect(reports.some((message) => message.includes('identifies again in 58 minutes'))).toBe(true);
    await shard.close();
  });
});
