import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@bot/core';
import { HandlerTimeoutError, type ClientError, type Context } from '@bot/client';
import { Dispatcher } from '../../src/dispatch/Dispatcher.js';
import type { ModelBinding } from '../../src/models/ModelBinding.js';
import { ReplySequencer } from '../../src/models/ReplySequencer.js';
import { memberAdd } from '../support/sequentialDispatcher.js';

// A handler that never settles holds its shard's lane until the handler deadline. A wall clock
// stepped back meanwhile (a time sync, a resumed VM) must not hold it for the size of the step;
// one stepped forward must not give up early on a handler that started just before the step.

const TIMEOUT_MS = 5_000;

/** A dispatcher running up to `limit` events of a shard at once, whose `stuck` handlers never settle. */
function dispatcherWithStuckHandlers(limit: number) {
  const errors: ClientError[] = [];
  const seen: string[] = [];
  const dispatcher = new Dispatcher({
    handlers: [
      {
        guildMemberAdd(_ctx, member) {
          seen.push(member.user.username ?? member.user.id);
          if (member.user.username?.startsWith('stuck')) return new Promise<void>(() => undefined);
          return undefined;
        },
        error: (error) => void errors.push(error),
      },
    ],
    rawHandlers: [],
    policy: limit === 1 ? { mode: 'sequential' } : { mode: 'concurrent', limit },
    binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
    contextFor: () => ({}) as Context,
    log: createLogger('test', 7),
    handlerTimeoutMs: TIMEOUT_MS,
  });
  return { dispatcher, errors, seen };
}

describe('the handler deadline across a wall-clock step', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('frees the lane of a handler that never settles within two deadlines of its start', async () => {
    const { dispatcher, errors, seen } = dispatcherWithStuckHandlers(1);
    dispatcher.deliver(3, memberAdd('stuck'));
    dispatcher.deliver(3, memberAdd('next'));
    await vi.advanceTimersByTimeAsync(1_000);
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(2 * TIMEOUT_MS);

    expect(seen).toEqual(['stuck', 'next']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerTimeoutError);
  });

  it('a step forward gives up on no handler before its deadline, and each error says how long it ran', async () => {
    const { dispatcher, errors } = dispatcherWithStuckHandlers(2);
    dispatcher.deliver(3, memberAdd('stuck early'));
    await vi.advanceTimersByTimeAsync(4_000);
    dispatcher.deliver(3, memberAdd('stuck late'));
    await vi.advanceTimersByTimeAsync(500);
    vi.setSystemTime(Date.now() + 3_600_000);

    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 4_500);
    expect(errors.map((error) => (error as HandlerTimeoutError).ranMs)).toEqual([TIMEOUT_MS]);
    await vi.advanceTimersByTimeAsync(4_000 - 1);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors.map((error) => (error as HandlerTimeoutError).ranMs)).toEqual([TIMEOUT_MS, TIMEOUT_MS]);
  });
});
