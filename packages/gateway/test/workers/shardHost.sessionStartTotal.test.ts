/**
 * The op 9 pause spreads half of the bot's daily budget of session starts over its shards; a
 * manager tells its shards the budget `/gateway/bot` answered. A shard on a worker thread was
 * never told (its `start` message did not carry it) and paused as if the budget were 1,000: with
 * 5,000 and 20 shards, 57.6 minutes a time instead of 11.5. The thread now starts its shard with
 * the `sessionStartTotal` of the message, and refuses one that is not an integer ≥ 1, as a shard
 * started alone does.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import type { IdentifyPause, ShardStatus } from '@bot/gateway';
import { INVALIDATED_SESSIONS_BEFORE_PAUSE } from '../../src/shard/recovery.js';
import { advanceUntil } from '../support/harness.js';
import { endEverySession } from '../support/invalidatedSessions.js';
import { useFakeGateway } from '../support/useFakeGateway.js';
import { hostRun } from './support/hostOnGateway.js';

const DAY_MS = 86_400_000;
describe('ShardHost, the budget a shard on the thread pauses by', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  it('pauses shard 3 of 20 by the sessionStartTotal of its start message', async () => {
    endEverySession(fake.gateway);
    const { host, items } = hostRun({ ack: true });
    host.handle({
      type: 'start',
      id: 3,
      total: 20,
      gatewayUrl: fake.gateway.url,
      paused: false,
      sessionStartTotal: 5_000,
    });
    const closes = (): number => items.filter((item) => item[1] === 'close').length;
    await advanceUntil(() => closes() === INVALIDATED_SESSIONS_BEFORE_PAUSE, 120_000, 500);
    const snapshots = items.flatMap((item) => (item[1] === 'state' ? [item[4] as ShardStatus] : []));
    const pause = snapshots.at(-1)?.identifyPause as IdentifyPause;
    expect(snapshots.at(-1)?.state).toBe('reconnecting');
    expect(pause).toMatchObject({
      reason: 'invalidatedSessions',
      sessions: INVALIDATED_SESSIONS_BEFORE_PAUSE,
    });
    // 20 × 24 h / (5,000 / 2) and the 1–5 s that keep shards apart; 57.6 minutes by a budget of 1,000.
    expect(pause.ms).toBeGreaterThanOrEqual((20 * DAY_MS) / 2_500);
    expect(pause.ms).toBeLessThanOrEqual((20 * DAY_MS) / 2_500 + 5_000);
    host.handle({ type: 'close', id: 3, invalidateSession: false, graceMs: 1_000 });
    await advanceUntil(() => items.some((item) => item[1] === 'closed'), 10_000);
  });

  it.each([0, 2.5, -1, Number.NaN])('refuses a start message whose sessionStartTotal is %s', (total) => {
    const { host } = hostRun();
    const start = { type: 'start', id: 0, total: 1, gatewayUrl: fake.gateway.url, paused: false } as const;
    expect(() => host.handle({ ...start, sessionStartTotal: total })).toThrow(ValidationError);
    expect(() => host.handle({ ...start, sessionStartTotal: total })).toThrow(/sessionStartTotal/);
  });
});
