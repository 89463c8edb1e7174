import { describe, expect, it, vi } from 'vitest';
import { InMemorySessionStore, type ShardState } from '@bot/gateway';
import { advanceUntil, makeShard, reach } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway();

describe('Shard session start', () => {
  it('identifies with the QQBot token, intents and shard pair, then becomes ready', async () => {
    const { shard } = makeShard(fake.gateway.url, { id: 2, total: 4, intents: 1 | (1 << 30) });
    const states: ShardState[] = [];
    shard.on('state', (state) => states.push(state));

    await shard.start();

    const [identify] = fake.gateway.received(2);
    expect(identify?.d).toMatchObject({ token: 'QQBot token-1', intents: 1 | (1 << 30), shard: [2, 4] });
    expect(states).toEqual(['connecting', 'identifying', 'ready']);
    expect(shard.status()).toMatchObject({ state: 'ready', sessionId: 'session-1', seq: 1, reconnects: 0 });
    await shard.close();
  });

  it('delivers every dispatch parsed, in order, READY included', async () => {
    const { shard } = makeShard(fake.gateway.url);
    const seen: string[] = [];
    shard.on('dispatch', (payload) => seen.push(`${payload.s}:${payload.t}`));
    await shard.start();

    fake.gateway.last.dispatch('AT_MESSAGE_CREATE', { content: 'hi' });
    fake.gateway.last.dispatch('GROUP_AT_MESSAGE_CREATE', { content: 'yo' });
    await advanceUntil(() => seen.length === 3, 1_000);

    expect(seen).toEqual(['1:READY', '2:AT_MESSAGE_CREATE', '3:GROUP_AT_MESSAGE_CREATE']);
    await shard.close();
  });

  it('keeps the session and its latest seq in the store when closed, and resumes from it later', async () => {
    const sessionStore = new InMemorySessionStore();
    const first = makeShard(fake.gateway.url, { sessionStore }).shard;
    await first.start();
    fake.gateway.last.dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => first.status().seq === 2, 1_000);

    const left = await first.close();
    expect(left).toEqual({ sessionId: 'session-1', seq: 2, shardCount: 1 });
    expect(await sessionStore.get(0)).toEqual({ sessionId: 'session-1', seq: 2, shardCount: 1 });

    const second = makeShard(fake.gateway.url, { sessionStore }).shard;
    await second.start();
    expect(fake.gateway.received(2)).toHaveLength(1);
    expect(fake.gateway.received(6).at(-1)?.d).toEqual({
      token: 'QQBot token-1',
      session_id: 'session-1',
      seq: 2,
    });
    await second.close();
  });

  it('ignores a stored session made for another shard count', async () => {
    const sessionStore = new InMemorySessionStore();
    await sessionStore.set(0, { sessionId: 'old', seq: 10, shardCount: 2 });
    const { shard } = makeShard(fake.gateway.url, { sessionStore });
    await shard.start();
    expect(fake.gateway.received(6)).toHaveLength(0);
    expect(fake.gateway.received(2)).toHaveLength(1);
    await shard.close();
  });

  it('invalidating on close sends 1000 and forgets the session', async () => {
    const sessionStore = new InMemorySessionStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore });
    await shard.start();
    const closed = new Promise<number>((resolve) =>
      fake.gateway.last.socket.once('close', (code) => resolve(code)),
    );

    expect(await shard.close({ invalidateSession: true })).toBeUndefined();
    expect(await closed).toBe(1000);
    expect(await sessionStore.get(0)).toBeUndefined();
    expect(shard.state).toBe('closed');
  });

  it('writes the seq to the store on a debounce, not per event', async () => {
    const sessionStore = new InMemorySessionStore();
    const writes = vi.spyOn(sessionStore, 'set');
    const { shard } = makeShard(fake.gateway.url, { sessionStore, seqFlushDelayMs: 5_000 });
    await shard.start();
    expect(writes).toHaveBeenCalledTimes(1); // READY

    for (let i = 0; i < 50; i++) fake.gateway.last.dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => shard.status().seq === 51, 1_000, 10);
    expect(writes).toHaveBeenCalledTimes(1);

    await advanceUntil(() => writes.mock.calls.length === 2, 6_000);
    expect(writes.mock.calls[1]?.[1]).toEqual({ sessionId: 'session-1', seq: 51, shardCount: 1 });
    await shard.close();
  });

  it('rejects start() with the reason when closed before it was ready', async () => {
    fake.gateway.options.hello = false;
    const { shard } = makeShard(fake.gateway.url);
    const started = shard.start();
    await fake.gateway.nextConnection();
    await shard.close();
    await expect(started).rejects.toThrow(/closed before it became ready/);
    await reach(shard, 'closed');
  });

  it("close() from a 'connecting' listener stops the shard before it connects, and resolves", async () => {
    const { shard } = makeShard(fake.gateway.url);
    let closing: Promise<unknown> | undefined;
    shard.on('state', (state) => {
      if (state === 'connecting') closing ??= shard.close();
    });
    const started = shard.start().catch((error: unknown) => error);
    await advanceUntil(() => closing !== undefined, 1_000);
    let closed = false;
    void closing?.then(() => (closed = true));

    await advanceUntil(() => closed, 5_000);
    expect(shard.state).toBe('closed');
    expect(await started).toMatchObject({ message: expect.stringMatching(/closed before it became ready/) });
    expect(fake.gateway.received(2)).toHaveLength(0);
  });
});
