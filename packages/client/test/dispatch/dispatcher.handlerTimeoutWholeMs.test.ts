import { describe, expect, it } from 'vitest';
import { createLogger } from '@bot/core';
import { HandlerTimeoutError, type ClientError, type Context } from '@bot/client';
import { Dispatcher } from '../../src/dispatch/Dispatcher.js';
import type { ModelBinding } from '../../src/models/ModelBinding.js';
import { ReplySequencer } from '../../src/models/ReplySequencer.js';
import { memberAdd } from '../support/sequentialDispatcher.js';

// Real timers on purpose: the steady clock the deadline is counted on reads fractions of a
// millisecond, which fake timers (moving in whole milliseconds) never show.

describe('a handler timeout on the steady clock', () => {
  it('reports how long the handler ran in whole milliseconds, in the error and its message', async () => {
    const errors: ClientError[] = [];
    const dispatcher = new Dispatcher({
      handlers: [
        {
          guildMemberAdd: () => new Promise<void>(() => undefined),
          error: (error) => void errors.push(error),
        },
      ],
      rawHandlers: [],
      policy: { mode: 'sequential' },
      binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
      contextFor: () => ({}) as Context,
      log: createLogger('test', 7),
      handlerTimeoutMs: 30,
    });
    dispatcher.deliver(0, memberAdd('stuck'));
    const until = performance.now() + 5_000;
    while (errors.length === 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 10));

    const [error] = errors;
    expect(error).toBeInstanceOf(HandlerTimeoutError);
    const { ranMs, message } = error as HandlerTimeoutError;
    expect(Number.isInteger(ranMs)).toBe(true);
    expect(ranMs).toBeGreaterThanOrEqual(30);
    expect(message).toMatch(/ after \d+ ms/);
  });
});
