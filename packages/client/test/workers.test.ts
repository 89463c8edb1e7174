import { describe, expect, it } from 'vitest';
import {
  Client,
  inProcessShards,
  Intents,
  Token,
  ValidationError,
  type EventHandler,
  type GroupMessage,
} from '@bot/client';
import { sendFlood, watchFlood } from './support/floodWatch.js';
import { useHarness } from './support/harness.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('ClientBuilder.workers', () => {
  const slot = useHarness();

  it('runs the shards on worker threads: handlers get every event in order, a slow handler pauses the shard on its thread', async () => {
    const highWaterMark = 40;
    const maxUnacked = 64;
    const flood = 400;
    const started: string[] = [];
    const shardIds = new Set<number>();
    let finished = 0;
    const slow: EventHandler = {
      async groupMessageCreate(ctx, message: GroupMessage) {
        shardIds.add(ctx.shard.id);
        started.push(message.cleanContent);
        await sleep(5);
        finished += 1;
      },
    };
    const harness = await slot.start([slow], (builder) =>
      builder
        .workers(1, { maxBatch: 16, maxUnacked })
        .dispatchPolicy({ mode: 'concurrent', limit: 4 })
        .backpressure({ highWaterMark, lowWaterMark: 20 }),
    );
    const { client, emulator } = harness;
    const watch = watchFlood(client, () => finished);
    const sent = sendFlood(emulator, flood);
    await expect.poll(() => finished, { timeout: 15_000 }).toBe(flood);
    // The lane's mark, plus what was already crossing between the threads when the pause went out.
    expect(watch.peak).toBeLessThanOrEqual(highWaterMark + maxUnacked);
    expect(watch.pausedSeen).toBe(true);
    expect(started).toEqual(sent.map((_, index) => String(index)));
    expect([...shardIds]).toEqual([0]);
    expect(client.shardManager.status()[0]).toMatchObject({ state: 'ready', reconnects: 0, paused: false });
    expect(emulator.recorder.filter((record) => record.kind === 'close')).toEqual([]);
  });

  it('is checked when the client is built, naming the argument', async () => {
    const builder = (): ReturnType<typeof Client.builder> =>
      Client.builder(new Token('102000000', 'secret'), Intents.default()).eventHandler({});
    expect(() => builder().workers(0)).toThrow(ValidationError);
    expect(() => builder().workers(2, { maxRestarts: -1 })).toThrow(/workers\.maxRestarts/);
    await expect(builder().workers(2).gateway({ strategy: inProcessShards }).build()).rejects.toThrow(
      /workers conflicts with gateway\(\{ strategy \}\)/,
    );
  });
});
