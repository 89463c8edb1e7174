import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { workerThreads } from '@bot/gateway';
import { Client, Intents, Token, createLogger, type ClientError } from '@bot/client';

// Shards on a worker thread, handlers on the main thread, the default session store. While the bot
// is idle every event read has been handled; the thread must still acknowledge no event the main
// thread has not received, since an event read then waits for the main thread (a round trip, long
// while it is busy) before a handler can have it. A crash in that window stores the shard at the
// last event handled; a heartbeat that acknowledged the newer one would make a platform strict
// about resumes refuse the next thread's resume, and the events sent meanwhile would be lost.

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('workers(n) with the default session store, the main thread idle, then busy', () => {
  it('acknowledges no event before the main thread has it, and a crash then resumes its session', async () => {
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
          // The first event is handled at once; every later one waits until released.
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
      const first = emulator.simulate.groupAtMessage({ content: 'first' }).d.id;
      await expect.poll(() => handled.has(first)).toBe(true);
      // Idle: the lane drained, and the thread was told so (the durable seqs are asked every 250 ms).
      await expect
        .poll(() => framesOf(emulator, 1).at(-1)?.d, { timeout: 5_000 })
        .toBeGreaterThanOrEqual(seqOf(emulator, first));
      await sleep(300);

      const readAt = emulator.recorder.mark();
      const second = emulator.simulate.groupAtMessage({ content: 'second' }).d.id;
      // The main thread is busy (a handler's synchronous work, a collection) while the thread reads
      // the event and beats (the emulator, here too, records its beats once the main thread is free).
      const until = performance.now() + 600;
      while (performance.now() < until) {
        // busy: nothing from the thread is received here meanwhile
      }
      await sleep(300);
      expect(handled.has(second)).toBe(false);
      const unhandled = seqOf(emulator, second);
      const beats = framesOf(emulator, 1).filter((beat) => beat.index >= readAt);
      expect(beats.length).toBeGreaterThanOrEqual(1);
      for (const beat of beats) expect(beat.d === null || (beat.d as number) < unhandled).toBe(true);

      await strategy.threads()[0]!.thread!.terminate();
      // Sent while no thread reads: only a resumed session gets it.
      const during = emulator.simulate.groupAtMessage({ content: 'during' }).d.id;
      await expect.poll(() => framesOf(emulator, 6).length, { timeout: 10_000 }).toBe(1);
      await expect.poll(() => client.shardManager.status()[0]?.state, { timeout: 10_000 }).toBe('ready');
      release!();

      await expect
        .poll(() => [second, during].filter((id) => !handled.has(id)), { timeout: 15_000 })
        .toEqual([]);
      expect(closeCodes(emulator)).not.toContain(4007); // no resume refused
      expect(framesOf(emulator, 2)).toHaveLength(1); // never identified again
      expect(errors).toEqual([]);
    } finally {
      release!();
      await client.shutdown({ invalidateSessions: true });
      await running;
      await emulator.stop();
    }
  }, 40_000);
});
