import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  identifyLimitsFrom,
  identifyMarginMs,
  InMemoryIdentifyQueue,
  qqProtocol,
  type IdentifyQueue,
} from '@bot/gateway';
import type { Emulator, EmulatorRecord, GatewayFrameRecord } from '@bot/testing';
import { closeRuleLookup } from '../src/shard/closePolicy.js';
import { planRecovery, type RecoveryInput } from '../src/shard/recovery.js';
import { advanceUntilAllReady, pacedEmulatorOnFakeClock, shutdownAndSettle } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { useFakeClock } from './support/harness.js';

const PLATFORM_WINDOW_MS = 5_000;

const isIdentify = (record: EmulatorRecord): record is GatewayFrameRecord =>
  record.kind === 'gateway' && record.op === 2;
/** A pause on the (fake) clock. */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const refusals = (emulator: Emulator): EmulatorRecord[] =>
  emulator.recorder.filter((record) => record.kind === 'close' && record.code === 4008);

// For the tests on the fake clock without an emulator; emulatorTest gives the clock back itself.
afterEach(() => {
  vi.useRealTimers();
});

describe('identify safety margin', () => {
  it('defaults to the larger of 250 ms and 10 % of the window, and takes an explicit one', () => {
    expect(identifyMarginMs({})).toBe(500);
    expect(identifyMarginMs({ windowMs: 1_000 })).toBe(250);
    expect(identifyMarginMs({ windowMs: 60_000 })).toBe(6_000);
    expect(identifyMarginMs({ windowMs: 1_000, marginMs: 0 })).toBe(0);
    expect(
      () =>
        new InMemoryIdentifyQueue({
          maxConcurrency: 1,
          total: 1,
          remaining: 1,
          resetAfterMs: 0,
          marginMs: -1,
        }),
    ).toThrow(/marginMs must be a finite number ≥ 0/);
  });

  emulatorTest(
    'lets shards of one process identify against a window of exactly 5,000 ms with no 4008',
    async ({ emulatorOfTest }) => {
      const emulator = await pacedEmulatorOnFakeClock(emulatorOfTest, PLATFORM_WINDOW_MS);
      // The platform's window as it is documented, nothing added by the caller: the queue's margin
      // alone absorbs the fake clock's steps between a frame's send and its arrival.
      const manager = emulatorOfTest.manager({ identifyWindowMs: PLATFORM_WINDOW_MS });
      const run = manager.startShards(4);
      await advanceUntilAllReady(manager, 4);
      const identifies = emulator.recorder.filter(isIdentify).map((record) => record.at);
      expect(identifies).toHaveLength(4);
      for (let i = 1; i < identifies.length; i++) {
        expect((identifies[i] ?? 0) - (identifies[i - 1] ?? 0)).toBeGreaterThanOrEqual(PLATFORM_WINDOW_MS);
      }
      expect(refusals(emulator)).toEqual([]);
      await shutdownAndSettle(manager, run);
    },
  );

  emulatorTest(
    'counts the window from the frame when the frame leaves well after the turn',
    async ({ emulatorOfTest }) => {
      const emulator = await pacedEmulatorOnFakeClock(emulatorOfTest, PLATFORM_WINDOW_MS);
      const inner = new InMemoryIdentifyQueue(identifyLimitsFrom(emulator.sessionStartLimit()));
      // Shard 0's frame leaves 1.5 s after its turn (a token fetch, a busy event loop): counted
      // from the turn, shard 1's identify would arrive 3.5 s + margin after it and be refused.
      const slowFirstFrame: IdentifyQueue = {
        wait: async (shardId, signal) => {
          await inner.wait(shardId, signal);
          if (shardId === 0) await sleep(1_500);
        },
        identifySent: (shardId) => inner.identifySent(shardId),
      };
      const manager = emulatorOfTest.manager({ identifyQueue: slowFirstFrame });
      const run = manager.startShards(2);
      await advanceUntilAllReady(manager, 2);
      expect(emulator.recorder.filter(isIdentify)).toHaveLength(2);
      expect(refusals(emulator)).toEqual([]);
      await shutdownAndSettle(manager, run);
    },
  );

  it('counts the window from the Identify frame, not from the turn', async () => {
    useFakeClock();
    const queue = new InMemoryIdentifyQueue(
      identifyLimitsFrom({ total: 10, remaining: 10, reset_after: 86_400_000, max_concurrency: 1 }),
    );
    const granted: number[] = [];
    for (const id of [0, 1]) void queue.wait(id).then(() => granted.push(id));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0]);
    await vi.advanceTimersByTimeAsync(2_000); // a slow token fetch between turn and frame
    queue.identifySent(0);
    await vi.advanceTimersByTimeAsync(PLATFORM_WINDOW_MS + 500 - 1);
    expect(granted).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([0, 1]);
  });
});

describe('a 4008 after an Identify', () => {
  const input = (attempt: RecoveryInput['attempt']): RecoveryInput => ({
    end: { reason: 'closed', code: 4008, message: '' },
    attempt,
    hasSession: false,
    ruleFor: closeRuleLookup(qqProtocol),
    authFailures: 0,
    maxAuthFailures: 2,
    identifyRefusals: 0,
    sendWindowResetMs: 59_000,
  });

  it('identifies again after the identify window instead of waiting out the 60 s send window', () => {
    const plan = planRecovery(
      input({ mode: 'identify', resumeSent: false, identifySent: true, reachedReady: false }),
    );
    expect(plan).toMatchObject({ action: 'reconnect', mode: 'identify', minDelayMs: 0 });
  });

  it('still waits for the send window when the session was running', () => {
    const plan = planRecovery({
      ...input({ mode: 'resume', resumeSent: true, identifySent: false, reachedReady: true }),
      hasSession: true,
    });
    expect(plan).toMatchObject({ action: 'reconnect', mode: 'resume', minDelayMs: 59_000 });
  });

  emulatorTest(
    'starts a shard refused with 4008 in seconds, not after the send window',
    async ({ emulatorOfTest }) => {
      const emulator = await pacedEmulatorOnFakeClock(emulatorOfTest, PLATFORM_WINDOW_MS);
      // A client whose window is too short: its second identify is refused with 4008.
      const queue = new InMemoryIdentifyQueue({
        ...identifyLimitsFrom(emulator.sessionStartLimit(), 1_000),
        marginMs: 0,
      });
      const manager = emulatorOfTest.manager({ identifyQueue: queue });
      const begun = Date.now();
      const run = manager.startShards(2);
      await advanceUntilAllReady(manager, 2);
      expect(refusals(emulator).length).toBeGreaterThan(0);
      console.info(`2 shards, one refused with 4008: both ready after ${Date.now() - begun} ms`);
      // Identified again once the window of the refused frame was over: well before the 60 s send window.
      expect(Date.now() - begun).toBeLessThan(20_000);
      await shutdownAndSettle(manager, run);
    },
  );
});
