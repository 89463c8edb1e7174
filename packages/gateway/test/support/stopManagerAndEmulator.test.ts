import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShardManager } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { emulatorManager, startEmulator, stopManagerAndEmulator } from './emulator.js';
import { useFakeClock } from './harness.js';

// The teardown behind emulatorTest's fixture: whatever the test left behind, the next test of the
// file must start with no emulator running and the real clock.

describe('stopManagerAndEmulator', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await emulator?.stop();
    emulator = undefined;
  });

  it('still stops the emulator and gives back the real clock when the shutdown fails, and reports it', async () => {
    emulator = await startEmulator();
    const stop = vi.spyOn(emulator, 'stop');
    const failing = {
      shutdownAll: () => Promise.reject(new Error('a shard would not close')),
    } as unknown as ShardManager;
    useFakeClock();
    await expect(stopManagerAndEmulator(failing, emulator)).rejects.toThrow('a shard would not close');
    expect(stop).toHaveBeenCalledOnce();
    expect(vi.isFakeTimers()).toBe(false);
  });

  it('gives back the real clock when stopping the emulator fails', async () => {
    const broken = { stop: () => Promise.reject(new Error('server would not close')) } as unknown as Emulator;
    useFakeClock();
    await expect(stopManagerAndEmulator(undefined, broken)).rejects.toThrow('server would not close');
    expect(vi.isFakeTimers()).toBe(false);
  });

  it('ending a pair a second time does nothing but give back the real clock', async () => {
    emulator = await startEmulator();
    const manager = emulatorManager(emulator);
    await stopManagerAndEmulator(manager, emulator);
    useFakeClock();
    await expect(stopManagerAndEmulator(manager, emulator)).resolves.toBeUndefined();
    expect(vi.isFakeTimers()).toBe(false);
  });

  it('ends a test that started neither: it only gives back the real clock', async () => {
    useFakeClock();
    await expect(stopManagerAndEmulator(undefined, undefined)).resolves.toBeUndefined();
    expect(vi.isFakeTimers()).toBe(false);
  });
});
