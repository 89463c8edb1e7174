/**
 * A shard that must identify again while the session starts are used up waits for the budget to
 * reset; the manager says so on `error` once, naming the shard, when it identifies and what to do.
 */
import { describe, expect } from 'vitest';
import { ValidationError } from '@bot/core';
import { InMemorySessionStore, SessionStartsUsedUpError } from '@bot/gateway';
import { emulatorTest } from './support/emulatorTest.js';
import { advanceBy, advanceUntil, useFakeClock } from './support/harness.js';

describe('ShardManager with used-up session starts', () => {
  emulatorTest(
    'reports a shard waiting for the budget to reset once, on error, with the shard id',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const { emulator, manager } = await emulatorOfTest.start({
        heartbeatInterval: 41_250,
        sessionStartLimit: { total: 1, remaining: 1, resetAfter: 600_000 },
      });
      const errors: [Error, number][] = [];
      manager.on('error', (error, shardId) => errors.push([error, shardId]));
      manager.start().catch(() => undefined);
      await advanceUntil(() => manager.status()[0]?.state === 'ready', 10_000);

      emulator.faults.invalidSession(0, false); // the session is gone: only an identify brings it back
      await advanceBy(60_000, 500);
      const reports = errors.filter(([error]) => error instanceof SessionStartsUsedUpError);
      expect(reports).toHaveLength(1);
      const [[report, shardId] = []] = reports;
      expect(shardId).toBe(0);
      expect(report).toMatchObject({ kind: 'gateway', shardId: 0, total: 1 });
      expect(report?.message).toMatch(/^shard 0: session starts are used up .*reset at .* to identify/);
      expect(manager.status()[0]?.state).toBe('identifying');
    },
  );

  emulatorTest(
    'gives up on a stored session that never answers after timeouts.sessionStoreMs and refuses the start',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const emulator = await emulatorOfTest.startEmulator({ sessionStartLimit: { total: 1, remaining: 0 } });
      const sessionStore = new InMemorySessionStore();
      sessionStore.get = () => new Promise(() => undefined);
      const manager = emulatorOfTest.manager({ sessionStore, timeouts: { sessionStoreMs: 1_000 } });
      let outcome: unknown;
      manager.startShard(0, 1).then(
        () => (outcome = 'started'),
        (error: unknown) => (outcome = error),
      );
      await advanceBy(1_500, 250);
      expect(outcome).toBeInstanceOf(ValidationError);
      expect((outcome as Error).message).toMatch(/shard 0: did not answer within 1000 ms/);
      expect(emulator.recorder.filter((record) => record.kind === 'open')).toEqual([]);
    },
  );
});
