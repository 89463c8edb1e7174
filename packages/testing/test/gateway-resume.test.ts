import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emulator, Intent } from '@bot/testing';
import { GatewayClient, type Frame } from './helpers/GatewayClient.js';

const INTENTS = Intent.GUILDS | Intent.PUBLIC_GUILD_MESSAGES;

describe('resume, replay and gateway faults', () => {
  let emu: Emulator;
  let token: string;
  const clients: GatewayClient[] = [];
  const connect = async (): Promise<GatewayClient> => {
    const client = await GatewayClient.connect(emu.gatewayUrl);
    clients.push(client);
    return client;
  };
  const lastSeq = (client: GatewayClient): number => Math.max(0, ...client.frames.map((f) => f.s ?? 0));
  const resume = async (sessionId: string, seq: number, withPrefix = true): Promise<GatewayClient> => {
    const client = await connect();
    await client.next((f) => f.op === 10);
    client.send({ op: 6, d: { token: withPrefix ? `QQBot ${token}` : token, session_id: sessionId, seq } });
    return client;
  };
  const dispatchesUntilResumed = async (client: GatewayClient): Promise<Frame[]> => {
    const frames: Frame[] = [];
    for (;;) {
      const frame = await client.next((f) => f.op === 0);
      if (frame.t === 'RESUMED') return frames;
      frames.push(frame);
    }
  };

  beforeEach(async () => {
    emu = await Emulator.start({ identifyWindow: 0 });
    token = emu.createAccessToken();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await emu.stop();
  });

  it('replays events missed during a dropped socket, then sends RESUMED with d = ""', async () => {
    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    emu.simulate.guildAtMessage({ content: 'seen' });
    await first.dispatch('AT_MESSAGE_CREATE');
    const seen = lastSeq(first);

    expect(emu.faults.dropSocket(0)).toBe(1);
    expect((await first.closed).code).toBe(1006);
    const missed = [
      emu.simulate.guildAtMessage({ content: 'missed 1' }),
      emu.simulate.guildAtMessage({ content: 'missed 2' }),
    ];

    const second = await resume(sessionId, seen);
    const replayed = await dispatchesUntilResumed(second);
    expect(replayed.map((f) => f.id)).toEqual(missed.map((e) => e.id));
    expect(replayed.map((f) => f.s)).toEqual([seen + 1, seen + 2]);
    const resumed = second.frames.find((f) => f.t === 'RESUMED');
    expect(resumed).toEqual({ op: 0, s: seen + 3, t: 'RESUMED', d: '' });

    const after = emu.simulate.guildAtMessage({ content: 'live again' });
    const live = await second.dispatch('AT_MESSAGE_CREATE');
    expect(live).toMatchObject({ id: after.id, s: seen + 4 });
    const close = await emu.recorder.waitFor((r) => r.kind === 'close' && r.initiator === 'drop');
    expect(close).toMatchObject({ shard: [0, 1], sessionId });
  });

  it('accepts a resume token with or without the QQBot prefix', async () => {
    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    emu.faults.dropSocket(0);
    await first.closed;
    const second = await resume(sessionId, 1, false);
    await second.dispatch('RESUMED');
  });

  it('keeps a dropped session resumable for its window on the steady clock, whatever the wall clock does', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    emu.faults.dropSocket(0);
    await first.closed;
    vi.setSystemTime(Date.now() + 3_600_000);
    const second = await resume(sessionId, 1);
    await second.dispatch('RESUMED');

    emu.faults.dropSocket(0);
    await second.closed;
    vi.advanceTimersByTime(5 * 60_000 + 1);
    const late = await resume(sessionId, 1);
    expect(await late.next((f) => f.op === 9)).toEqual({ op: 9, d: false });
  });

  it('answers a resume of an unknown session or an impossible seq with op 9 d=false', async () => {
    const unknown = await resume('no-such-session', 0);
    expect(await unknown.next((f) => f.op === 9)).toEqual({ op: 9, d: false });

    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    emu.faults.dropSocket(0);
    await first.closed;
    const ahead = await resume(sessionId, 50);
    expect(await ahead.next((f) => f.op === 9)).toEqual({ op: 9, d: false });
    // After op 9 the same socket may identify afresh.
    ahead.send({ op: 2, d: { token: `QQBot ${token}`, intents: INTENTS, shard: [0, 1] } });
    await ahead.dispatch('READY');
  });

  it('refuses to replay from before the oldest buffered event', async () => {
    const small = await Emulator.start({ resumeBufferSize: 2 });
    try {
      const client = await GatewayClient.connect(small.gatewayUrl);
      clients.push(client);
      const smallToken = small.createAccessToken();
      const { session_id: sessionId } = await client.identify(smallToken, INTENTS);
      small.faults.dropSocket(0);
      await client.closed;
      for (let i = 0; i < 4; i++) small.simulate.guildAtMessage({ content: `m${i}` });
      const late = await GatewayClient.connect(small.gatewayUrl);
      clients.push(late);
      await late.next((f) => f.op === 10);
      late.send({ op: 6, d: { token: `QQBot ${smallToken}`, session_id: sessionId, seq: 1 } });
      expect(await late.next((f) => f.op === 9)).toEqual({ op: 9, d: false });
    } finally {
      await small.stop();
    }
  });

  it('moves a session to the resuming socket and closes the old one with 4902', async () => {
    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    const second = await resume(sessionId, 1);
    await second.dispatch('RESUMED');
    expect((await first.closed).code).toBe(4902);
    const event = emu.simulate.guildAtMessage({ content: 'only on the new socket' });
    expect((await second.dispatch('AT_MESSAGE_CREATE')).id).toBe(event.id);
    expect(first.frames.some((f) => f.id === event.id)).toBe(false);
  });

  it('keeps the session resumable after close 4009 but not after 4006', async () => {
    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    expect(emu.faults.closeShard(0, 4009)).toBe(1);
    expect((await first.closed).code).toBe(4009);
    const resumed = await resume(sessionId, 1);
    await resumed.dispatch('RESUMED');

    emu.faults.closeShard(0, 4006, 'session gone');
    expect(await resumed.closed).toEqual({ code: 4006, reason: 'session gone' });
    const refused = await resume(sessionId, 2);
    expect(await refused.next((f) => f.op === 9)).toEqual({ op: 9, d: false });
  });

  it('sends op 7 and buffers events until the bot resumes', async () => {
    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    expect(emu.faults.reconnect(0)).toBe(1);
    expect(await first.next((f) => f.op === 7)).toEqual({ op: 7 });
    const buffered = emu.simulate.guildAtMessage({ content: 'while reconnecting' });
    await first.close(4009);
    expect(first.frames.some((f) => f.id === buffered.id)).toBe(false);
    const second = await resume(sessionId, 1);
    expect((await dispatchesUntilResumed(second)).map((f) => f.id)).toEqual([buffered.id]);
  });

  it('sends op 9 d=true keeping the session, and op 9 d=false forgetting it', async () => {
    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    expect(emu.faults.invalidSession(0, true)).toBe(1);
    expect(await first.next((f) => f.op === 9)).toEqual({ op: 9, d: true });
    const second = await resume(sessionId, 1);
    await second.dispatch('RESUMED');

    emu.faults.invalidSession(0, false);
    expect(await second.next((f) => f.op === 9)).toEqual({ op: 9, d: false });
    const third = await resume(sessionId, 2);
    expect(await third.next((f) => f.op === 9)).toEqual({ op: 9, d: false });
  });

  it('stops acknowledging heartbeats on the current connection only', async () => {
    const first = await connect();
    const { session_id: sessionId } = await first.identify(token, INTENTS);
    expect(emu.faults.stopHeartbeatAcks(0)).toBe(1);
    first.send({ op: 1, d: 1 });
    await emu.recorder.waitFor((r) => r.kind === 'gateway' && r.op === 1);
    // A later frame proves the heartbeat was processed without an ACK.
    emu.simulate.guildAtMessage({ content: 'after heartbeat' });
    await first.dispatch('AT_MESSAGE_CREATE');
    expect(first.frames.some((f) => f.op === 11)).toBe(false);
    first.ws.terminate();
    await first.closed;

    const second = await resume(sessionId, 2);
    await second.dispatch('RESUMED');
    second.send({ op: 1, d: 3 });
    await second.next((f) => f.op === 11);
  });

  it('delivers an event twice with the same id when asked', async () => {
    const client = await connect();
    await client.identify(token, INTENTS);
    emu.faults.duplicateNext();
    const event = emu.simulate.guildAtMessage({ content: 'twice' });
    const a = await client.dispatch('AT_MESSAGE_CREATE');
    const b = await client.dispatch('AT_MESSAGE_CREATE');
    expect([a.id, b.id]).toEqual([event.id, event.id]);
    expect(b.s).toBe((a.s ?? 0) + 1);
    emu.simulate.guildAtMessage({ content: 'once' });
    const c = await client.dispatch('AT_MESSAGE_CREATE');
    expect(c.id).not.toBe(event.id);
  });

  it('closes every session with 4009 on a period until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const a = await connect();
    await a.identify(token, INTENTS);
    const stop = emu.faults.periodicInvalidation(60_000);
    vi.advanceTimersByTime(60_000);
    expect((await a.closed).code).toBe(4009);
    const b = await connect();
    await b.next((f) => f.op === 10);
    stop();
    vi.advanceTimersByTime(120_000);
    b.send({ op: 1, d: null });
    await b.next((f) => f.op === 11);
  });

  it('delays Hello by the configured time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    emu.faults.slowHello(10_000);
    const client = await connect();
    await emu.recorder.waitFor((r) => r.kind === 'open', { timeout: 60_000 });
    expect(client.frames).toEqual([]);
    vi.advanceTimersByTime(10_000);
    vi.useRealTimers();
    expect(await client.next()).toMatchObject({ op: 10 });
  });

  it('refuses close codes that cannot be sent', () => {
    expect(() => emu.faults.closeShard(0, 1006)).toThrow(/dropSocket/);
    expect(() => emu.faults.closeShard(-1, 4009)).toThrow(/shard id/);
    expect(emu.faults.closeShard(3, 4009)).toBe(0);
  });
});
