import { expect, vi } from 'vitest';
import { GatewayError, workerThreads, type ShardManager, type ShardManagerOptions } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { messagesOnShard } from '../../support/emulator.js';
import type { EmulatorOfTest } from '../../support/emulatorTest.js';
import { capturingLogger } from '../../support/harness.js';
import { nextError } from '../../support/nextError.js';
import { allReady, workerManager } from './threadedManager.js';
import { WAIT } from './waits.js';
import { workerEmulator } from './workerEmulator.js';

// What the tests of a failing listener of a worker shard share: one listener that throws and one
// whose promise rejects must be reported alike, so each case runs once per way of failing.

/** A worker shard of the manager, as `manager.shards` holds it. */
export type WorkerShard = NonNullable<ReturnType<ShardManager['shards']['get']>>;

/** How a listener fails: the word its report uses, and the failure given the error to fail with. */
export interface ListenerFailure {
  readonly verb: 'threw' | 'rejected';
  readonly fail: (error: Error) => void | Promise<void>;
}

/** A listener that throws at once. */
export const THROWS: ListenerFailure = {
  verb: 'threw',
  fail: (error) => {
    throw error;
  },
};

/** A listener whose promise rejects, after a turn of the microtask queue. */
export const REJECTS: ListenerFailure = {
  verb: 'rejected',
  fail: async (error) => {
    await Promise.resolve();
    throw error;
  },
};

/** One worker thread running shard 0, started and ready. */
export async function oneReadyWorkerShard(
  emulatorOfTest: EmulatorOfTest,
  overrides: Partial<ShardManagerOptions> = {},
): Promise<{ emu: Emulator; manager: ShardManager; shard: WorkerShard | undefined }> {
  const emu = await workerEmulator(emulatorOfTest);
  const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }), overrides);
  void manager.start().catch(() => undefined);
  await vi.waitFor(allReady(manager, 1), WAIT);
  return { emu, manager, shard: manager.shards.get(0) };
}

/**
 * A failing listener of the shard's own dispatch is reported on error, named, as in-process, and
 * the shard carries on.
 */
export async function dispatchListenerFailureCarriesOn(
  emulatorOfTest: EmulatorOfTest,
  failure: ListenerFailure,
): Promise<void> {
  const { emu, manager, shard } = await oneReadyWorkerShard(emulatorOfTest);
  const downstream = new Error('queue unavailable');
  const seen: string[] = [];
  shard?.on('dispatch', (payload) => {
    if (payload.t !== 'AT_MESSAGE_CREATE') return;
    seen.push(payload.id ?? '');
    return failure.fail(downstream);
  });

  const reported = nextError(manager);
  const [first] = messagesOnShard(emu, 1);
  const { error, shardId } = await reported;
  expect(error).toBeInstanceOf(GatewayError);
  expect(error.message).toBe(`shard 0: a 'dispatch' listener ${failure.verb}`);
  expect(error.cause).toBe(downstream);
  expect(shardId).toBe(0);

  // The shard still delivers: the next event reaches the listener, and is reported again.
  const again = nextError(manager);
  const [second] = messagesOnShard(emu, 1);
  await again;
  expect(seen).toEqual([first, second]);
  expect(manager.status()[0]?.state).toBe('ready');
}

/** A failing listener of the shard's error is logged, not reported to itself again. */
export async function errorListenerFailureLogged(
  emulatorOfTest: EmulatorOfTest,
  failure: ListenerFailure,
): Promise<void> {
  const { logger, lines } = capturingLogger();
  const { emu, shard } = await oneReadyWorkerShard(emulatorOfTest, { logger });
  const errorListenerCalls: Error[] = [];
  shard?.on('error', (error) => {
    errorListenerCalls.push(error);
    return failure.fail(new Error('alerting is down'));
  });
  shard?.on('dispatch', () => failure.fail(new Error('queue unavailable')));

  messagesOnShard(emu, 1);
  await vi.waitFor(
    () =>
      expect(lines).toContainEqual(
        expect.stringContaining(`an 'error' listener ${failure.verb}: alerting is down`),
      ),
    WAIT,
  );
  // Only the dispatch listener's failure reached it: its own was not handed back to it.
  expect(errorListenerCalls.map((error) => error.message)).toEqual([
    `shard 0: a 'dispatch' listener ${failure.verb}`,
  ]);
}
