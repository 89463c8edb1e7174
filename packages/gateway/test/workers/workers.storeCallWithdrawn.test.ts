import { describe, expect, vi } from 'vitest';
import { InMemorySessionStore, workerThreads, type SessionInfo } from '@bot/gateway';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, emulatorFor, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

// A worker shard's session store calls go to the main thread's store, and a thread withdraws one
// the store does not answer in time. What the user hears of that must say what happened: which
// call, after how long, and what to check; not a bare "The operation was aborted due to timeout".

/** A store whose writes never answer. */
class StuckWrites extends InMemorySessionStore {
  public override set(_shardId: number, _session: SessionInfo): Promise<void> {
    return new Promise(() => undefined);
  }
}

describe('a worker shard whose session store does not answer a write', () => {
  emulatorTest(
    'reports the withdrawn call naming it, its deadline and the store, never as a bare abort',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const manager = workerManager(emulatorOfTest, workerThreads({ workers: 1 }), {
        sessionStore: new StuckWrites(),
        timeouts: { sessionStoreMs: 300, closeGraceMs: 500 },
      });
      const errors: string[] = [];
      manager.on('error', (error) => {
        const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
        errors.push(`${error.message}${cause}`);
      });
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      // The READY write is reported late at 300 ms, and withdrawn by the thread at 1.5 s.
      await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), WAIT);
      expect(errors).not.toContainEqual(expect.stringMatching(/aborted due to timeout/));
      expect(errors[1]).toBe(
        'shard 0: the session store did not answer set within 1500 ms on the main thread: ' +
          'the worker thread gave up on it (check the store and its connection)',
      );
    },
  );
});
