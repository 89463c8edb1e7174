/**
 * A beat the server asks for (op 1) is answered at once, so a server can have one acknowledged a
 * moment after RESUMED. Counting that as a healthy connection let a server that asks for a beat,
 * acknowledges it and closes with 4009 get a resume every ~150 ms for ever (12 connections in
 * 1.7 s). Only an acknowledged scheduled beat, on a connection ready for the back-off's base,
 * starts the back-off over.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReceivedFrame } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { qqPlanner } from './support/planner.js';
import { useFakeGateway } from './support/useFakeGateway.js';

// QQ's interval; with the jitter at its top the first scheduled beat goes out a whole interval after Hello.
const fake = useFakeGateway({ heartbeatInterval: 41_250 });
let openedAt: number[];

beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
  openedAt = [];
  fake.gateway.on('connection', () => openedAt.push(Date.now()));
});

describe('a server that asks for a beat after RESUMED, acknowledges it and closes with 4009', () => {
  it('meets the growing back-off, as a server closing right after RESUMED', async () => {
    const { shard } = makeShard(fake.gateway.url, { backoff: { baseMs: 1_000, maxMs: 8_000 } });
    await shard.start();
    await advanceBy(2_000, 250);
    fake.gateway.on('frame', (frame: ReceivedFrame) => {
      // Right after the Resume: ask for a beat (the fake acknowledges it at once), then close.
      if (frame.op === 6) setTimeout(() => frame.connection.send({ op: 1 }), 20);
      if (frame.op === 1) setTimeout(() => frame.connection.close(4009), 20);
    });
    fake.gateway.last.close(4009);
    await advanceUntil(() => openedAt.length === 7, 60_000, 50);
    const gaps = openedAt.slice(2).map((at, i) => Math.floor((at - (openedAt[i + 1] ?? 0)) / 250) * 250);
    // Each connection lives a moment, then 1, 2, 4, 8, 8 s (was 150 ms each time).
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(fake.gateway.received(2)).toHaveLength(1);
    await shard.close();
  });
});

describe('the planner: which acknowledged beats make a connection healthy', () => {
  /** Three quick failures, then a connection ready at 100 s, a beat acknowledged at 100.1 s, ended with 4009. */
  function waitAfter(beat: 'scheduled' | 'asked', lifeMs: number): number | undefined {
    const planner = qqPlanner();
    const end = { reason: 'closed', code: 4009, message: '' } as const;
    const facts = { mode: 'resume', resumeSent: true, identifySent: false, reachedReady: true } as const;
    for (let failure = 0; failure < 3; failure++) {
      planner.ready(failure * 10_000);
      planner.ended(end, failure * 10_000);
      const plan = planner.plan(end, facts, true, 0);
      if (plan.action === 'reconnect') planner.delayFor(plan);
    }
    planner.ready(100_000);
    planner.alive(100_100, beat);
    planner.ended(end, 100_000 + lifeMs);
    const plan = planner.plan(end, facts, true, 0);
    return plan.action === 'reconnect' ? planner.delayFor(plan) : undefined;
  }

  it('a scheduled beat on a connection ready for the base (1 s) or longer: at once', () => {
    expect(waitAfter('scheduled', 1_000)).toBe(0);
    expect(waitAfter('scheduled', 20_000)).toBe(0);
  });

  it('a beat the server asked for, however long the connection lived (short of stableAfterMs): growing', () => {
    expect(waitAfter('asked', 200)).toBeGreaterThanOrEqual(4_000);
    expect(waitAfter('asked', 20_000)).toBeGreaterThanOrEqual(4_000);
  });

  it('a scheduled beat on a connection ready for less than the base: growing', () => {
    expect(waitAfter('scheduled', 999)).toBeGreaterThanOrEqual(4_000);
  });
});
