/**
 * `close({ invalidateSession: true })` on a shard that runs on a worker thread, while a `close()`
 * without it is under way or once that has resolved: as on a `Shard`, the invalidating close
 * upgrades the pending one (the socket is closed with 1000), or forgets the session the closed
 * shard left behind in the store.
 */
import { describe, expect, vi } from 'vitest';
import { InMemorySessionStore, workerThreads, type ShardManager } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { emulatorTest } from '../support/emulatorTest.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

/** The codes the bot closed session `sessionId`'s connections with, in order. */
function clientCloses(emulator: Emulator, sessionId: string): number[] {
  return emulator.recorder
    .filter((record) => record.kind === 'close' && record.sessionId === sessionId)
    .filter((record) => record.kind === 'close' && record.initiator === 'client')
    .map((record) => (record.kind === 'close' ? record.code : 0));
}

/** Errors the manager reported, by message. */
function errorsOf(bot: ShardManager): string[] {
  const errors: string[] = [];
  bot.on('error', (error: unknown) => errors.push(error instanceof Error ? error.message : String(error)));
  return errors;
}

describe('a worker shard closed with invalidateSession after a close() without it', () => {
  emulatorTest(
    'upgrades the close under way: 1000 on the socket, the session forgotten',
    async ({ emulatorOfTest }) => {
      const emulator = await workerEmulator(emulatorOfTest);
      const store = new InMemorySessionStore();
      const bot = emulatorOfTest.manager({ strategy: workerThreads({ workers: 1 }), sessionStore: store });
      const errors = errorsOf(bot);
      void bot.start();
      await vi.waitFor(() => expect(bot.status()[0]?.state).toBe('ready'), WAIT);
      const sessionId = bot.status()[0]!.sessionId!;
      const shard = bot.shards.get(0)!;

      const first = shard.close();
      const second = shard.close({ invalidateSession: true });
      // Before the fix the second was the first's promise: 4000, the session stayed stored.
      expect(await second).toBeUndefined();
      expect(await first).toBeUndefined();
      expect(await store.get(0)).toBeUndefined();
      // The close reached the thread first: the socket may have gone with 4000 already, and the
      // session was then resumed on a connection of its own to close with 1000.
      await vi.waitFor(() => expect(clientCloses(emulator, sessionId).at(-1)).toBe(1000), {
        ...WAIT,
        timeout: 5_000,
      });
      expect(errors).toEqual([]);
    },
  );

  emulatorTest('forgets the stored session once the close has resolved', async ({ emulatorOfTest }) => {
    await workerEmulator(emulatorOfTest);
    const store = new InMemorySessionStore();
    const bot = emulatorOfTest.manager({ strategy: workerThreads({ workers: 1 }), sessionStore: store });
    const errors = errorsOf(bot);
    void bot.start();
    await vi.waitFor(() => expect(bot.status()[0]?.state).toBe('ready'), WAIT);
    const shard = bot.shards.get(0)!;

    const left = await shard.close();
    expect(left?.sessionId).toBeDefined();
    expect((await store.get(0))?.sessionId).toBe(left?.sessionId);
    // Before the fix this did nothing: the next start would resume the session.
    expect(await shard.close({ invalidateSession: true })).toBeUndefined();
    expect(await store.get(0)).toBeUndefined();
    expect(shard.status().sessionId).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
