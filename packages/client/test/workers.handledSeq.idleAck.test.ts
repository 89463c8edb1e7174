import { describe, expect, it } from 'vitest';
import { closeCodes, framesOf, seqOf, startGatedWorkerBot } from './support/gatedWorkerBot.js';

// Shards on a worker thread, handlers on the main thread, the default session store. While the bot
// is idle every event read has been handled; the thread must still acknowledge no event the main
// thread has not received, since an event read then waits for the main thread (a round trip, long
// while it is busy) before a handler can have it. A crash in that window stores the shard at the
// last event handled; a heartbeat that acknowledged the newer one would make a platform strict
// about resumes refuse the next thread's resume, and the events sent meanwhile would be lost.

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('workers(n) with the default session store, the main thread idle, then busy', () => {
  it('acknowledges no event before the main thread has it, and a crash then resumes its session', async () => {
    const bot = await startGatedWorkerBot();
    const { emulator, strategy, client, handled, errors, release } = bot;
    try {
      await bot.ready;
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
      release();

      await expect
        .poll(() => [second, during].filter((id) => !handled.has(id)), { timeout: 15_000 })
        .toEqual([]);
      expect(closeCodes(emulator)).not.toContain(4007); // no resume refused
      expect(framesOf(emulator, 2)).toHaveLength(1); // never identified again
      expect(errors).toEqual([]);
    } finally {
      await bot.stop();
    }
  }, 40_000);
});
