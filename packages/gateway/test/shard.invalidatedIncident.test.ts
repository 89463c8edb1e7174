/**
 * A platform incident ending every session with op 9 (`d: false`) soon after READY used to stop
 * the shard for good at the fifth session in a row (FatalGatewayError 4006): 23 s into an incident
 * sending op 9 a second after READY, 216 s into one sending it 40 s after READY, and the client's
 * default `onFatal` then stops every shard. Now the fifth and later in a row are reported and
 * identified again after {@link INVALIDATED_SESSION_PAUSE_MS}, so the shard comes back when the
 * incident ends while a lasting one spends a bounded number of session starts.
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '@bot/gateway';
import { INVALIDATED_SESSION_PAUSE_MS, INVALIDATED_SESSIONS_BEFORE_PAUSE } from '../src/shard/recovery.js';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { identifiedAndReady, invalidatedSession, qqPlanner } from './support/planner.js';
import { useFakeGateway } from './support/useFakeGateway.js';

describe('op 9 soon after READY, many in a row, planned', () => {
  it('never gives up, and waits the long pause from the fifth on', () => {
    const planner = qqPlanner();
    const delays: number[] = [];
    let now = 0;
    for (let count = 1; count <= 20; count++) {
      planner.ready(now);
      now += 1_000;
      planner.ended(invalidatedSession, now);
      const plan = planner.plan(invalidatedSession, identifiedAndReady, false, 0);
      expect(plan).toMatchObject({ action: 'reconnect', mode: 'identify', dropSession: true });
      if (plan.action !== 'reconnect') return;
      expect(plan.report?.(0)).toBeInstanceOf(GatewayError);
      const delay = planner.delayFor(plan);
      delays.push(delay);
      now += delay;
    }
    for (const delay of delays.slice(0, INVALIDATED_SESSIONS_BEFORE_PAUSE - 1)) {
      expect(delay).toBeLessThan(60_000);
    }
    for (const delay of delays.slice(INVALIDATED_SESSIONS_BEFORE_PAUSE - 1)) {
      expect(delay).toBeGreaterThanOrEqual(INVALIDATED_SESSION_PAUSE_MS);
      // Bounded: the pause plus the 1–5 s op 9 wait, never growing.
      expect(delay).toBeLessThanOrEqual(INVALIDATED_SESSION_PAUSE_MS + 5_000);
    }
  });
});

describe('a platform incident of op 9 after every READY, against a gateway', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  /** Sends op 9 `afterMs` after each Identify while the incident lasts (`incidentMs` from `t0`). */
  function incident(afterMs: number, incidentMs: number): void {
    const t0 = Date.now();
    fake.gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op !== 2 || Date.now() - t0 >= incidentMs) return;
      const connection = frame.connection;
      setTimeout(() => connection.send({ op: 9, d: false }), afterMs);
    });
  }

  it('op 9 a second after READY for 30 minutes: never fatal, back within a pause of its end', async () => {
    incident(1_000, 30 * 60_000);
    const { shard } = makeShard(fake.gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    await shard.start();
    await advanceBy(30 * 60_000, 5_000);
    expect(shard.state).not.toBe('fatal');
    // Five quick identifies, then one per pause: a bounded cost.
    const duringIncident = fake.gateway.received(2).length;
    expect(duringIncident).toBeGreaterThanOrEqual(INVALIDATED_SESSIONS_BEFORE_PAUSE);
    expect(duringIncident).toBeLessThanOrEqual(
      INVALIDATED_SESSIONS_BEFORE_PAUSE + Math.ceil((30 * 60_000) / INVALIDATED_SESSION_PAUSE_MS),
    );
    const paused = errors.filter((error) => /identifies again in \d+ minutes/.test(error.message));
    expect(paused.length).toBeGreaterThan(0);
    expect(paused[0]).toBeInstanceOf(GatewayError);

    // The incident is over: the next identify gets a session that lasts.
    await advanceUntil(() => shard.state === 'ready', INVALIDATED_SESSION_PAUSE_MS + 10_000, 5_000);
    await advanceBy(5 * 60_000, 5_000);
    expect(shard.state).toBe('ready');
    await shard.close();
  });

  it('op 9 forty seconds after READY for 6 minutes: never fatal, ready again afterwards', async () => {
    incident(40_000, 6 * 60_000);
    const { shard } = makeShard(fake.gateway.url);
    shard.on('error', () => undefined);
    await shard.start();
    await advanceBy(6 * 60_000, 5_000);
    expect(shard.state).not.toBe('fatal');
    await advanceUntil(() => shard.state === 'ready', INVALIDATED_SESSION_PAUSE_MS + 60_000, 5_000);
    await advanceBy(5 * 60_000, 5_000);
    expect(shard.state).toBe('ready');
    await shard.close();
  });
});
