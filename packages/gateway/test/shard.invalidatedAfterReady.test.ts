/**
 * A platform that ends every session with op 9 (`d: false`) right after READY made the shard
 * identify again and again, each time a session start, with no error: ~1,440 a day at the 60 s
 * back-off, past the daily budget. It now reports each and, from INVALIDATED_SESSIONS_BEFORE_PAUSE
 * in a row without a stable connection between them, identifies only every
 * INVALIDATED_SESSION_PAUSE_MS (shard.invalidatedIncident.test: it never stops for it).
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '@bot/gateway';
import type { ReconnectPlanner } from '../src/shard/ReconnectPlanner.js';
import { INVALIDATED_SESSION_PAUSE_MS, INVALIDATED_SESSIONS_BEFORE_PAUSE } from '../src/shard/recovery.js';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { identifiedAndReady, invalidatedSession, qqPlanner, STABLE_AFTER_MS } from './support/planner.js';
import { useFakeGateway } from './support/useFakeGateway.js';

/** Plans one session READY at `now` and ended by op 9 a second later; returns the plan. */
function invalidateOnce(planner: ReconnectPlanner, now: number) {
  planner.ready(now);
  planner.alive(now + 1_000);
  planner.ended(invalidatedSession, now + 1_000);
  const plan = planner.plan(invalidatedSession, identifiedAndReady, false, 0);
  if (plan.action === 'reconnect') planner.delayFor(plan);
  return plan;
}

describe('op 9 right after READY, planned', () => {
  it('identifies again with a report each time, then only after the pause', () => {
    const planner = qqPlanner();
    for (let count = 1; count < INVALIDATED_SESSIONS_BEFORE_PAUSE; count++) {
      const plan = invalidateOnce(planner, count * 10_000);
      expect(plan).toMatchObject({ action: 'reconnect', mode: 'identify', dropSession: true });
      const report = plan.action === 'reconnect' ? plan.report?.(3) : undefined;
      expect(report).toBeInstanceOf(GatewayError);
      expect(report?.message).toBe(
        `shard 3: invalid session (op 9) soon after the session started, ${count} in a row (from ${INVALIDATED_SESSIONS_BEFORE_PAUSE} in a row the shard identifies every 10 minutes: each new session spends a session start); identifying again`,
      );
    }
    const last = invalidateOnce(planner, INVALIDATED_SESSIONS_BEFORE_PAUSE * 10_000);
    expect(last).toMatchObject({ action: 'reconnect', mode: 'identify', dropSession: true });
    if (last.action !== 'reconnect') return;
    expect(last.minDelayMs).toBeGreaterThanOrEqual(INVALIDATED_SESSION_PAUSE_MS);
    expect(last.report?.(3).message).toMatch(
      new RegExp(`${INVALIDATED_SESSIONS_BEFORE_PAUSE} in a row, .*identifies again in 10 minutes`),
    );
  });

  it('counts afresh after a connection that stayed ready for stableAfterMs', () => {
    const planner = qqPlanner();
    let now = 0;
    for (let round = 0; round < 3; round++) {
      for (let count = 1; count < INVALIDATED_SESSIONS_BEFORE_PAUSE; count++) {
        now += 10_000;
        expect(invalidateOnce(planner, now).action).toBe('reconnect');
      }
      // A session that lasted: heartbeats acknowledged past stableAfterMs, then op 9, not counted.
      now += 10_000;
      planner.ready(now);
      planner.alive(now + STABLE_AFTER_MS);
      now += STABLE_AFTER_MS + 1_000;
      planner.ended(invalidatedSession, now);
      const plan = planner.plan(invalidatedSession, identifiedAndReady, false, 0);
      expect(plan).toMatchObject({ action: 'reconnect', mode: 'identify' });
      if (plan.action === 'reconnect') planner.delayFor(plan);
    }
  });

  it('leaves a resumable op 9 and one before READY to their own rules', () => {
    const planner = qqPlanner();
    for (let count = 0; count < INVALIDATED_SESSIONS_BEFORE_PAUSE + 2; count++) {
      planner.ready(count * 10_000);
      const end = { reason: 'invalidSession', resumable: true } as const;
      const plan = planner.plan(end, identifiedAndReady, true, 0);
      expect(plan).toMatchObject({ action: 'reconnect', mode: 'resume' });
      if (plan.action === 'reconnect') {
        expect(plan.report).toBeUndefined();
        planner.delayFor(plan);
      }
    }
  });
});

describe('op 9 right after every READY, against a gateway', () => {
  const fake = useFakeGateway();

  it(`identifies ${INVALIDATED_SESSIONS_BEFORE_PAUSE} times, then once a pause, never stopping`, async () => {
    const { gateway } = fake;
    // READY goes out as the Identify is read; op 9 follows it on the same connection.
    gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op === 2) frame.connection.send({ op: 9, d: false });
    });
    const { shard } = makeShard(gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    await shard.start(); // resolves at the first READY
    await advanceUntil(() => errors.length === INVALIDATED_SESSIONS_BEFORE_PAUSE, 10 * 60_000, 500);
    expect(gateway.received(2)).toHaveLength(INVALIDATED_SESSIONS_BEFORE_PAUSE);
    expect(errors.at(-1)?.message).toContain('identifies again in 10 minutes');

    // Each READY was a session start: none more until the pause is over, then one.
    await advanceBy(INVALIDATED_SESSION_PAUSE_MS - 5_000, 5_000);
    expect(shard.state).not.toBe('fatal');
    expect(gateway.received(2)).toHaveLength(INVALIDATED_SESSIONS_BEFORE_PAUSE);
    await advanceBy(15_000, 1_000);
    expect(gateway.received(2)).toHaveLength(INVALIDATED_SESSIONS_BEFORE_PAUSE + 1);
    await shard.close();
  });
});
