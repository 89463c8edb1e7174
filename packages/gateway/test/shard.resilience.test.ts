import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { GatewayError, type ShardState } from '@bot/gateway';
import { advanceUntil, makeShard, reach } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway();

describe('Shard resilience', () => {
  it('gives up on a connection without Hello and retries with growing, capped, jittered delays', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
    fake.gateway.options.hello = false;
    const { shard } = makeShard(fake.gateway.url, {
      timeouts: { helloMs: 1_000 },
      backoff: { baseMs: 1_000, maxMs: 3_000 },
    });
    const openedAt: number[] = [];
    fake.gateway.on('connection', () => openedAt.push(Date.now()));
    const attempts: number[] = [];
    shard.on('state', (state) => state === 'reconnecting' && attempts.push(shard.status().attempt));
    void shard.start();

    await advanceUntil(() => openedAt.length === 6, 60_000, 50);
    const waits = openedAt.slice(1).map((at, i) => at - (openedAt[i] ?? 0) - 1_000);
    expect(waits.map((wait) => Math.round(wait / 50) * 50)).toEqual([0, 1_000, 2_000, 3_000, 3_000]);
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    await shard.close();
  });

  it('gives up on a handshake that never completes', async () => {
    vi.useRealTimers(); // the handshake timeout runs on the socket's own timer
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const { shard } = makeShard(`ws://127.0.0.1:${port}/websocket`, { timeouts: { handshakeMs: 100 } });
    void shard.start();

    await reach(shard, 'reconnecting');
    expect(shard.status().attempt).toBe(1);
    await shard.close();
    for (const socket of sockets) socket.destroy();
    silent.close();
  });

  it('hands each seq out once when a replay overlaps what was delivered', async () => {
    const { shard } = makeShard(fake.gateway.url);
    const seqs: number[] = [];
    shard.on('dispatch', (payload) => seqs.push(payload.s ?? -1));
    await shard.start();
    const frame = (s: number) => ({ op: 0, s, t: 'AT_MESSAGE_CREATE', id: `m${s}`, d: {} });
    for (const s of [2, 3, 2, 3, 4]) fake.gateway.last.send(frame(s));
    await advanceUntil(() => seqs.at(-1) === 4, 1_000);
    expect(seqs).toEqual([1, 2, 3, 4]);
    await shard.close();
  });

  it('survives a throwing listener and malformed frames, reporting both', async () => {
    const { shard } = makeShard(fake.gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    const seen: string[] = [];
    shard.on('dispatch', (payload) => {
      seen.push(payload.t);
      if (payload.t === 'BOOM') throw new Error('handler bug');
    });
    await shard.start();

    fake.gateway.last.dispatch('BOOM');
    fake.gateway.last.send('not json');
    fake.gateway.last.send({ no: 'op' });
    fake.gateway.last.dispatch('AFTER');
    await advanceUntil(() => seen.includes('AFTER'), 1_000);

    expect(shard.state).toBe('ready');
    expect(errors).toHaveLength(3);
    expect(errors.every((error) => error instanceof GatewayError)).toBe(true);
    expect(errors[0]?.message).toMatch(/'dispatch' listener threw/);
    await shard.close();
  });

  it('keeps the presence out of Identify and says why', async () => {
    const { shard } = makeShard(fake.gateway.url, { presence: { status: 'online' } });
    const debug: string[] = [];
    shard.on('debug', (message) => debug.push(message));
    await shard.start();
    expect(shard.supportsPresence).toBe(false);
    expect(Object.keys(fake.gateway.received(2)[0]?.d as object)).not.toContain('presence');
    expect(debug.some((line) => /presence not sent: the QQ gateway has no presence support/.test(line))).toBe(
      true,
    );
    await shard.close();
  });

  it('restart() drops the connection and resumes at once', async () => {
    const { shard } = makeShard(fake.gateway.url);
    await shard.start();
    const states: ShardState[] = [];
    shard.on('state', (state) => states.push(state));
    shard.restart();
    await advanceUntil(() => fake.gateway.received(6).length === 1 && shard.state === 'ready', 1_000);
    expect(states).toEqual(['reconnecting', 'connecting', 'resuming', 'ready']);
    await shard.close();
  });

  it('send() goes out when ready and is refused otherwise', async () => {
    const { shard } = makeShard(fake.gateway.url);
    await expect(shard.send({ op: 42 })).rejects.toThrow(/cannot send while idle/);
    await shard.start();
    const arrived = fake.gateway.next(42);
    await shard.send({ op: 42, d: 'x' });
    expect((await arrived).d).toBe('x');
    await shard.close();
  });
});
