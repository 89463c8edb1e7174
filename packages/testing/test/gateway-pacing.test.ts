import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emulator, EmulatorError, Intent, PLATFORM_IDENTIFY_WINDOW_MS } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';
import { call } from './helpers/http.js';

const INTENTS = Intent.GUILDS;
const DAY_MS = 86_400_000;

describe('identify pacing and the session start budget', () => {
  let emu: Emulator;
  const clients: GatewayClient[] = [];
  const identify = async (shard: [number, number]): Promise<GatewayClient> => {
    const client = await GatewayClient.connect(emu.gatewayUrl);
    clients.push(client);
    await client.next((f) => f.op === 10);
    client.send({ op: 2, d: { token: `QQBot ${emu.createAccessToken()}`, intents: INTENTS, shard } });
    await Promise.race([client.dispatch('READY').catch(() => undefined), client.closed]);
    return client;
  };
  const isReady = (client: GatewayClient): boolean => client.frames.some((f) => f.t === 'READY');
  const remaining = async (): Promise<number> => {
    const answer = await call<{ session_start_limit: { remaining: number } }>(
      emu.restUrl,
      'GET',
      '/gateway/bot',
      { token: emu.createAccessToken() },
    );
    return answer.body.session_start_limit.remaining;
  };

  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await emu.stop();
  });

  it('allows one identify per bucket per window and closes a second one with 4008', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    emu = await Emulator.start({ shards: 4, identifyWindow: 5000, sessionStartLimit: { maxConcurrency: 2 } });
    const shard0 = await identify([0, 4]);
    const shard1 = await identify([1, 4]);
    expect(isReady(shard0) && isReady(shard1)).toBe(true);

    const shard2 = await identify([2, 4]);
    expect((await shard2.closed).code).toBe(4008);

    vi.advanceTimersByTime(4999);
    const tooSoon = await identify([2, 4]);
    expect((await tooSoon.closed).code).toBe(4008);

    vi.advanceTimersByTime(1);
    const onTime = await identify([2, 4]);
    expect(isReady(onTime)).toBe(true);
  });

  it('decrements the budget on every identify, not on resumes or refused identifies', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    emu = await Emulator.start({ identifyWindow: 5000, sessionStartLimit: { total: 10, remaining: 3 } });
    expect(await remaining()).toBe(3);
    const first = await identify([0, 1]);
    expect(await remaining()).toBe(2);

    const refused = await identify([0, 1]);
    expect((await refused.closed).code).toBe(4008);
    expect(await remaining()).toBe(2);

    const ready = first.frames.find((f) => f.t === 'READY')?.d as { session_id: string };
    emu.faults.dropSocket(0);
    await first.closed;
    const resumed = await GatewayClient.connect(emu.gatewayUrl);
    clients.push(resumed);
    resumed.send({
      op: 6,
      d: { token: `QQBot ${emu.createAccessToken()}`, session_id: ready.session_id, seq: 1 },
    });
    await resumed.dispatch('RESUMED');
    expect(await remaining()).toBe(2);
  });

  it('closes with 4903 once the budget is spent, and refills it after reset_after', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    emu = await Emulator.start({ identifyWindow: 0, sessionStartLimit: { total: 2, resetAfter: 60_000 } });
    await identify([0, 1]);
    await identify([0, 1]);
    expect(await remaining()).toBe(0);
    const spent = await identify([0, 1]);
    expect((await spent.closed).code).toBe(4903);

    const limit = emu.sessionStartLimit();
    expect(limit.reset_after).toBeLessThanOrEqual(60_000);
    vi.advanceTimersByTime(limit.reset_after);
    expect(await remaining()).toBe(2);
    expect(isReady(await identify([0, 1]))).toBe(true);
  });

  it('lets every shard identify at once by default, so a local bot of many shards starts instantly', async () => {
    emu = await Emulator.start({ shards: 4 });
    const shards = await Promise.all([0, 1, 2, 3].map((id) => identify([id, 4])));
    expect(shards.map(isReady)).toEqual([true, true, true, true]);
    // A client paces by max_concurrency: one bucket per shard, so it has nothing to wait for either.
    expect(emu.sessionStartLimit().max_concurrency).toBe(4);
    const answer = await call<{ shards: number; session_start_limit: { max_concurrency: number } }>(
      emu.restUrl,
      'GET',
      '/gateway/bot',
      { token: emu.createAccessToken() },
    );
    expect(answer.body).toMatchObject({ shards: 4, session_start_limit: { max_concurrency: 4 } });
  });

  it("pacing 'platform' reports max_concurrency 1 unless told otherwise, as most bots get", async () => {
    emu = await Emulator.start({ shards: 4, pacing: 'platform' });
    expect(emu.sessionStartLimit().max_concurrency).toBe(1);
    await emu.stop();
    emu = await Emulator.start({ shards: 4, pacing: 'platform', sessionStartLimit: { maxConcurrency: 2 } });
    expect(emu.sessionStartLimit().max_concurrency).toBe(2);
  });

  it("pacing 'platform' enforces the platform's 5 s identify window", async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    emu = await Emulator.start({ pacing: 'platform' });
    expect(isReady(await identify([0, 1]))).toBe(true);
    vi.advanceTimersByTime(PLATFORM_IDENTIFY_WINDOW_MS - 1);
    expect((await (await identify([0, 1])).closed).code).toBe(4008);
    vi.advanceTimersByTime(1);
    expect(isReady(await identify([0, 1]))).toBe(true);
  });

  it('a wall clock stepped forward opens no identify window early and refills no budget', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    emu = await Emulator.start({ identifyWindow: 5000, sessionStartLimit: { total: 2, resetAfter: 60_000 } });
    expect(isReady(await identify([0, 1]))).toBe(true);
    vi.setSystemTime(Date.now() + DAY_MS);
    expect((await (await identify([0, 1])).closed).code).toBe(4008);
    expect(await remaining()).toBe(1);
    expect(emu.sessionStartLimit().reset_after).toBe(60_000);
    vi.advanceTimersByTime(5000);
    expect(isReady(await identify([0, 1]))).toBe(true);
    expect(await remaining()).toBe(0);
  });

  it('fake timers faking performance (which restarts that clock from 0) count as no time passed: an identify window open before still holds', async () => {
    emu = await Emulator.start({ shards: 1, identifyWindow: 5000 });
    expect(isReady(await identify([0, 1]))).toBe(true);
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    // The real platform would close a second identify in the same bucket at once.
    expect((await (await identify([0, 1])).closed).code).toBe(4008);
    vi.advanceTimersByTime(5000);
    expect(isReady(await identify([0, 1]))).toBe(true);
  });

  it('after fake timers restart the clock, no budget period or window is longer than its length', async () => {
    emu = await Emulator.start({ shards: 1, sessionStartLimit: { total: 5, resetAfter: 60_000 } });
    expect(isReady(await identify([0, 1]))).toBe(true);
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    expect(emu.sessionStartLimit().reset_after).toBeLessThanOrEqual(60_000);
    expect(isReady(await identify([0, 1]))).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(emu.sessionStartLimit().remaining).toBe(5);
  });

  it('reports reset_after in whole milliseconds on the real clock', async () => {
    emu = await Emulator.start();
    await new Promise((resolve) => setTimeout(resolve, 3));
    expect(Number.isInteger(emu.sessionStartLimit().reset_after)).toBe(true);
  });

  it('refuses an unknown pacing preset with EmulatorError', async () => {
    const options = JSON.parse('{"pacing": "leisurely"}') as Parameters<typeof Emulator.start>[0];
    await expect(Emulator.start(options)).rejects.toThrow(EmulatorError);
  });
});
