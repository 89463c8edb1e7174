import { describe, expect, it } from 'vitest';
import { closeCodes, framesOf, seqOf, startGatedWorkerBot } from './support/gatedWorkerBot.js';

// Shards on a worker thread, handlers on the main thread, the default session store (which cannot
// tell how far it holds a session durably). The thread reads ahead of the handlers; when it
// crashes, its shard is stored at the last event handled and the next thread resumes from there.
// Its heartbeats must have acknowledged no further: a platform that refuses a resume from behind
// what was acknowledged would end the session, and every event sent while the thread was down
// would be lost with it.

describe('workers(n) with the default session store, against a platform strict about resumes', () => {
  it('a thread that crashes with events read but not handled resumes its session and nothing is lost', async () => {
    const bot = await startGatedWorkerBot();
    const { emulator, strategy, client, handled, errors, release } = bot;
    try {
      await bot.ready;
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
      release();

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
      await bot.stop();
    }
  }, 40_000);
});
