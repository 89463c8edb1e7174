import { describe, expect, it } from 'vitest';
import type { DispatchPayload, DispatchSink, EventSource } from '@bot/gateway';
import { Client, Intents, Token, createLogger, type C2CMessage, type Context } from '@bot/client';
import { c2cDispatch } from './support/c2cDispatch.js';

/** An in-memory source: delivers a fixed list, records which events were acknowledged and when. */
class ListSource implements EventSource {
  public readonly acknowledged: string[] = [];
  #stop!: () => void;

  public constructor(
    private readonly events: Array<{ payload: DispatchPayload; shardId: number | undefined }>,
  ) {}

  public async start(sink: DispatchSink): Promise<void> {
    const stopped = new Promise<void>((resolve) => (this.#stop = resolve));
    await Promise.all(
      this.events.map(async ({ payload, shardId }) => {
        await sink(payload, shardId);
        this.acknowledged.push(payload.id ?? '');
      }),
    );
    await stopped;
  }

  public async stop(): Promise<void> {
    this.#stop();
  }
}

describe('Client.startFrom', () => {
  it('feeds a source’s events to the same handlers and acknowledges each after its handlers finish', async () => {
    const handled: Array<{ content: string; shard: number }> = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client = await Client.builder(new Token('app', 'secret'), Intents.default())
      .logger(createLogger('test', 7))
      .eventHandler({
        async c2cMessageCreate(ctx: Context, message: C2CMessage) {
          if (message.content === 'slow') await gate;
          handled.push({ content: message.content, shard: ctx.shard.id });
        },
      });
    const source = new ListSource([
      { payload: c2cDispatch('e1', 'slow'), shardId: 3 },
      { payload: c2cDispatch('e2', 'fast'), shardId: 3 },
      { payload: c2cDispatch('e2', 'fast'), shardId: 3 },
    ]);
    const running = client.startFrom(source);
    await expect.poll(() => source.acknowledged).toEqual(['e2', 'e2']);
    expect(handled).toEqual([{ content: 'fast', shard: 3 }]);
    release();
    await expect.poll(() => source.acknowledged).toContain('e1');
    expect(handled).toHaveLength(2);
    await client.shutdown();
    await running;
  });
});
