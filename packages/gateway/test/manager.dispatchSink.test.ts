import { describe, expect, it, vi } from 'vitest';
import type { DispatchPayload, ShardManager } from '@bot/gateway';
import { allReady, useFakeGatewayManagers } from './support/fakeGatewayManagers.js';
import { advanceUntil } from './support/harness.js';

const fake = useFakeGatewayManagers();
const { manager } = fake;

/** What a receiver saw: event name, seq and shard id. */
type Seen = [t: string, s: number | null, shardId: number];

describe('ShardManager onDispatch: one hop from a shard to its consumer', () => {
  it('hands every dispatch to onDispatch once, in order per shard, with its shard id, and emits nothing unheard', async () => {
    const seen: Seen[] = [];
    const m = manager({
      onDispatch: (payload, shardId) => seen.push([payload.t, payload.s ?? null, shardId]),
    });
    const emit = vi.spyOn(m, 'emit');
    const run = m.startShards(2);
    await advanceUntil(allReady(m, 2), 10_000);
    for (let i = 0; i < 5; i++) {
      fake.gateway.connectionOf(0).dispatch('AT_MESSAGE_CREATE');
      fake.gateway.connectionOf(1).dispatch('GROUP_AT_MESSAGE_CREATE');
    }
    await advanceUntil(() => seen.length === 12, 1_000);

    const ofShard = (id: number) => seen.filter(([, , shardId]) => shardId === id);
    expect(ofShard(0)).toEqual([
      ['READY', 1, 0],
      ...[2, 3, 4, 5, 6].map((s): Seen => ['AT_MESSAGE_CREATE', s, 0]),
    ]);
    expect(ofShard(1)).toEqual([
      ['READY', 1, 1],
      ...[2, 3, 4, 5, 6].map((s): Seen => ['GROUP_AT_MESSAGE_CREATE', s, 1]),
    ]);
    // Nobody listens to `dispatch`: the manager's emitter is never involved in a frame.
    expect(emit.mock.calls.filter(([event]) => event === 'dispatch')).toEqual([]);
    await m.shutdownAll();
    await run;
  });

  it('still emits `dispatch` to manager and shard listeners while they listen, after onDispatch', async () => {
    const order: string[] = [];
    const m = manager({ onDispatch: (payload, shardId) => order.push(`sink ${payload.t} ${shardId}`) });
    const run = m.start();
    await advanceUntil(allReady(m, 1), 10_000);
    const onManager = (payload: DispatchPayload, shardId: number) =>
      order.push(`manager ${payload.t} ${shardId}`);
    const onShard = (payload: DispatchPayload) => order.push(`shard ${payload.t}`);
    m.on('dispatch', onManager);
    m.shards.get(0)!.on('dispatch', onShard);
    fake.gateway.connectionOf(0).dispatch('C2C_MESSAGE_CREATE');
    await advanceUntil(() => order.length === 4, 1_000);
    expect(order).toEqual([
      'sink READY 0',
      'sink C2C_MESSAGE_CREATE 0',
      'manager C2C_MESSAGE_CREATE 0',
      'shard C2C_MESSAGE_CREATE',
    ]);

    // Listeners gone: the next event reaches onDispatch alone.
    m.off('dispatch', onManager);
    m.shards.get(0)!.off('dispatch', onShard);
    fake.gateway.connectionOf(0).dispatch('C2C_MESSAGE_CREATE');
    await advanceUntil(() => order.length === 5, 1_000);
    expect(order.at(-1)).toBe('sink C2C_MESSAGE_CREATE 0');
    await m.shutdownAll();
    await run;
  });

  it('without onDispatch, `dispatch` listeners hear every event as before', async () => {
    const m = manager();
    const seen: Seen[] = [];
    m.on('dispatch', (payload, shardId) => seen.push([payload.t, payload.s ?? null, shardId]));
    const run = m.start();
    await advanceUntil(allReady(m, 1), 10_000);
    fake.gateway.connectionOf(0).dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => seen.length === 2, 1_000);
    expect(seen).toEqual([
      ['READY', 1, 0],
      ['AT_MESSAGE_CREATE', 2, 0],
    ]);
    await m.shutdownAll();
    await run;
  });

  it('an onDispatch that throws is reported as an error of the shard, and the next event still arrives', async () => {
    const seen: number[] = [];
    const m = manager({
      onDispatch: (payload) => {
        if (payload.s === 2) throw new Error('consumer broke');
        seen.push(payload.s ?? -1);
      },
    });
    const errors: [string, unknown, number][] = [];
    m.on('error', (error, shardId) => errors.push([error.message, error.cause, shardId]));
    const run = m.start();
    await advanceUntil(allReady(m, 1), 10_000);
    fake.gateway.connectionOf(0).dispatch('AT_MESSAGE_CREATE');
    fake.gateway.connectionOf(0).dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => seen.length === 2, 1_000);
    expect(seen).toEqual([1, 3]);
    expect(errors).toEqual([[expect.stringContaining('onDispatch threw'), new Error('consumer broke'), 0]]);
    expect(m.status()[0]).toMatchObject({ state: 'ready', seq: 3 });
    await m.shutdownAll();
    await run;
  });

  it('an onDispatch that throws still lets `dispatch` listeners hear the event, and is named in the error', async () => {
    const heard: number[] = [];
    const m = manager({
      onDispatch: (payload) => {
        if (payload.s === 2) throw new Error('consumer broke');
      },
    });
    m.on('dispatch', (payload) => void heard.push(payload.s ?? -1));
    const errors: string[] = [];
    m.on('error', (error) => errors.push(error.message));
    const run = m.start();
    await advanceUntil(allReady(m, 1), 10_000);
    fake.gateway.connectionOf(0).dispatch('AT_MESSAGE_CREATE');
    fake.gateway.connectionOf(0).dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => heard.length === 3, 1_000);
    expect(heard).toEqual([1, 2, 3]);
    expect(errors).toEqual([expect.stringContaining('onDispatch threw')]);
    await m.shutdownAll();
    await run;
  });
});
