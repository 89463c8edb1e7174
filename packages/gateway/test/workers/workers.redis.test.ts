import { describe, expect, vi } from 'vitest';
import { identifyLimitsFrom, workerThreads } from '@bot/gateway';
import { RedisIdentifyQueue, RedisSessionStore } from '@bot/gateway/redis';
import { useRedisFixture } from '../redis/support/redisFixture.js';
import { WAIT } from './support/waits.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';

const fixture = useRedisFixture();
describe('worker shards with the Redis identify queue and session store', () => {
  emulatorTest(
    'identify through the Redis queue and keep their sessions in Redis, so another manager resumes them',
    async ({ emulatorOfTest }) => {
      const emu = await workerEmulator(emulatorOfTest, { sessionStartLimit: { maxConcurrency: 2 } });
      const namespace = fixture.namespace(emu.appId);
      const store = new RedisSessionStore(fixture.redis(), namespace);
      const queue = new RedisIdentifyQueue(fixture.redis(), {
        ...namespace,
        limits: identifyLimitsFrom(emu.sessionStartLimit()),
      });
      const strategy = workerThreads({ workers: 2, restartBaseMs: 50 });
      const first = emulatorOfTest.manager({ strategy, sessionStore: store, identifyQueue: queue });
      void first.startShards(2);
      await vi.waitFor(
        () => expect(first.status().map(({ state }) => state)).toEqual(['ready', 'ready']),
        WAIT,
      );
      const sessions = first.status().map(({ sessionId }) => sessionId);
      await vi.waitFor(async () => expect((await store.get(1))?.sessionId).toBe(sessions[1]), WAIT);

      // A thread exits: its shard resumes from the session the main thread keeps in Redis.
      await strategy.threads()[1]?.thread?.terminate();
      await vi.waitFor(
        () =>
          expect(first.status()[1]).toMatchObject({ state: 'ready', reconnects: 1, sessionId: sessions[1] }),
        WAIT,
      );

      await first.handoff();
      const reader = new RedisSessionStore(fixture.redis(), namespace);
      expect((await reader.get(0))?.sessionId).toBe(sessions[0]);
      expect((await reader.get(1))?.sessionId).toBe(sessions[1]);

      const identifies = emu.recorder.filter((record) => record.kind === 'gateway' && record.op === 2).length;
      const second = emulatorOfTest.manager({ sessionStore: reader, identifyQueue: queue });
      void second.startShards(2);
      await vi.waitFor(
        () => expect(second.status().map(({ sessionId }) => sessionId)).toEqual(sessions),
        WAIT,
      );
      expect(emu.recorder.filter((record) => record.kind === 'gateway' && record.op === 2)).toHaveLength(
        identifies,
      );
    },
  );
});
