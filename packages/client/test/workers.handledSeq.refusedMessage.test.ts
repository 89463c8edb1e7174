import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, Token, createLogger, type ClientError } from '@bot/client';
// The gateway's refusing worker entry and its helpers: the same thread, seen from the client.
import {
  refusingWorkerScript,
  takeThreadMessagesLate,
  useRefusalMarker,
} from '../../gateway/test/workers/support/refusingWorker.js';
import { closeCodes, framesOf, seqOf } from './support/gatedWorkerBot.js';

// Shards on a worker thread, handlers on the main thread, the default session store. A thread
// stopped for a message the main thread refuses has what it posted after that dropped on purpose
// (dispatches included); its heartbeats acknowledge no further than the main thread told it was
// handled, so the session stored for the next thread (the last event handled) is never behind them,
// and a platform strict about resumes takes the next thread's resume: nothing is lost.
describe('workers(n) with handlers on the main thread: a thread stopped for a refused message', () => {
  useRefusalMarker();

  it('the next thread resumes the session: no resume refused, no event lost', async () => {
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 100,
      strictResume: true,
    });
    const handled = new Set<string>();
    const errors: ClientError[] = [];
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .workers(1, { workerScript: refusingWorkerScript, restartBaseMs: 1_000, restartMaxMs: 1_000 })
      // A budget that allows heartbeats every 100 ms; sessions written every 20 ms.
      .gateway({ seqFlushDelayMs: 20, sendLimit: { limit: 1_200, windowMs: 60_000 } })
      .eventHandler({
        groupMessageCreate(_ctx, message) {
          handled.add(message.id);
        },
        error: (error) => void errors.push(error),
      });
    const ready = (): Promise<void> =>
      new Promise((resolve) => {
        const onState = (state: string): void => {
          if (state !== 'ready') return;
          client.shardManager.off('state', onState);
          resolve();
        };
        client.shardManager.on('state', onState);
      });
    const first = ready();
    const running = client.start();
    running.catch(() => undefined);
    const send = (content: string): string => emulator.simulate.groupAtMessage({ content }).d.id;
    try {
      await first;
      const warmUp = send('warm-up');
      await expect.poll(() => handled.has(warmUp), { timeout: 5_000 }).toBe(true);

      const resumed = ready();
      const before = [send('refuse'), ...Array.from({ length: 5 }, (_, i) => send(`before ${i}`))];
      // The thread reads these and beats while this thread takes nothing; the batch with the first
      // comes after the refused message, which stops the thread once this thread takes it.
      await takeThreadMessagesLate(800);
      await expect.poll(() => closeCodes(emulator).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      const acknowledged = Math.max(...framesOf(emulator, 1).map((beat) => Number(beat.d ?? 0)));
      // Sent while no thread reads: only a resumed session gets them.
      const during = Array.from({ length: 5 }, (_, i) => send(`during ${i}`));
      await resumed;
      const after = Array.from({ length: 5 }, (_, i) => send(`after ${i}`));
      const all = [warmUp, ...before, ...during, ...after];
      await expect.poll(() => all.filter((id) => !handled.has(id)), { timeout: 15_000 }).toEqual([]);

      // Nothing past what the main thread handled (READY and the warm-up) was acknowledged.
      expect(acknowledged).toBeLessThanOrEqual(seqOf(emulator, warmUp));
      expect(closeCodes(emulator)).not.toContain(4007); // the resume was not refused
      expect(framesOf(emulator, 6).length).toBeGreaterThanOrEqual(1);
      expect(framesOf(emulator, 2)).toHaveLength(1); // never identified again
    } finally {
      await client.shutdown({ invalidateSessions: true });
      await running;
      await emulator.stop();
    }
  }, 40_000);
});
