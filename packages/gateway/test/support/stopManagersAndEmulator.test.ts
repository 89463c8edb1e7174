import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShardManager } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { emulatorManager, startEmulator, stopManagersAndEmulator } from './emulator.js';
import { useFakeClock } from './harness.js';

// The teardown behind emulatorTest's fixture: whatever the test left behind, the next test of the
// file must start with no emulator running and the real clock.

/** A manager whose shutdown fails with `message`. */
function failingManager(message: string): ShardManager {
  return { shutdownAll: () => Promise.reject(new Error(message)) } as unknown as ShardManager;
}

describe('stopManagersAndEmulator', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await emulator?.stop();
    emulator = undefined;
  });

  it('still stops the emulator and gives back the real clock when the shutdown fails, and reports it', async () => {
    emulator = await startEmulator();
    const stop = vi.spyOn(emulator, 'stop');
    useFakeClock();
    await expect(
      stopManagersAndEmulator([failingManager('a shard would not close')], emulator),
    ).rejects.toThrow('a shard would not close');
    expect(stop).toHaveBeenCalledOnce();
    expect(vi.isFakeTimers()).toBe(false);
  });

  it('shuts every manager down, in the order given, though one before it failed; each failure is reported', async () => {
    emulator = await startEmulator();
    const stop = vi.spyOn(emulator, 'stop');
    const order: string[] = [];
    const manager = (name: string, fails: boolean) =>
      ({
        shutdownAll: () => {
          order.push(name);
          return fails ? Promise.reject(new Error(`${name} would not close`)) : Promise.resolve();
        },
      }) as unknown as ShardManager;
    const failure = await stopManagersAndEmulator(
      [manager('first', true), manager('second', false), manager('third', true)],
      emulator,
    ).catch((error: unknown) => error);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(stop).toHaveBeenCalledOnce();
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors.map((error: Error) => error.message)).toEqual([
      'first would not close',
      'third would not close',
    ]);
    expect((failure as AggregateError).message).toBe(
      '2 failures ending the test: first would not close; third would not close',
    );
  });

  it('gives back the real clock when stopping the emulator fails', async () => {
    const broken = { stop: () => Promise.reject(new Error('server would not close')) } as unknown as Emulator;
    useFakeClock();
    await expect(stopManagersAndEmulator([], broken)).rejects.toThrow('server would not close');
    expect(vi.isFakeTimers()).toBe(false);
  });

  it('ending a pair a second time does nothing but give back the real clock', async () => {
    emulator = await startEmulator();
    const manager = emulatorManager(emulator);
    await stopManagersAndEmulator([manager], emulator);
    useFakeClock();
    await expect(stopManagersAndEmulator([manager], emulator)).resolves.toBeUndefined();
    expect(vi.isFakeTimers()).toBe(false);
  });

  it('ends a test that started neither: it only gives back the real clock', async () => {
    useFakeClock();
    await expect(stopManagersAndEmulator([], undefined)).resolves.toBeUndefined();
    expect(vi.isFakeTimers()).toBe(false);
  });
});
