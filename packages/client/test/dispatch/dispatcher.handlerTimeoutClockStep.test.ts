import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@bot/core';
import { HandlerTimeoutError, type ClientError, type Context } from '@bot/client';
import { Dispatcher } from '../../src/dispatch/Dispatcher.js';
import type { ModelBinding } from '../../src/models/ModelBinding.js';
import { ReplySequencer } from '../../src/models/ReplySequencer.js';
import { memberAdd } from '../support/sequentialDispatcher.js';

// A handler that never settles holds its shard's lane until the handler deadline. A wall clock
// stepped back meanwhile (a time sync, a resumed VM) must not hold it for the size of the step.

const TIMEOUT_MS = 5_000;

describe('the handler deadline across a wall-clock step back', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('frees the lane of a handler that never settles within two deadlines of its start', async () => {
    const errors: ClientError[] = [];
    const seen: string[] = [];
    const dispatcher = new Dispatcher({
      handlers: [
        {
          guildMemberAdd(_ctx, member) {
            seen.push(member.user.username);
            if (member.user.username === 'stuck') return new Promise<void>(() => undefined);
            return undefined;
          },
          error: (error) => void errors.push(error),
        },
      ],
      rawHandlers: [],
      policy: { mode: 'sequential' },
      binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
      contextFor: () => ({}) as Context,
      log: createLogger('test', 7),
      handlerTimeoutMs: TIMEOUT_MS,
    });
    dispatcher.deliver(3, memberAdd('stuck'));
    dispatcher.deliver(3, memberAdd('next'));
    await vi.advanceTimersByTimeAsync(1_000);
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(2 * TIMEOUT_MS);

    expect(seen).toEqual(['stuck', 'next']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerTimeoutError);
  });
});
