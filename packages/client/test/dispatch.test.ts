import { afterEach, describe, expect, it } from 'vitest';
import {
  HandlerError,
  defineKey,
  type BotError,
  type C2CMessage,
  type Context,
  type EventHandler,
  type GroupMessage,
  type ShardStatusEvent,
  type ShardsReadyEvent,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

describe('dispatch', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('a throwing handler reaches error() with event, shard and handler, and stops nothing else', async () => {
    const errors: BotError[] = [];
    const seen: string[] = [];
    class Faulty implements EventHandler {
      groupMessageCreate(_ctx: Context, message: GroupMessage): void {
        if (message.cleanContent === 'boom') throw new Error('handler exploded');
        seen.push(`faulty:${message.cleanContent}`);
      }
    }
    const second: EventHandler = {
      async groupMessageCreate(_ctx, message) {
        seen.push(`second:${message.cleanContent}`);
      },
      error(error) {
        errors.push(error);
      },
    };
    harness = await startHarness([new Faulty(), second]);
    harness.emulator.simulate.groupAtMessage({ content: 'boom' });
    harness.emulator.simulate.groupAtMessage({ content: 'after' });
    await expect.poll(() => seen.length).toBe(3);
    expect([...seen].sort()).toEqual(['faulty:after', 'second:after', 'second:boom']);
    expect(errors).toHaveLength(1);
    const error = errors[0] as HandlerError;
    expect(error).toBeInstanceOf(HandlerError);
    expect(error).toMatchObject({
      kind: 'handler',
      event: 'GROUP_AT_MESSAGE_CREATE',
      shardId: 0,
      handler: 'Faulty#0.groupMessageCreate',
    });
    expect((error.cause as Error).message).toBe('handler exploded');
  });

  it('a rejecting async handler is isolated the same way, and heartbeats go on', async () => {
    const errors: BotError[] = [];
    harness = await startHarness(
      [
        {
          async c2cMessageCreate() {
            await new Promise((resolve) => setTimeout(resolve, 5));
            throw new Error('late failure');
          },
          error: (error) => void errors.push(error),
        },
      ],
      // A shard beats no faster than its send budget sustains: 200 ms needs 600 frames a minute.
      (builder) => builder.gateway({ sendLimit: { limit: 600 } }),
      { heartbeatInterval: 200 },
    );
    harness.emulator.simulate.c2cMessage({ content: 'x' });
    await expect.poll(() => errors.length).toBe(1);
    const beats = harness.emulator.recorder.filter((r) => r.kind === 'gateway' && r.op === 1).length;
    await expect
      .poll(() => harness!.emulator.recorder.filter((r) => r.kind === 'gateway' && r.op === 1).length, {
        timeout: 3000,
      })
      .toBeGreaterThan(beats);
    expect(harness.client.shardManager.status()[0]?.state).toBe('ready');
  });

  it('drops an event the platform delivers twice', async () => {
    const contents: string[] = [];
    harness = await startHarness([
      { c2cMessageCreate: (_ctx, message: C2CMessage) => void contents.push(message.content) },
    ]);
    harness.emulator.faults.duplicateNext();
    harness.emulator.simulate.c2cMessage({ content: 'once' });
    harness.emulator.simulate.c2cMessage({ content: 'twice?' });
    await expect.poll(() => contents.length).toBe(2);
    await harness.client.idle();
    expect(contents).toEqual(['once', 'twice?']);
  });

  it('calls synchronous and asynchronous handlers in registration order, each after the last settled', async () => {
    const log: string[] = [];
    harness = await startHarness([
      { c2cMessageCreate: (_ctx, message) => void log.push(`sync:${message.content}`) },
      {
        async c2cMessageCreate(_ctx, message) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          log.push(`async:${message.content}`);
        },
      },
      { c2cMessageCreate: (_ctx, message) => void log.push(`last:${message.content}`) },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'x' });
    await expect.poll(() => log.length).toBe(3);
    expect(log).toEqual(['sync:x', 'async:x', 'last:x']);
  });

  it('calls a handler made without a prototype (Object.create(null))', async () => {
    const contents: string[] = [];
    const bare = Object.create(null) as EventHandler;
    bare.c2cMessageCreate = (_ctx, message) => void contents.push(message.content);
    harness = await startHarness([bare]);
    harness.emulator.simulate.c2cMessage({ content: 'no prototype' });
    await expect.poll(() => contents).toEqual(['no prototype']);
  });

  it('builds a model only for events somebody handles', async () => {
    const errors: BotError[] = [];
    const raw: string[] = [];
    harness = await startHarness(
      [{ c2cMessageCreate: () => undefined, error: (error) => void errors.push(error) }],
      (builder) => builder.rawEventHandler({ raw: (_ctx, payload) => void raw.push(payload.t ?? '') }),
    );
    // `d: null` cannot become a model. Nobody handles AT_MESSAGE_CREATE here: nothing to report.
    harness.emulator.simulate.dispatch('AT_MESSAGE_CREATE', null);
    harness.emulator.simulate.dispatch('C2C_MESSAGE_CREATE', null);
    await expect.poll(() => errors.length).toBe(1);
    await harness.client.idle();
    expect(raw).toEqual(expect.arrayContaining(['AT_MESSAGE_CREATE', 'C2C_MESSAGE_CREATE']));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'malformedEvent', event: 'C2C_MESSAGE_CREATE' });
  });

  it('sequential policy handles one event at a time, in order', async () => {
    const log: string[] = [];
    harness = await startHarness(
      [
        {
          async c2cMessageCreate(_ctx, message) {
            log.push(`start ${message.content}`);
            await new Promise((resolve) => setTimeout(resolve, message.content === 'slow' ? 50 : 1));
            log.push(`end ${message.content}`);
          },
        },
      ],
      (builder) => builder.dispatchPolicy({ mode: 'sequential' }),
    );
    harness.emulator.simulate.c2cMessage({ content: 'slow' });
    harness.emulator.simulate.c2cMessage({ content: 'fast' });
    await expect.poll(() => log.length).toBe(4);
    expect(log).toEqual(['start slow', 'end slow', 'start fast', 'end fast']);
  });

  it('concurrent policy lets a fast event overtake a slow one, within its limit', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    harness = await startHarness(
      [
        {
          async c2cMessageCreate(_ctx, message) {
            running += 1;
            peak = Math.max(peak, running);
            await new Promise((resolve) => setTimeout(resolve, message.content === 'slow' ? 80 : 5));
            log.push(message.content);
            running -= 1;
          },
        },
      ],
      (builder) => builder.dispatchPolicy({ mode: 'concurrent', limit: 2 }),
    );
    for (const content of ['slow', 'fast', 'a', 'b', 'c']) harness.emulator.simulate.c2cMessage({ content });
    await expect.poll(() => log.length).toBe(5);
    expect(log[0]).toBe('fast');
    expect(log.at(-1)).toBe('slow');
    expect(peak).toBe(2);
  });

  it('gives handlers a context with api, token, data, shard and log', async () => {
    const Greeting = defineKey<{ text: string }>('greeting');
    let seen: Context | undefined;
    harness = await startHarness([{ c2cMessageCreate: (ctx) => void (seen = ctx) }], (builder) =>
      builder.data(Greeting, { text: 'hello' }),
    );
    harness.emulator.simulate.c2cMessage({ content: 'x' });
    await expect.poll(() => seen).toBeDefined();
    expect(seen!.data.get(Greeting).text).toBe('hello');
    expect(seen!.token.appId).toBe(harness.emulator.appId);
    expect(seen!.api).toBe(harness.client.api);
    expect(seen!.client).toBe(harness.client);
    expect(seen!.shard).toMatchObject({ id: 0, total: 1 });
    expect(seen!.log.settings.name).toBe('shard:0');
  });

  it('reports shard states and fires shardsReady once all shards are ready', async () => {
    const states: ShardStatusEvent[] = [];
    const ready: ShardsReadyEvent[] = [];
    harness = await startHarness([
      { shardStatus: (event) => void states.push(event), shardsReady: (event) => void ready.push(event) },
    ]);
    await expect.poll(() => ready.length).toBe(1);
    expect(ready[0]).toEqual({ shardIds: [0], total: 1 });
    expect(states.map((event) => event.state)).toEqual(
      expect.arrayContaining(['connecting', 'identifying', 'ready']),
    );
    harness.emulator.faults.closeShard(0, 4009);
    await expect
      .poll(() => states.filter((event) => event.state === 'ready').length, { timeout: 10_000 })
      .toBe(2);
    expect(ready).toHaveLength(1);
  });
});
