import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AttemptEnd } from '../src/shard/recovery.js';
import type { ReceivedFrame } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { identifiedAndReady, invalidatedSession, qqPlanner } from './support/planner.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 5_000 });
let openedAt: number[];

beforeEach(() => {
  // The top of every jitter range: each delay is exactly `min(max, base · 2^(n-2))`, and the first
  // beat of a connection goes out a whole interval (5 s) after Hello.
  vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
  openedAt = [];
  fake.gateway.on('connection', () => openedAt.push(Date.now()));
});

/** Milliseconds from each time in `at` to the first connection opened after it. */
function reconnectWaits(at: readonly number[]): number[] {
  return at.map((time) => (openedAt.find((opened) => opened >= time) ?? Number.NaN) - time);
}

describe('Shard back-off after the platform ends a healthy connection', () => {
  it.each([
    ['closes with 4009', (): void => fake.gateway.last.close(4009)],
    ['sends op 7', (): void => fake.gateway.last.send({ op: 7 })],
  ])(
    'reconnects within the base wait each time the server %s every 20 s, the connection having resumed and beaten',
    async (_, endConnection) => {
      const { shard } = makeShard(fake.gateway.url, { backoff: { baseMs: 1_000, maxMs: 60_000 } });
      await shard.start();
      const endedAt: number[] = [];
      for (let round = 0; round < 12; round++) {
        await advanceBy(20_000, 250);
        expect(shard.state).toBe('ready');
        endedAt.push(Date.now());
        endConnection();
      }
      await advanceUntil(() => openedAt.length === 13 && shard.state === 'ready', 5_000, 50);
      // The old rule waited 0, 1, 2, 4, 8, 16, 32, 60 s …: each connection lived 20 s, under 60 s.
      for (const wait of reconnectWaits(endedAt)) expect(wait).toBeLessThan(1_000);
      expect(fake.gateway.received(6)).toHaveLength(12);
      expect(fake.gateway.received(2)).toHaveLength(1);
      await shard.close();
    },
  );

  it('still backs off exponentially against a server that closes every connection right after READY', async () => {
    const { shard } = makeShard(fake.gateway.url, { backoff: { baseMs: 1_000, maxMs: 8_000 } });
    await shard.start();
    await advanceBy(20_000, 250); // one healthy connection first: its end restarts the wait
    // Every later connection: closed with 4009 the moment it is RESUMED, before its first beat.
    fake.gateway.on('frame', (frame: ReceivedFrame) => {
      if (frame.op === 6) frame.connection.close(4009);
    });
    fake.gateway.last.close(4009);
    await advanceUntil(() => openedAt.length === 8, 60_000, 50);
    const gaps = openedAt.slice(1).map((at, index) => at - (openedAt[index] ?? 0));
    // The healthy connection lived 20 s; after it, 1, 2, 4, 8, 8, 8 s (each connection lives a moment).
    expect(gaps[0]).toBeGreaterThanOrEqual(20_000);
    expect(gaps.slice(1).map((gap) => Math.floor(gap / 250) * 250)).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
    await shard.close();
  });

  it('still backs off when each connection ends before a beat after READY was acknowledged', async () => {
    // Each connection is closed 3 s after RESUMED, before its first beat (5 s after Hello).
    const { shard } = makeShard(fake.gateway.url, { backoff: { baseMs: 1_000, maxMs: 8_000 } });
    await shard.start();
    fake.gateway.on('frame', (frame: ReceivedFrame) => {
      if (frame.op === 6) setTimeout(() => frame.connection.close(4009), 3_000);
    });
    fake.gateway.last.close(4009);
    await advanceUntil(() => openedAt.length === 6, 60_000, 50);
    const gaps = openedAt
      .slice(2)
      .map((at, index) => Math.floor((at - (openedAt[index + 1] ?? 0)) / 250) * 250);
    // Each connection lives 3 s (under the 5 s to its first beat), then the back-off: 1, 2, 4 s …
    expect(gaps).toEqual([4_000, 5_000, 7_000, 11_000]);
    await shard.close();
  });
});

describe('the planner: which ends of a healthy connection start the back-off over', () => {
  /** Three quick failures, then one connection ready at 100 s that ends as `end` at `lifeMs`. */
  function attemptAfter(end: Exclude<AttemptEnd, { reason: 'stopped' }>, beats: boolean, lifeMs = 20_000) {
    const planner = qqPlanner();
    for (let failure = 0; failure < 3; failure++) {
      const quick = { reason: 'closed', code: 4009, message: '' } as const;
      planner.ready(failure * 10_000);
      planner.ended(quick, failure * 10_000);
      const plan = planner.plan(quick, identifiedAndReady, true, 0);
      if (plan.action === 'reconnect') planner.delayFor(plan);
    }
    planner.ready(100_000);
    if (beats) planner.alive(105_000);
    planner.ended(end, 100_000 + lifeMs);
    const plan = planner.plan(end, identifiedAndReady, true, 0);
    return { plan, waitMs: plan.action === 'reconnect' ? planner.delayFor(plan) : undefined, planner };
  }

  it.each([
    ['4009', { reason: 'closed', code: 4009, message: '' }],
    ['1006', { reason: 'closed', code: 1006, message: '' }],
    ['op 7', { reason: 'reconnectRequested' }],
  ] as const)('%s after an acknowledged beat: the next attempt goes out at once', (_, end) => {
    const { plan, waitMs, planner } = attemptAfter(end, true);
    expect(plan).toMatchObject({ action: 'reconnect', mode: 'resume', resetBackoff: true });
    expect(waitMs).toBe(0);
    expect(planner.attempt).toBe(1);
  });

  it.each([
    ['4009 with no beat acknowledged since READY', { reason: 'closed', code: 4009, message: '' }, false],
    ['a close that identifies (4900)', { reason: 'closed', code: 4900, message: '' }, true],
    ['op 9', invalidatedSession, true],
    ['a zombie connection', { reason: 'zombie' }, true],
  ] as const)('%s: the delays go on growing', (_, end, beats) => {
    const { plan, waitMs, planner } = attemptAfter(end, beats);
    expect(plan).toMatchObject({ action: 'reconnect', resetBackoff: false });
    expect(planner.attempt).toBe(4);
    expect(waitMs).toBeGreaterThanOrEqual(4_000);
  });
});
