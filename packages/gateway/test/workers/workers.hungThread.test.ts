import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ValidationError } from '@bot/core';
import { workerThreads } from '@bot/gateway';
import { guildOnShard } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, emulatorFor, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

// A worker thread that is alive but answers nothing (a handler stuck in a synchronous loop) never
// exits: unless the main thread notices, its shards stay `ready` here while their connections are
// dead, and the bot goes silent on them for good.

const FREEZING = new URL('./fixtures/freezingHandler.ts', import.meta.url);

/** What the freezing handler handled, as it told over a channel of this test's own. */
function listen(): { channel: string; handled: { id: string; content: string }[] } {
  const channel = `hung-thread-${process.pid}-${Math.random()}`;
  const handled: { id: string; content: string }[] = [];
  const listener = new BroadcastChannel(channel);
  listener.onmessage = (event) => handled.push((event as { data: { id: string; content: string } }).data);
  onTestFinished(() => listener.close());
  return { channel, handled };
}

describe('a worker thread that answers nothing', () => {
  emulatorTest(
    'is stopped once silent for unresponsiveMs and restarted: its shard resumes the same session and events flow again',
    async ({ emulatorOfTest }) => {
      const emu = await emulatorFor(emulatorOfTest, 1);
      const { channel, handled } = listen();
      const strategy = workerThreads({
        workers: 1,
        handler: FREEZING,
        handlerData: { channel, freezeOnce: new SharedArrayBuffer(4) },
        unresponsiveMs: 1_500,
        restartBaseMs: 50,
      });
      const manager = workerManager(emulatorOfTest, strategy);
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      const sessionId = manager.status()[0]?.sessionId;
      const guildId = guildOnShard(0, 1);

      const freeze = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'freeze' }, { guildId }).id;
      // Handed again to the new thread (at least once), which does not freeze.
      await vi.waitFor(() => expect(handled.map((each) => each.id)).toEqual([freeze, freeze]), WAIT);
      const later = emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: 'later' }, { guildId }).id;
      await vi.waitFor(() => expect(handled.map((each) => each.id)).toContain(later), WAIT);
      expect(manager.status()[0]?.sessionId).toBe(sessionId);
      expect(strategy.threads()[0]?.restarts).toBe(1);
    },
    40_000,
  );

  emulatorTest(
    'a thread that is merely idle is left alone, however small unresponsiveMs is',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const strategy = workerThreads({ workers: 1, unresponsiveMs: 1_500 });
      const manager = workerManager(emulatorOfTest, strategy);
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      const thread = strategy.threads()[0]?.thread;

      await new Promise((resolve) => setTimeout(resolve, 4_500));
      expect(strategy.threads()[0]).toMatchObject({ thread, restarts: 0 });
      expect(manager.status()[0]?.state).toBe('ready');
    },
  );

  emulatorTest(
    'a main thread that was itself blocked longer than unresponsiveMs does not take a healthy thread for a hung one',
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 1);
      const strategy = workerThreads({ workers: 1, unresponsiveMs: 1_500 });
      const manager = workerManager(emulatorOfTest, strategy);
      void manager.start();
      await vi.waitFor(allReady(manager, 1), WAIT);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the thread has answered by now
      const thread = strategy.threads()[0]?.thread;

      const until = performance.now() + 4_000;
      while (performance.now() < until); // a handler keeping the main thread busy for 4 s
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(strategy.threads()[0]).toMatchObject({ thread, restarts: 0 });
      expect(manager.status()[0]?.state).toBe('ready');
    },
  );

  it('refuses an unresponsiveMs under a second or that is not a number of milliseconds, naming it', () => {
    for (const unresponsiveMs of [0, 999, Number.NaN, 2 ** 31, '60000' as unknown as number]) {
      expect(() => workerThreads({ workers: 1, unresponsiveMs })).toThrow(ValidationError);
      expect(() => workerThreads({ workers: 1, unresponsiveMs })).toThrow(/unresponsiveMs/);
    }
    expect(() => workerThreads({ workers: 1, unresponsiveMs: Infinity })).not.toThrow();
  });
});
