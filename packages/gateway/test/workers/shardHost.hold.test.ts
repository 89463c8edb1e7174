import { describe, expect, vi } from 'vitest';
import { AccessTokenProvider, Token } from '@bot/http';
import type { FromWorker, ShardItem, ToWorker } from '../../src/workers/messages.js';
import { ShardHost } from '../../src/workers/ShardHost.js';
import { ALL_INTENT_BITS, guildOnShard } from '../support/emulator.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { silentLogger } from '../support/harness.js';
import { workerEmulator } from './support/workerEmulator.js';

const WAIT = { timeout: 20_000, interval: 10 };

/**
 * A worker thread's shards run here, on the test's thread, with the test as the main thread: it
 * answers the calls and acknowledges dispatches only once the host has stopped reading.
 */
describe('ShardHost', () => {
  emulatorTest(
    'two shards on one thread never have more than maxUnacked dispatches unacknowledged, also while resuming',
    async ({ emulatorOfTest }) => {
      const maxUnacked = 8;
      const emu = await workerEmulator(emulatorOfTest, { sessionStartLimit: { maxConcurrency: 2 } });
      const tokens = new AccessTokenProvider(new Token(emu.appId, emu.secret), {
        tokenUrl: emu.tokenUrl,
        logger: silentLogger(),
      });
      let unacked = 0;
      let most = 0;
      let messages = 0;
      const ready = new Set<number>();
      const closed = new Set<number>();
      const answer = (message: ToWorker): void => host.handle(message);
      const post = (message: FromWorker): void => {
        if (message.type === 'call') {
          const work =
            message.method === 'token'
              ? tokens.get()
              : message.method === 'sessionGet'
                ? Promise.resolve(undefined)
                : Promise.resolve();
          void work.then((value) => answer({ type: 'reply', call: message.call, ok: true, value }));
          return;
        }
        if (message.type !== 'items') return;
        for (const item of message.items as ShardItem[]) {
          if (item[1] === 'state' && item[2] === 'ready') ready.add(item[0]);
          if (item[1] === 'closed') closed.add(item[0]);
          if (item[1] === 'dispatch' && item[2].t === 'AT_MESSAGE_CREATE') messages += 1;
        }
        unacked += message.dispatches;
        most = Math.max(most, unacked);
        if (unacked >= maxUnacked) {
          // The host holds its shards now; let it run on once this turn is over.
          setImmediate(() => {
            const taken = unacked;
            unacked = 0;
            answer({ type: 'ack', dispatches: taken, logs: 0 });
          });
        }
      };
      const host = new ShardHost(
        {
          behaviour: {},
          intents: ALL_INTENT_BITS,
          logLevel: 7,
          maxBatch: 4,
          maxUnacked,
          durableSeq: false,
          storeCallMs: 1_000,
          handlerTimeoutMs: 120_000,
          thread: 0,
        },
        post,
      );
      for (const id of [0, 1]) {
        host.handle({ type: 'start', id, total: 2, gatewayUrl: emu.gatewayUrl, paused: false });
      }
      await vi.waitFor(() => expect(ready.size).toBe(2), WAIT);

      const count = 300;
      for (let i = 0; i < count; i += 1) {
        emu.simulate.dispatch(
          'AT_MESSAGE_CREATE',
          { content: `#${i}` },
          { guildId: guildOnShard(i % 2, 2, i) },
        );
      }
      await vi.waitFor(() => expect(messages).toBe(count), WAIT);
      expect(most).toBeLessThanOrEqual(maxUnacked);

      for (const id of [0, 1]) host.handle({ type: 'close', id, invalidateSession: true, graceMs: 100 });
      await vi.waitFor(() => expect(closed.size).toBe(2), WAIT);
    },
    30_000,
  );
});
