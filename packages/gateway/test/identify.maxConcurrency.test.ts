/**
 * A `max_concurrency` no plan can use (the trial's hostile `/gateway/bot` answered 2^53 − 1 on a
 * later start) is refused where the answer is read, and regrouping the in-memory queue's buckets
 * costs what the buckets that exist cost, whatever the new count.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  checkGatewayBotInfo,
  GatewayError,
  InMemoryIdentifyQueue,
  validateIdentifyLimits,
} from '@bot/gateway';
import { ValidationError } from '@bot/core';
import { MAX_SHARD_COUNT } from '../src/manager/checkGatewayBotInfo.js';
import { emulatorGatewayInfo } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceUntil, useFakeClock } from './support/harness.js';

const answer = (maxConcurrency: number) => ({
  url: 'wss://gateway.example',
  shards: 1,
  session_start_limit: {
    total: 1_000,
    remaining: 1_000,
    reset_after: 1_000,
    max_concurrency: maxConcurrency,
  },
});

describe('max_concurrency from /gateway/bot', () => {
  it('is taken up to the shard count bound', () => {
    expect(checkGatewayBotInfo(answer(MAX_SHARD_COUNT)).session_start_limit.max_concurrency).toBe(
      MAX_SHARD_COUNT,
    );
  });

  it('is refused above it, naming the field and the bound', () => {
    for (const value of [MAX_SHARD_COUNT + 1, Number.MAX_SAFE_INTEGER]) {
      expect(() => checkGatewayBotInfo(answer(value))).toThrow(GatewayError);
      expect(() => checkGatewayBotInfo(answer(value))).toThrow(
        new RegExp(`session_start_limit\\.max_concurrency \\(got ${value}, at most 10000 taken`),
      );
    }
  });

  it('above the bound is refused by the identify queues as well', () => {
    const limits = { total: 1, remaining: 1, resetAfterMs: 0 };
    expect(() => validateIdentifyLimits({ ...limits, maxConcurrency: MAX_SHARD_COUNT })).not.toThrow();
    expect(() => validateIdentifyLimits({ ...limits, maxConcurrency: MAX_SHARD_COUNT + 1 })).toThrow(
      ValidationError,
    );
  });

  emulatorTest('refuses a later start whose answer exceeds it', async ({ emulatorOfTest }) => {
    useFakeClock();
    const emulator = await emulatorOfTest.startEmulator();
    const platform = emulatorGatewayInfo(emulator);
    let calls = 0;
    const manager = emulatorOfTest.manager({
      gateway: {
        gatewayBot: async () => {
          const info = await platform.gatewayBot();
          calls++;
          const max_concurrency = calls === 1 ? 1 : MAX_SHARD_COUNT + 1;
          return { ...info, session_start_limit: { ...info.session_start_limit, max_concurrency } };
        },
      },
    });
    const readyShards = (): number => manager.status().filter((status) => status.state === 'ready').length;
    manager.startShard(0, 2).catch(() => undefined);
    await advanceUntil(() => readyShards() === 1, 60_000);
    let outcome: unknown = 'pending';
    manager.startShard(1, 2).then(
      () => (outcome = 'started'),
      (error: unknown) => (outcome = error),
    );
    // Refused at once; before, shard 1 came up after the running window on the new bucket count.
    await advanceUntil(() => outcome !== 'pending' || readyShards() === 2, 60_000);

    expect(outcome).toBeInstanceOf(GatewayError);
    expect(String(outcome)).toMatch(/session_start_limit\.max_concurrency/);
    expect(readyShards()).toBe(1);
  });
});

describe('InMemoryIdentifyQueue regrouping', () => {
  it('costs what the buckets in use cost, not what the new count would', () => {
    const limits = { total: 10, remaining: 10, resetAfterMs: 60_000 };
    const queue = new InMemoryIdentifyQueue({ ...limits, maxConcurrency: 1 });
    void queue.wait(0); // granted at once: a window is running
    // Every bucket the queue keeps is a Map entry; before, each of the 10,000 new buckets got one.
    const set = vi.spyOn(Map.prototype, 'set');
    try {
      queue.update({ ...limits, remaining: 9, maxConcurrency: MAX_SHARD_COUNT });
      expect(set.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      set.mockRestore();
    }
  });

  it('holds a bucket first used after regrouping to the window that was running', async () => {
    vi.useFakeTimers();
    try {
      const limits = { total: 10, remaining: 10, resetAfterMs: 60_000, windowMs: 1_000, marginMs: 0 };
      const queue = new InMemoryIdentifyQueue({ ...limits, maxConcurrency: 1 });
      await queue.wait(0);
      await vi.advanceTimersByTimeAsync(400);
      queue.update({ ...limits, remaining: 9, maxConcurrency: 4 });
      let granted = false;
      void queue.wait(3).then(() => (granted = true));
      await vi.advanceTimersByTimeAsync(599);
      expect(granted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(granted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
