import { describe, expect } from 'vitest';
import { Deferred } from '@bot/core';
import { InMemorySessionStore, type SessionInfo, type ShardState } from '@bot/gateway';
import type { Emulator, GatewayFrameRecord } from '@bot/testing';
import { advanceUntilAllReady } from './support/emulator.js';
import { emulatorTest, type EmulatorOfTest } from './support/emulatorTest.js';
import { advanceUntil, useFakeClock } from './support/harness.js';

// restart(id) promises to reconnect the shard at once, resuming its session (README, ShardManager).
// A restart is the user's decision, not a failed resume: it must never cost an Identify, which
// spends a session start of the day's budget.

const greetings = (emulator: Emulator): string[] =>
  emulator.recorder
    .filter(
      (record): record is GatewayFrameRecord =>
        record.kind === 'gateway' && (record.op === 2 || record.op === 6),
    )
    .map((record) => (record.op === 2 ? 'identify' : 'resume'));

/** A store whose reads wait until the test lets them answer. */
class HeldReads extends InMemorySessionStore {
  public reads = 0;
  public readonly release = new Deferred<void>();

  public override async get(shardId: number): Promise<SessionInfo | undefined> {
    this.reads++;
    await this.release.promise;
    return super.get(shardId);
  }
}

/** Runs shard 0 to READY once on the test's emulator and leaves its session in `store`, resumable. */
async function leaveResumableSession(
  emulatorOfTest: EmulatorOfTest,
  store: InMemorySessionStore,
): Promise<string> {
  const first = emulatorOfTest.manager({ sessionStore: store });
  void first.start();
  await advanceUntilAllReady(first, 1);
  await first.shutdownAll();
  const stored = await store.get(0);
  if (stored === undefined) throw new Error('the first run stored no session');
  return stored.sessionId;
}

describe('restart(id) resumes the session', () => {
  emulatorTest(
    'when it comes while the shard is still reading its stored session',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const emulator = await emulatorOfTest.startEmulator();
      const store = new HeldReads();
      store.release.resolve(); // the first run reads freely
      const sessionId = await leaveResumableSession(emulatorOfTest, store);
      const held = new HeldReads();
      await held.set(0, (await store.get(0))!);

      const manager = emulatorOfTest.manager({ sessionStore: held });
      void manager.start();
      await advanceUntil(() => held.reads === 1, 5_000, 10);
      manager.restart(0);
      held.release.resolve();
      await advanceUntilAllReady(manager, 1);

      expect(greetings(emulator)).toEqual(['identify', 'resume']);
      expect(manager.status()[0]?.sessionId).toBe(sessionId);
    },
  );

  emulatorTest('when it comes while a Resume is unanswered', async ({ emulatorOfTest }) => {
    useFakeClock();
    const emulator = await emulatorOfTest.startEmulator();
    const store = new InMemorySessionStore();
    const sessionId = await leaveResumableSession(emulatorOfTest, store);

    const manager = emulatorOfTest.manager({ sessionStore: store });
    const states: ShardState[] = [];
    manager.on('state', (state) => {
      states.push(state);
      // Holds RESUMED unread: the Resume goes out, its answer waits in the socket.
      if (state === 'resuming' && states.filter((each) => each === 'resuming').length === 1) {
        manager.pause(0, 'test');
      }
    });
    void manager.start();
    await advanceUntil(() => greetings(emulator).length === 2, 5_000, 10);
    manager.restart(0);
    manager.resume(0, 'test');
    await advanceUntil(() => manager.status()[0]?.state === 'ready', 30_000, 50);

    expect(greetings(emulator)).toEqual(['identify', 'resume', 'resume']);
    expect(manager.status()[0]?.sessionId).toBe(sessionId);
  });
});
