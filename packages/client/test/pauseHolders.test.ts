/**
 * The client pauses a shard under holders of its own (its dispatch lanes, its shutdown), so its
 * resumes never lift a pause held by anyone else, and the other way round.
 */
import { describe, expect, it } from 'vitest';
import { CLIENT_PAUSE_HOLDERS, type DispatchPayload } from '@bot/client';
import { heldHandler, useHarness, type Harness } from './support/harness.js';

describe('the client’s pause holders', () => {
  const slot = useHarness();

  async function gated(): Promise<{ harness: Harness; handled: string[]; read: () => number }> {
    const { handler, handled } = heldHandler(slot.gate());
    const harness = await slot.start([handler], (builder) =>
      builder.dispatchPolicy({ mode: 'sequential' }).backpressure({ highWaterMark: 5, lowWaterMark: 1 }),
    );
    let read = 0;
    harness.client.shardManager.on('dispatch', (payload: DispatchPayload) => {
      if (payload.t === 'GROUP_AT_MESSAGE_CREATE') read += 1;
    });
    return { harness, handled, read: () => read };
  }

  it('a lane draining below its low-water mark leaves a pause your code holds in place', async () => {
    const { harness, handled, read } = await gated();
    const { client, emulator } = harness;
    const sent = Array.from({ length: 20 }, (_, n) => {
      emulator.simulate.groupAtMessage({ content: String(n) });
      return String(n);
    });
    const shard = client.shardManager.shards.get(0);
    await expect.poll(() => shard?.pausedBy).toEqual([CLIENT_PAUSE_HOLDERS.dispatch]);
    shard?.pause('maintenance');

    slot.open();
    await expect.poll(() => handled.length === read() && shard?.pausedBy.length === 1).toBe(true);
    expect(shard?.pausedBy).toEqual(['maintenance']);
    expect(read()).toBeLessThan(sent.length);

    shard?.resume('maintenance');
    await expect.poll(() => handled.length, { timeout: 15_000 }).toBe(sent.length);
    expect(handled).toEqual(sent);
    expect(shard?.paused).toBe(false);
  });

  it('during shutdown, a resume() by your code or a draining lane does not read again', async () => {
    const { harness, handled, read } = await gated();
    const { client, emulator } = harness;
    for (let n = 0; n < 20; n++) emulator.simulate.groupAtMessage({ content: String(n) });
    const shard = client.shardManager.shards.get(0);
    await expect.poll(() => shard?.pausedBy).toEqual([CLIENT_PAUSE_HOLDERS.dispatch]);

    const stopping = client.shutdown({ deadlineMs: 10_000 });
    expect(shard?.pausedBy).toEqual([CLIENT_PAUSE_HOLDERS.dispatch, CLIENT_PAUSE_HOLDERS.shutdown]);
    shard?.resume(); // the default holder: holds nothing here, lifts nothing
    const readAtShutdown = read();
    slot.open();
    await expect.poll(() => handled.length).toBe(readAtShutdown);
    expect(shard?.pausedBy).toEqual([CLIENT_PAUSE_HOLDERS.shutdown]);
    await stopping;
    expect(read()).toBe(readAtShutdown);
  });
});
