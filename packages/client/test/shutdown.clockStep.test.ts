import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RestClient } from '@bot/http';
import type { ShardManager } from '@bot/gateway';
import type { Dispatcher } from '../src/dispatch/Dispatcher.js';
import { shutDownClient } from '../src/client/shutdown.js';

const DEADLINE_MS = 10_000;
const HOUR_MS = 3_600_000;

/** Resolves after `ms` on the (fake) timers. */
const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client whose handlers are on threads: the backlog read before the pause takes 1 s, during which
 * the wall clock jumps an hour ahead; then the shards close, and events that were crossing reach the
 * handlers and take `crossingMs`. What the shards were given as their grace, and what was abandoned.
 */
async function shutDownAcrossAStep(crossingMs: number) {
  const graces: Array<number | undefined> = [];
  let idleCalls = 0;
  let abandoned = 0;
  const dispatcher = {
    onIdle: () => {
      idleCalls += 1;
      if (idleCalls > 1) return after(crossingMs);
      return after(1_000).then(() => vi.setSystemTime(Date.now() + HOUR_MS));
    },
    abandon: () => {
      abandoned += 1;
      return undefined;
    },
    reportError: () => Promise.resolve(),
  } as unknown as Dispatcher;
  const shardManager = {
    shards: new Map(),
    shutdownAll: (options: { timeoutMs?: number }) => {
      graces.push(options.timeoutMs);
      return Promise.resolve();
    },
  } as unknown as ShardManager;
  const rest = { destroy: () => undefined } as unknown as RestClient;
  const done = shutDownClient(
    { shardManager, dispatcher, rest, stopReading: () => [], handlersOnThreads: true },
    DEADLINE_MS,
    false,
  );
  await vi.advanceTimersByTimeAsync(DEADLINE_MS);
  await done;
  return { graces, abandoned };
}

describe('Client.shutdown: a wall clock stepped forward does not cut the deadline short', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the shards on threads get what is left of the deadline as their grace, not 0', async () => {
    vi.useFakeTimers();
    const { graces } = await shutDownAcrossAStep(0);
    expect(graces).toEqual([DEADLINE_MS - 1_000]);
  });

  it('events crossing from the threads are still waited for until the deadline, not abandoned at once', async () => {
    vi.useFakeTimers();
    const { abandoned } = await shutDownAcrossAStep(5_000);
    expect(abandoned).toBe(0);
  });

  it('past the deadline, they are abandoned all the same', async () => {
    vi.useFakeTimers();
    const { abandoned } = await shutDownAcrossAStep(DEADLINE_MS);
    expect(abandoned).toBe(1);
  });
});
