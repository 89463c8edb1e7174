/**
 * The report of the long pause after sessions ended by op 9 advises `restart()` to try sooner.
 * Called right from that report's `error` listener, or from the `close` listener announcing the
 * pause, it was lost: the loop had no wait yet to cut short, and the pause was already planned,
 * so the shard identified ten minutes later all the same.
 */
import { describe, expect, it } from 'vitest';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceBy, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

/** Where the test calls `restart()` once the pause is reported. */
type Caller = 'error listener' | 'close listener' | 'a timer after the report';

describe('restart() during the pause after sessions ended by op 9', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  it.each<Caller>(['error listener', 'close listener', 'a timer after the report'])(
    'identifies at once when called from the %s',
    async (caller) => {
      // The platform ends each session a second after its Identify until the pause is reported.
      let incident = true;
      fake.gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
        if (frame.op !== 2 || !incident) return;
        setTimeout(() => frame.connection.send({ op: 9, d: false }), 1_000);
      });
      const { shard } = makeShard(fake.gateway.url);
      let pauseReported = false;
      shard.on('error', (error) => {
        if (pauseReported || !/identifies again in \d+ minutes/.test(error.message)) return;
        pauseReported = true;
        incident = false;
        if (caller === 'error listener') shard.restart();
        if (caller === 'a timer after the report') setTimeout(() => shard.restart(), 0);
      });
      let restartedFromClose = false;
      shard.on('close', () => {
        if (caller !== 'close listener' || !pauseReported || restartedFromClose) return;
        restartedFromClose = true;
        shard.restart();
      });
      await shard.start();
      await advanceBy(60_000, 500);
      expect(pauseReported).toBe(true);
      // Five quick identifies, then the one restart() asked for, well inside the pause.
      expect(fake.gateway.received(2)).toHaveLength(6);
      expect(shard.state).toBe('ready');
      await shard.close();
    },
  );
});
