import { describe, expect, it } from 'vitest';
import type { EventHandler, GroupMessage } from '@bot/client';
import { sendFlood, watchFlood } from './support/floodWatch.js';
import { heldHandler, useHarness } from './support/harness.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('back-pressure', () => {
  const slot = useHarness();

  it('a slow handler under a flood holds at most the high-water mark, and every event is handled in order', async () => {
    const highWaterMark = 40;
    const flood = 600;
    const started: string[] = [];
    let finished = 0;
    const slow: EventHandler = {
      async groupMessageCreate(_ctx, message: GroupMessage) {
        started.push(message.cleanContent);
        await sleep(10);
        finished += 1;
      },
    };
    // A short heartbeat: the emulator closes a session that misses two intervals of heartbeats,
    // and the shard would call a connection without acknowledgements a zombie. A shard beats no
    // faster than its send budget sustains, so the budget is raised to match (300 ms at 400 a minute).
    const harness = await slot.start(
      [slow],
      (builder) =>
        builder
          .dispatchPolicy({ mode: 'concurrent', limit: 4 })
          .backpressure({ highWaterMark, lowWaterMark: 20 })
          .gateway({ sendLimit: { limit: 400 } }),
      { heartbeatInterval: 300 },
    );
    const { client, emulator } = harness;
    const watch = watchFlood(client, () => finished);
    const sent = sendFlood(emulator, flood);
    expect(new Set(sent).size).toBe(flood);
    await expect.poll(() => finished, { timeout: 15_000 }).toBe(flood);
    expect(watch.peak).toBeLessThanOrEqual(highWaterMark);
    expect(watch.pausedSeen).toBe(true);
    expect(started).toEqual(sent.map((_, index) => String(index)));
    const [status] = client.shardManager.status();
    expect(status).toMatchObject({ state: 'ready', reconnects: 0, paused: false });
    expect(emulator.recorder.filter((record) => record.kind === 'close')).toEqual([]);
  });
});

describe('back-pressure across a replaced shard', () => {
  const slot = useHarness();

  it('a shard started again while its lane is still full starts paused, and reads once the lane drains', async () => {
    const highWaterMark = 10;
    const flood = 30;
    const { handler, handled } = heldHandler(slot.gate());
    const harness = await slot.start([handler], (builder) =>
      builder.dispatchPolicy({ mode: 'sequential' }).backpressure({ highWaterMark, lowWaterMark: 2 }),
    );
    const { client, emulator } = harness;
    const watch = watchFlood(client, () => handled.length);
    const sent = Array.from({ length: flood }, (_, index) => {
      emulator.simulate.groupAtMessage({ content: String(index) });
      return String(index);
    });
    await expect.poll(() => client.shardManager.shards.get(0)?.paused).toBe(true);

    await client.shardManager.shutdown(0);
    const again = client.shardManager.startShard(0, 1);
    again.catch(() => undefined);
    await expect.poll(() => client.shardManager.shards.get(0)?.paused).toBe(true);
    expect(watch.delivered).toBe(highWaterMark);

    slot.open();
    await expect.poll(() => handled.length, { timeout: 15_000 }).toBe(flood);
    expect(handled).toEqual(sent);
    expect(watch.peak).toBeLessThanOrEqual(highWaterMark);
    expect(client.shardManager.shards.get(0)?.paused).toBe(false);
  });
});
