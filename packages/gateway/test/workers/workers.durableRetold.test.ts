import { describe, expect, vi } from 'vitest';
import { InMemorySessionStore, workerThreads, type DispatchPayload } from '@bot/gateway';
import { guildOnShard } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { WAIT } from './support/waits.js';
import { workerEmulator } from './support/workerEmulator.js';

// How far the store holds a session durably may move with no event read and no store call of the
// thread (a Redis store's publisher confirms later; a client's handlers finish a backlog): the
// thread must hear of it before its next heartbeat, not one heartbeat later, or a resume replays
// more than it needs to.

describe('a durable seq that moves while the shard is quiet', () => {
  emulatorTest(
    'reaches the thread before its next heartbeat, which acknowledges it',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, { heartbeatInterval: 1_000 });
      let durable = 2;
      const store = Object.assign(new InMemorySessionStore(), {
        durableSeq: (_shardId: number, _sessionId: string): number | undefined => durable,
      });
      const bot = emulatorOfTest.manager({
        strategy: workerThreads({ workers: 1 }),
        sessionStore: store,
        // A budget that allows a heartbeat every second.
        sendLimit: { limit: 1_200, windowMs: 60_000 },
      });
      let delivered = 0;
      bot.on('dispatch', (payload: DispatchPayload) => {
        if (payload.t === 'AT_MESSAGE_CREATE') delivered += 1;
      });
      void bot.start();
      await vi.waitFor(() => expect(bot.status()[0]?.state).toBe('ready'), WAIT);
      for (let i = 0; i < 10; i += 1) {
        emu.simulate.dispatch('AT_MESSAGE_CREATE', { content: `#${i}` }, { guildId: guildOnShard(0, 1, i) });
      }
      await vi.waitFor(() => expect(delivered).toBe(10), WAIT);
      const last = bot.status()[0]!.seq!;
      expect(last).toBeGreaterThan(durable);

      // Right after a heartbeat's acknowledgement crossed (and what was durable then was told),
      // everything becomes durable; nothing more is read or stored.
      const movedAt = await new Promise<number>((resolve) =>
        bot.once('heartbeat', () =>
          setImmediate(() => {
            durable = last;
            resolve(emu.recorder.mark());
          }),
        ),
      );
      const beatsSince = (): unknown[] =>
        emu.recorder
          .filter((record) => record.index >= movedAt && record.kind === 'gateway' && record.op === 1)
          .map((record) => (record as { d: unknown }).d);
      await vi.waitFor(() => expect(beatsSince().length).toBeGreaterThanOrEqual(1), WAIT);
      expect(beatsSince()[0]).toBe(last);
    },
  );
});
