import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Emulator,
  EmulatorError,
  Intent,
  Recorder,
  type EmulatorRecord,
  type RestRecord,
} from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';

const rest = (route: string): Omit<RestRecord, 'index' | 'at'> => ({
  kind: 'rest',
  method: 'GET',
  path: '/x',
  route,
  params: {},
  query: {},
  headers: {},
  body: undefined,
  status: 200,
  response: {},
  traceId: 't',
});

describe('Recorder', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves waitFor with a record already held', async () => {
    const recorder = new Recorder();
    recorder.add(rest('GET /a'));
    await expect(recorder.waitFor((r) => r.kind === 'rest' && r.route === 'GET /a')).resolves.toMatchObject({
      index: 0,
    });
  });

  it('resolves waitFor with a record that arrives later, honouring `from`', async () => {
    const recorder = new Recorder();
    recorder.add(rest('GET /a'));
    const mark = recorder.mark();
    const waiting = recorder.waitFor((r) => r.kind === 'rest' && r.route === 'GET /a', { from: mark });
    recorder.add(rest('GET /b'));
    recorder.add(rest('GET /a'));
    await expect(waiting).resolves.toMatchObject({ index: 2 });
  });

  it('collects several records with waitForCount', async () => {
    const recorder = new Recorder();
    const waiting = recorder.waitForCount((r) => r.kind === 'rest', 3);
    for (const route of ['GET /a', 'GET /b', 'GET /c']) recorder.add(rest(route));
    expect((await waiting).map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('rejects with an EmulatorError summarising what was recorded after the timeout', async () => {
    vi.useFakeTimers();
    const recorder = new Recorder();
    recorder.add(rest('GET /a'));
    const waiting = recorder.waitFor((r) => r.kind === 'close', { timeout: 1000 });
    vi.advanceTimersByTime(1000);
    await expect(waiting).rejects.toThrow(EmulatorError);
    await expect(waiting).rejects.toThrow(/rest: 1/);
  });

  it('gives up a wait when its signal aborts, rejecting with the reason and clearing its timeout', async () => {
    vi.useFakeTimers();
    const recorder = new Recorder();
    const controller = new AbortController();
    const waiting = recorder.waitFor((r) => r.kind === 'rest', {
      timeout: 60_000,
      signal: controller.signal,
    });
    const reason = new Error('the console closed');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    // The abandoned wait's timeout does not outlive it.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a wait whose signal is already aborted, even when a record matches', async () => {
    const recorder = new Recorder();
    recorder.add(rest('GET /a'));
    const waiting = recorder.waitForCount((r) => r.kind === 'rest', 1, { signal: AbortSignal.abort() });
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('treats a throwing predicate as no match', async () => {
    const recorder = new Recorder();
    recorder.add(rest('GET /a'));
    const waiting = recorder.waitFor((r) => {
      if (r.index === 0) throw new Error('boom');
      return true;
    });
    recorder.add(rest('GET /b'));
    await expect(waiting).resolves.toMatchObject({ index: 1 });
  });

  it('keeps only the newest records beyond its limit, with stable indices', () => {
    const recorder = new Recorder(2);
    for (const route of ['GET /a', 'GET /b', 'GET /c']) recorder.add(rest(route));
    expect(recorder.records.map((r) => r.index)).toEqual([1, 2]);
    recorder.clear();
    expect(recorder.records).toEqual([]);
    expect(recorder.mark()).toBe(3);
  });

  it('tells each listener about every new record until it stops, reporting a listener that throws', () => {
    const reported: unknown[] = [];
    const recorder = new Recorder(100, (error) => reported.push(error));
    const seen: number[] = [];
    const broken = new Error('a broken listener');
    recorder.onRecord(() => {
      throw broken;
    });
    const stop = recorder.onRecord((record) => seen.push(record.index));
    recorder.add(rest('GET /a'));
    recorder.add(rest('GET /b'));
    stop();
    recorder.add(rest('GET /c'));
    expect(seen).toEqual([0, 1]);
    expect(reported).toEqual([broken, broken, broken]);
  });
});

describe('gateway records keep no usable access token', () => {
  it('masks the token of Identify and Resume frames in d and in the raw text, keeping 4 characters', async () => {
    const emu = await Emulator.start();
    const client = await GatewayClient.connect(emu.gatewayUrl);
    try {
      const token = emu.createAccessToken();
      await client.next((f) => f.op === 10);
      client.send({ op: 2, d: { token: `QQBot ${token}`, intents: Intent.GUILDS, shard: [0, 1] } });
      const ready = (await client.dispatch('READY')).d as { session_id: string };
      client.send({ op: 6, d: { token, session_id: ready.session_id, seq: 1 } });
      const isGreeting = (r: EmulatorRecord): boolean => r.kind === 'gateway' && (r.op === 2 || r.op === 6);
      const [identify, resume] = await emu.recorder.waitForCount(isGreeting, 2);
      expect(identify).toMatchObject({ d: { token: `QQBot ${token.slice(0, 4)}…` } });
      expect(resume).toMatchObject({ d: { token: `${token.slice(0, 4)}…` } });
      for (const record of emu.recorder.records) expect(JSON.stringify(record)).not.toContain(token);
    } finally {
      await client.close();
      await emu.stop();
    }
  });
});
