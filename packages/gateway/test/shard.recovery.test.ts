import { describe, expect, it, vi } from 'vitest';
import { AuthenticationError } from '@bot/http';
import { FatalGatewayError, type ShardCloseEvent } from '@bot/gateway';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceUntil, capturingLogger, makeShard, reach } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

async function readyShard(overrides: Parameters<typeof makeShard>[1] = {}) {
  const made = makeShard(fake.gateway.url, overrides);
  await made.shard.start();
  return made;
}

const identifies = () => fake.gateway.received(2).length;
const resumes = () => fake.gateway.received(6).length;

describe('Shard recovery', () => {
  it.each([
    ['close 4009', (connection: FakeConnection) => connection.close(4009)],
    ['close 1001', (connection: FakeConnection) => connection.close(1001)],
    ['an unlisted close code', (connection: FakeConnection) => connection.close(4100)],
    ['a drop without close frame', (connection: FakeConnection) => connection.socket.terminate()],
  ])('resumes after %s without identifying again', async (_, fault) => {
    const { shard } = await readyShard();
    fake.gateway.last.dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => shard.status().seq === 2, 1_000);

    fault(fake.gateway.last);
    await advanceUntil(() => resumes() === 1 && shard.state === 'ready', 5_000);

    expect(identifies()).toBe(1);
    expect(fake.gateway.received(6)[0]?.d).toEqual({
      token: 'QQBot token-1',
      session_id: 'session-1',
      seq: 2,
    });
    // One attempt counted: the back-off starts over only once the new connection proves stable.
    expect(shard.status()).toMatchObject({ reconnects: 1, attempt: 1 });
    await shard.close();
  });

  it.each([4006, 4007, 4900, 4903])('drops the session and identifies after close %i', async (code) => {
    const { shard } = await readyShard();
    fake.gateway.last.close(code);
    await advanceUntil(() => identifies() === 2 && shard.state === 'ready', 10_000);
    expect(resumes()).toBe(0);
    expect(shard.status().sessionId).toBe('session-2');
    await shard.close();
  });

  it.each([4001, 4010, 4011, 4013, 4014, 4915])('stops for good on fatal close %i', async (code) => {
    const { shard } = await readyShard();
    const closes: ShardCloseEvent[] = [];
    shard.on('close', (event) => closes.push(event));
    fake.gateway.last.close(code);
    await reach(shard, 'fatal');

    expect(shard.fatalError).toBeInstanceOf(FatalGatewayError);
    expect(shard.fatalError).toMatchObject({ code, shardId: 0, kind: 'gateway' });
    expect(closes).toEqual([expect.objectContaining({ code, next: 'fatal' })]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fake.gateway.connections).toHaveLength(1);
  });

  it('lets the user override the close-code table', async () => {
    const { shard } = await readyShard({ closeCodes: { 4009: 'identify', 4013: 'resume' } });
    fake.gateway.last.close(4009);
    await advanceUntil(() => identifies() === 2 && shard.state === 'ready', 10_000);
    fake.gateway.last.close(4013);
    await advanceUntil(() => resumes() === 1 && shard.state === 'ready', 10_000);
    expect(shard.state).toBe('ready');
    await shard.close();
  });

  it('refreshes the token and resumes after 4004, the session kept', async () => {
    const { shard, tokens } = await readyShard();
    fake.gateway.last.close(4004);
    await advanceUntil(() => resumes() === 1 && shard.state === 'ready', 10_000);
    expect(identifies()).toBe(1);
    expect(tokens.invalidated).toEqual(['token-1']);
    expect(fake.gateway.received(6)[0]?.d).toMatchObject({ token: 'QQBot token-2' });
    await shard.close();
  });

  it('after a refreshed resume refused with 4004, identifies once, and gives up at the next 4004', async () => {
    const { shard, tokens } = await readyShard();
    fake.gateway.options.closeOnIdentify = 4004;
    fake.gateway.options.swallowResume = true;
    fake.gateway.on('frame', (frame: { op: number; connection: { close(code: number): void } }) => {
      if (frame.op === 6) frame.connection.close(4004);
    });
    fake.gateway.last.close(4004);
    await advanceUntil(() => shard.state === 'fatal', 10_000); // the second identify waits its 5 s turn
    expect(resumes()).toBe(1);
    expect(identifies()).toBe(2);
    expect(tokens.invalidated).toEqual(['token-1', 'token-2']);
    expect(shard.fatalError).toMatchObject({ code: 4004, shardId: 0 });
  });

  it('becomes fatal when the token source refuses the credentials', async () => {
    const { shard, tokens } = makeShard(fake.gateway.url);
    tokens.failWith = new AuthenticationError(100016, 'invalid appid or secret');
    await expect(shard.start()).rejects.toBeInstanceOf(FatalGatewayError);
    expect(shard.state).toBe('fatal');
    expect(identifies()).toBe(0);
  });

  it('resumes on op 7 at once', async () => {
    const { shard } = await readyShard();
    fake.gateway.last.send({ op: 7 });
    await advanceUntil(() => resumes() === 1 && shard.state === 'ready', 1_000);
    expect(identifies()).toBe(1);
    await shard.close();
  });

  it.each([
    [true, 'resume'],
    [false, 'identify'],
  ] as const)('after op 9 with d=%s waits 1–5 s, then does %s', async (resumable, expected) => {
    const { shard } = await readyShard();
    const reconnectedAt: number[] = [];
    fake.gateway.on('connection', () => reconnectedAt.push(Date.now()));
    const sentAt = Date.now();
    fake.gateway.last.send({ op: 9, d: resumable });

    await advanceUntil(() => shard.state === 'ready' && reconnectedAt.length === 1, 10_000);
    const waited = (reconnectedAt[0] ?? 0) - sentAt;
    expect(waited).toBeGreaterThanOrEqual(1_000);
    expect(waited).toBeLessThanOrEqual(5_200);
    expect(resumes()).toBe(expected === 'resume' ? 1 : 0);
    expect(identifies()).toBe(expected === 'identify' ? 2 : 1);
    await shard.close();
  });

  it('identifies when a resume fails instead of resuming again', async () => {
    const { shard } = await readyShard();
    // The next connection accepts the Resume frame, then drops without RESUMED.
    fake.gateway.options.acceptResume = false;
    fake.gateway.once(
      'connection',
      (connection: { socket: { on(e: string, f: () => void): void }; close(code: number): void }) => {
        connection.socket.on('message', () => connection.close(4999));
      },
    );
    fake.gateway.last.close(4009);
    await advanceUntil(() => identifies() === 2 && shard.state === 'ready', 10_000);
    expect(resumes()).toBe(1);
    await shard.close();
  });

  it('waits for the send window to reset after 4008, then resumes', async () => {
    const { shard } = await readyShard({ sendLimit: { limit: 10, windowMs: 30_000, reserved: 2 } });
    const closedAt = Date.now();
    let reconnectedAt = 0;
    fake.gateway.once('connection', () => (reconnectedAt = Date.now()));
    fake.gateway.last.close(4008);
    await advanceUntil(() => shard.state === 'ready' && reconnectedAt > 0, 40_000, 500);
    expect(reconnectedAt - closedAt).toBeGreaterThanOrEqual(25_000);
    expect(resumes()).toBe(1);
    await shard.close();
  });
  it('names the wait for the send window after 4008 in whole milliseconds, in the close event and the log', async () => {
    const { logger, lines } = capturingLogger();
    const { shard } = await readyShard({ logger, sendLimit: { limit: 10, windowMs: 30_000, reserved: 2 } });
    const closes: ShardCloseEvent[] = [];
    shard.on('close', (event) => closes.push(event));
    await vi.advanceTimersByTimeAsync(2_000.37); // the steady clock reads fractions of a millisecond
    fake.gateway.last.close(4008);
    await advanceUntil(() => closes.length === 1, 1_000, 10);

    const delayMs = closes[0]?.delayMs ?? Number.NaN;
    expect(Number.isInteger(delayMs)).toBe(true);
    expect(delayMs).toBeGreaterThan(27_000);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`; resuming in ${delayMs} ms$`)));
    await shard.close();
  });
});
