import { describe, expect } from 'vitest';
import { nextError } from '../support/nextError.js';
import { emulatorTest } from '../support/emulatorTest.js';
import {
  THROWS,
  dispatchListenerFailureCarriesOn,
  errorListenerFailureLogged,
  oneReadyWorkerShard,
} from './support/listenerFailures.js';

describe('a listener of a worker shard that throws', () => {
  emulatorTest(
    "of the shard's own dispatch is reported on error, named, as in-process, and the shard carries on",
    ({ emulatorOfTest }) => dispatchListenerFailureCarriesOn(emulatorOfTest, THROWS),
    30_000,
  );

  emulatorTest(
    "of the shard's state keeps no start from resolving at ready, and is reported on error",
    async ({ emulatorOfTest }) => {
      const { manager, shard } = await oneReadyWorkerShard(emulatorOfTest);
      if (shard === undefined) throw new Error('the manager has no shard 0');
      await shard.close();
      const thrown = new Error('dashboard unavailable');
      shard.on('state', (state) => {
        if (state === 'ready') throw thrown;
      });

      const reported = nextError(manager);
      // Awaited below, once the start is settled: until then its timeout is not left unhandled.
      reported.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const capped = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('start() did not resolve within 10 s')), 10_000);
      });
      try {
        await Promise.race([shard.start(), capped]);
      } finally {
        clearTimeout(timer);
      }
      const { error, shardId } = await reported;
      expect(error.message).toBe("shard 0: a 'state' listener threw");
      expect(error.cause).toBe(thrown);
      expect(shardId).toBe(0);
    },
    30_000,
  );

  emulatorTest(
    "of the shard's error is logged, not reported to itself again",
    ({ emulatorOfTest }) => errorListenerFailureLogged(emulatorOfTest, THROWS),
    30_000,
  );
});
