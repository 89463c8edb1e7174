import { describe, expect } from 'vitest';
import { InMemorySessionStore, type DispatchPayload } from '@bot/gateway';
import type { Emulator, GatewayFrameRecord } from '@bot/testing';
import { advanceUntilAllReady, messagesOnShard } from './support/emulator.js';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceUntil, useFakeClock } from './support/harness.js';

const greetings = (emulator: Emulator): string[] =>
  emulator.recorder
    .filter(
      (record): record is GatewayFrameRecord =>
        record.kind === 'gateway' && (record.op === 2 || record.op === 6),
    )
    .map((record) => (record.op === 2 ? 'identify' : 'resume'));

// A resume whose replay had begun was accepted: the session lives. A connection lost in the middle
// of the replay is resumed again from the last event read, instead of identifying, which spends a
// session start and loses the rest of the replay with the old session.
describe('a connection lost while a resume replays what was missed', () => {
  emulatorTest('is resumed again, and every missed event arrives once', async ({ emulatorOfTest }) => {
    useFakeClock();
    const emulator = await emulatorOfTest.startEmulator();
    const manager = emulatorOfTest.manager({ sessionStore: new InMemorySessionStore() });
    const received: DispatchPayload[] = [];
    manager.on('dispatch', (payload) => void received.push(payload));
    void manager.start();
    await advanceUntilAllReady(manager, 1);
    const sessionId = manager.status()[0]?.sessionId;

    // Five events the shard misses: sent while it reads nothing, then its connection is lost.
    manager.pause(0, 'hold');
    const missed = messagesOnShard(emulator, 5);
    emulator.faults.dropSocket(0);
    await advanceUntil(() => manager.status()[0]?.state === 'reconnecting', 200_000, 500);

    // The resume's replay is cut after its first event: the socket is lost with the rest unread.
    let cut = false;
    manager.on('dispatch', () => {
      if (cut) return;
      cut = true;
      manager.pause(0, 'cut');
      emulator.faults.dropSocket(0);
    });
    manager.resume(0, 'hold');
    await advanceUntil(() => cut && manager.status()[0]?.state === 'reconnecting', 200_000, 500);
    manager.resume(0, 'cut');
    await advanceUntil(() => manager.status()[0]?.state === 'ready', 60_000, 100);

    expect(greetings(emulator)).toEqual(['identify', 'resume', 'resume']);
    expect(manager.status()[0]?.sessionId).toBe(sessionId);
    const messages = received.filter((payload) => payload.t === 'AT_MESSAGE_CREATE').map(({ id }) => id);
    expect(messages).toEqual(missed);
  });
});
