import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FatalGatewayError, GatewayError, IntentsRefusedError } from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;

beforeEach(() => {
  useFakeClock();
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await gateway.close();
});

// A READY without a session id is the gateway failing to start a session, not a refusal of the
// bot's intents: the shard that gives up on it must say so, or its user goes checking intents that
// were granted all along.
describe('a READY without a session id', () => {
  it.each([
    ['no session_id', undefined],
    ['an empty one', ''],
    ['a number', 42],
  ])('with %s, twice in a row, stops the shard naming the READY, not intents', async (_, sessionId) => {
    gateway = await FakeGateway.start({ readySessionId: sessionId });
    const { shard } = makeShard(gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    const failure = shard.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    await advanceUntil(() => shard.state === 'fatal', 30_000);

    const error = await failure;
    expect(error).toBeInstanceOf(FatalGatewayError);
    expect(error).not.toBeInstanceOf(IntentsRefusedError);
    expect(error).toMatchObject({ code: 4903, shardId: 0 });
    expect((error as Error).message).toContain('READY carried no session id 2 times in a row');
    expect(
      errors.filter((each) => /READY carried no session id; identifying again/.test(each.message)),
    ).toHaveLength(2);
    await advanceBy(60_000, 1_000);
    // Each READY was a session start: the shard spends no more than the one retry.
    expect(gateway.received(2)).toHaveLength(2);
  });

  it('once, then a proper READY: the shard is ready and its error named the READY', async () => {
    gateway = await FakeGateway.start({ readySessionId: undefined });
    const { shard } = makeShard(gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    const started = shard.start();
    await advanceUntil(() => gateway.received(2).length === 1 && errors.length > 0, 5_000);
    delete gateway.options.readySessionId;
    await advanceUntil(() => shard.state === 'ready', 30_000);
    await started;

    expect(errors.map((each) => each.message)).toEqual([
      'shard 0: READY carried no session id; identifying again',
    ]);
    expect(errors[0]).toBeInstanceOf(GatewayError);
    expect(shard.status().sessionId).toBe('session-2');
    await shard.close();
  });
});
