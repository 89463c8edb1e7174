import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { workerThreads } from '@bot/gateway';
import { Client, Intents, Token, createLogger, type ClientError } from '@bot/client';

// Shards on a worker thread, handlers on the main thread, the default session store (which cannot
// tell how far it holds a session durably). The thread reads ahead of the handlers; when it
// crashes, its shard is stored at the last event handled and the next thread resumes from there.
// Its heartbeats must have acknowledged no further: a platform that refuses a resume from behind
// what was acknowledged would end the session, and every event sent while the thread was down
// would be lost with it.

/** The frames of opcode `op` the bot sent. */
function framesOf(emulator: Emulator, op: number): Array<{ index: number; d: unknown }> {
  return emulator.recorder.records.flatMap((record) =>
    record.kind === 'gateway' && record.op === op ? [record] : [],
  );
}

/** The seq the emulator sent the event of message `id` with. */
function seqOf(emulator: Emulator, id: string): number {
  for (const record of emulator.recorder.records) {
    if (record.kind !== 'sent') continue;
    const d = record.payload.d as { id?: unknown } | undefined;
    if (d?.id === id && typeof record.payload.s === 'number') return record.payload.s;
  }
  throw new Error(`message ${id} was not sent`);
}

/** The close codes of the gateway connections that ended. */
function closeCodes(emulator: Emulator): number[] {
  return emulator.recorder.records.flatMap((record) => (record.kind === 'close' ? [record.code] : []));
}

describe('workers(n) with the default session store, against a platform strict about resumes', () => {
  it('a thread that crashes with events read but not handled resumes its session and nothing is lost', async () => {
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 100,
      strictResume: true,
    });
    const strategy = workerThreads({ workers: 1, restartBaseMs: 50, restartMaxMs: 50 });
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled = new Set<string>();
    const errors: ClientError[] = [];
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .dispatchPolicy({ mode: 'sequential' })
      // A budget that allows heartbeats every 100 ms; sessions written every 20 ms.
      .gateway({ strategy, seqFlushDelayMs: 20, sendLimit: { limit: 1_200, windowMs: 60_000 } })
      .eventHandler({
        async groupMessageCreate(_ctx, message) {
          // The first event is handled; every later one waits behind the second until released.
          if (handled.size > 0) await gate;
          handled.add(message.id);
        },
        error: (error) => void errors.push(error),
      });
    const ready = new Promise<void>((resolve) =>
      client.shardManager.on('state', (state) => state === 'ready' && resolve()),
    );
    const running = client.start();
    running.catch(() => undefined);
    try {
      await ready;
      const before = Array.from(
        { length: 20 },
        (_, index) => emulator.simulate.groupAtMessage({ content: `before ${index}` }).d.id,
      );
      await expect.poll(() => handled.size, { timeout: 10_000 }).toBe(1);
      // Every event read and crossed to the main thread, where 19 wait unhandled; heartbeats go on.
      const readAt = emulator.recorder.mark();
      await expect
        .poll(() => framesOf(emulator, 1).filter((beat) => beat.index >= readAt).length, { timeout: 5_000 })
        .toBeGreaterThanOrEqual(3);
      // None of them acknowledged an event past the last one handled.
      const unhandled = seqOf(emulator, before[1]!);
      for (const beat of framesOf(emulator, 1).filter((frame) => frame.index >= readAt)) {
        expect(beat.d === null || (beat.d as number) < unhandled).toBe(true);
      }

      const thread = strategy.threads()[0]?.thread;
      expect(thread).toBeDefined();
      await thread!.terminate();
      // Sent while no thread reads: only a resumed session gets them.
      const during = Array.from(
        { length: 10 },
        (_, index) => emulator.simulate.groupAtMessage({ content: `during ${index}` }).d.id,
      );
      await expect.poll(() => framesOf(emulator, 6).length, { timeout: 10_000 }).toBe(1);
      await expect.poll(() => client.shardManager.status()[0]?.state, { timeout: 10_000 }).toBe('ready');
      release!();

      const sent = [...before, ...during];
      await expect.poll(() => sent.filter((id) => !handled.has(id)), { timeout: 15_000 }).toEqual([]);
      expect(closeCodes(emulator)).not.toContain(4007); // no resume refused
      expect(framesOf(emulator, 2)).toHaveLength(1); // never identified again
      expect(errors).toEqual([]);
      // Every event handled, the heartbeats come to acknowledge the last one again.
      const last = seqOf(emulator, during.at(-1)!);
      await expect
        .poll(() => framesOf(emulator, 1).at(-1)?.d, { timeout: 5_000 })
        .toBeGreaterThanOrEqual(last);
    } finally {
      release!();
      await client.shutdown({ invalidateSessions: true });
      await running;
      await emulator.stop();
    }
  }, 40_000);
});
