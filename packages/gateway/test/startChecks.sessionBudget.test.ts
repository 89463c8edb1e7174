/**
 * `checkSessionBudget`: a start that fits the session budget reads no store; otherwise each read
 * has the shard's store deadline, a read that fails or does not answer is named, and the reads stop
 * as soon as the budget is known to be short.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError, type GatewayBotInfo } from '@bot/core';
import { InMemorySessionStore, type SessionInfo, type SessionStore } from '@bot/gateway';
import { startCalls } from '../src/manager/StartCall.js';
import { checkSessionBudget } from '../src/manager/startChecks.js';

const info = (remaining: number, shards = 1): GatewayBotInfo => ({
  url: 'wss://gateway.example',
  shards,
  session_start_limit: { total: 1_000, remaining, reset_after: 60_000, max_concurrency: 1 },
});

/** A store whose `get` answers with `answer`, counting its calls. */
function storeAnswering(answer: (shardId: number) => Promise<SessionInfo | undefined>) {
  const store = new InMemorySessionStore();
  const get = vi.fn(answer);
  store.get = get;
  return { store: store as SessionStore, get };
}

describe('checkSessionBudget', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads no stored session when the budget covers every shard of the call', async () => {
    const { store, get } = storeAnswering(() => new Promise(() => undefined));
    await checkSessionBudget(startCalls.startShards(3), [0, 1, 2], 3, info(3, 3), store, 5_000);
    expect(get).not.toHaveBeenCalled();
  });

  it('gives up on a read that never answers after the store deadline, naming the shard', async () => {
    vi.useFakeTimers();
    const { store } = storeAnswering(() => new Promise(() => undefined));
    const checking = checkSessionBudget(startCalls.startShard(0, 1), [0], 1, info(0), store, 2_000);
    const outcome = checking.then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/needs 1 session start but none remain/);
    expect((error as Error).message).toMatch(/shard 0.*did not answer within 2000 ms/);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('names a read that failed instead of counting it silently as no session', async () => {
    const { store } = storeAnswering(() => Promise.reject(new Error('connection refused')));
    const error = await checkSessionBudget(
      startCalls.startShard(4, 8),
      [4],
      8,
      info(0, 8),
      store,
      2_000,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/shard 4.*connection refused/);
  });

  it('lets a call through whose stored sessions resume: they cost no session start', async () => {
    const session: SessionInfo = { sessionId: 's', seq: 1, shardCount: 2 } as SessionInfo;
    const { store } = storeAnswering(() => Promise.resolve(session));
    await expect(
      checkSessionBudget(startCalls.startShards(2), [0, 1], 2, info(0, 2), store, 2_000),
    ).resolves.toBeUndefined();
  });

  it('stops reading once the budget is known to be short, however many shards the call names', async () => {
    const { store, get } = storeAnswering(() => Promise.resolve(undefined));
    const ids = Array.from({ length: 100_000 }, (_, id) => id);
    await expect(
      checkSessionBudget(startCalls.startShards(100_000), ids, 100_000, info(0, 100_000), store, 2_000),
    ).rejects.toThrow(/but none remain/);
    expect(get.mock.calls.length).toBeLessThanOrEqual(64);
  });
});
