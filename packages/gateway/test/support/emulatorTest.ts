import type { ShardManager, ShardManagerOptions } from '@bot/gateway';
import type { Emulator, EmulatorOptions } from '@bot/testing';
import { raceAbort } from '@bot/core';
import { it, vi } from 'vitest';
import { emulatorManager, startEmulator, stopManagersAndEmulator } from './emulator.js';

/**
 * How long the end of a test may take: vitest's default hook timeout, which an `afterEach` had.
 * vitest gives a fixture's teardown no deadline at all, so a hanging shutdown would hang the run.
 */
export const END_DEADLINE_MS = 10_000;

/** The emulator and the manager facing it that one test started. */
export interface EmulatorAndManager {
  readonly emulator: Emulator;
  readonly manager: ShardManager;
}

/**
 * What one test starts on the emulator: one emulator and the managers facing it, ended by
 * {@link emulatorTest} once that test is over. Each test gets its own, so nothing a test does, even
 * a body still running after its timeout, can reach another test's emulator.
 */
export class EmulatorOfTest {
  #phase: 'idle' | 'starting' | 'started' | 'ended' = 'idle';
  #emulator: Emulator | undefined;
  readonly #managers: ShardManager[] = [];

  /**
   * {@link startEmulator} with `options`: the test's one emulator. Rejects a second call, even one
   * made while the first is still starting, and stops the emulator itself when the test ended while
   * it was starting. A start that failed can be tried again.
   */
  async startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    // Checked and set before the await, so two calls that overlap cannot both pass.
    if (this.#phase === 'ended') throw new Error('this test has ended: start its emulator inside the test');
    if (this.#phase !== 'idle') throw new Error('this test started its emulator already: start it once');
    this.#phase = 'starting';
    let emulator: Emulator;
    try {
      emulator = await startEmulator(options);
    } catch (error) {
      // Nothing started: the test may try again (unless it has ended meanwhile).
      if (!this.#ended()) this.#phase = 'idle';
      throw error;
    }
    // A test that timed out keeps running after its end: nothing would stop what it starts late.
    if (this.#ended()) {
      await emulator.stop();
      throw new Error('the test ended before its emulator started; it has been stopped');
    }
    this.#phase = 'started';
    this.#emulator = emulator;
    return emulator;
  }

  /**
   * {@link emulatorManager} facing the test's emulator with `overrides`, shut down after the test.
   * Build it after `useFakeClock()` if the test wants one: the manager reads the clock it is built on.
   */
  manager(overrides: Partial<ShardManagerOptions> = {}): ShardManager {
    if (this.#ended()) throw new Error('this test has ended: make its managers inside the test');
    if (this.#emulator === undefined) {
      throw new Error('this test has no emulator yet: await startEmulator() or start() first');
    }
    const manager = emulatorManager(this.#emulator, overrides);
    this.#managers.push(manager);
    return manager;
  }

  /**
   * Shuts `manager` down after the test with the ones {@link EmulatorOfTest.manager} built: for a
   * manager a test builds itself (on a REST client, say), so a failed assertion cannot leave it
   * running.
   *
   * @returns `manager`
   */
  adopt(manager: ShardManager): ShardManager {
    if (this.#ended()) throw new Error('this test has ended: hand it its managers inside the test');
    this.#managers.push(manager);
    return manager;
  }

  /** {@link EmulatorOfTest.startEmulator} with `options`, then {@link EmulatorOfTest.manager} with `overrides`. */
  async start(
    options: EmulatorOptions = {},
    overrides: Partial<ShardManagerOptions> = {},
  ): Promise<EmulatorAndManager> {
    const emulator = await this.startEmulator(options);
    return { emulator, manager: this.manager(overrides) };
  }

  // A method: TypeScript would keep `#phase` narrowed to 'starting' across the await in `startEmulator`.
  #ended(): boolean {
    return this.#phase === 'ended';
  }

  /**
   * Shuts every manager down, stops the emulator and gives back the real clock; later starts are
   * refused. Rejects once `deadlineMs` of real time have passed, leaving a hanging shutdown behind.
   */
  async end(deadlineMs = END_DEADLINE_MS): Promise<void> {
    this.#phase = 'ended';
    // Node's own timer: the fake clock, on which the manager's shutdown deadline would never fire, leaves it alone.
    const deadline = AbortSignal.timeout(deadlineMs);
    try {
      await raceAbort(stopManagersAndEmulator(this.#managers, this.#emulator), [deadline]);
    } catch (error) {
      if (error !== deadline.reason) throw error;
      throw new Error(
        `the test's managers and emulator did not end within ${deadlineMs} ms: ` +
          'look for a shutdown waiting on the fake clock or on a peer that no longer answers',
      );
    } finally {
      vi.useRealTimers();
    }
  }
}

/**
 * vitest's `it` with an `emulatorOfTest` fixture: a test that names it in its context starts its
 * own emulator and managers through it, and they are ended after that test, after its `afterEach`
 * hooks and before its `onTestFinished` callbacks (where the Redis fixture closes its connections),
 * even when it failed or timed out. Under `.concurrent` each test still ends only its own
 * pair, but the fake clock is global: tests that use one must run one at a time.
 */
export const emulatorTest = it.extend<{ emulatorOfTest: EmulatorOfTest }>({
  // vitest reads the fixtures this one depends on from the pattern: none.
  emulatorOfTest: async ({}, use) => {
    const ofTest = new EmulatorOfTest();
    await use(ofTest); // resolves once the test is over, passed, failed or timed out
    await ofTest.end();
  },
});
