import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, Deferred } from '@bot/core';
import {
  HandlerError,
  HandlerTimeoutError,
  toClientError,
  type ClientError,
  type Context,
  type EventHandler,
} from '@bot/client';
import { Dispatcher } from '../../src/dispatch/Dispatcher.js';
import type { DispatchPolicy } from '../../src/dispatch/DispatchPolicy.js';
import type { DispatcherOptions } from '../../src/dispatch/DispatcherOptions.js';
import type { ModelBinding } from '../../src/models/ModelBinding.js';
import { ReplySequencer } from '../../src/models/ReplySequencer.js';
import { memberAdd } from '../support/sequentialDispatcher.js';

const TIMEOUT_MS = 5_000;

/** A dispatcher with `handler` as its only typed handler and the given deadline. */
function dispatcherOf(
  handler: EventHandler,
  handlerTimeoutMs: number | undefined,
  policy: DispatchPolicy = { mode: 'sequential' },
): Dispatcher {
  return dispatcherWith({ handlers: [handler], rawHandlers: [] }, handlerTimeoutMs, policy);
}

/** A dispatcher with these handlers and raw handlers and the given deadline. */
function dispatcherWith(
  { handlers, rawHandlers }: Pick<DispatcherOptions, 'handlers' | 'rawHandlers'>,
  handlerTimeoutMs: number | undefined,
  policy: DispatchPolicy = { mode: 'sequential' },
): Dispatcher {
  return new Dispatcher({
    handlers,
    rawHandlers,
    policy,
    binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
    contextFor: () => ({}) as Context,
    log: createLogger('test', 7),
    ...(handlerTimeoutMs === undefined ? {} : { handlerTimeoutMs }),
  });
}

describe('Dispatcher handler deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the next event of a sequential shard once a handler that never settles passes the deadline, and tells error() which handler and event', async () => {
    const errors: ClientError[] = [];
    const seen: string[] = [];
    const dispatcher = dispatcherOf(
      {
        guildMemberAdd(_ctx, member) {
          seen.push(member.user.username ?? member.user.id);
          if (member.user.username === 'stuck') return new Promise<void>(() => undefined);
          return undefined;
        },
        error: (error) => void errors.push(error),
      },
      TIMEOUT_MS,
    );
    dispatcher.deliver(3, memberAdd('stuck'));
    dispatcher.deliver(3, memberAdd('next'));

    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(seen).toEqual(['stuck']);
    expect(errors).toEqual([]);

    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['stuck', 'next']);
    expect(errors).toHaveLength(1);
    const error = errors[0]!;
    expect(error).toBeInstanceOf(HandlerTimeoutError);
    expect(error).toMatchObject({
      kind: 'handlerTimeout',
      event: 'GUILD_MEMBER_ADD',
      eventId: 'stuck',
      shardId: 3,
      ranMs: TIMEOUT_MS,
      timeoutMs: TIMEOUT_MS,
      handler: 'handler#0.guildMemberAdd',
    });
    expect(error.message).toBe(
      'handler#0.guildMemberAdd has not finished GUILD_MEMBER_ADD (event stuck, shard 3) after 5000 ms, past the handler ' +
        'timeout of 5000 ms: the client no longer waits for it and goes on with the next event, while ' +
        'its handler runs on unwaited. Give what the handler awaits a deadline of its own (an ' +
        'AbortSignal.timeout, a request timeout), or raise handlerTimeout(ms) on the client builder',
    );
    await expect(dispatcher.onIdle()).resolves.toBeUndefined();
  });

  it('words the error without an id or shard when the event had none (a webhook delivery)', () => {
    const error = new HandlerTimeoutError('GROUP_ADD_ROBOT', undefined, undefined, 60_000, 60_000);
    expect(error.message).toMatch(/^GROUP_ADD_ROBOT has not finished after 60000 ms/);
    expect(error.handler).toBeUndefined();
    expect(toClientError(error)).toBe(error);
  });

  it('names the handler that has not finished, of an event that runs several, raw handlers first', async () => {
    const errors: ClientError[] = [];
    class Greeter implements EventHandler {
      guildMemberAdd(): Promise<void> {
        return new Promise<void>(() => undefined);
      }
    }
    const dispatcher = dispatcherWith(
      {
        handlers: [
          { guildMemberAdd: () => Promise.resolve(), error: (error) => void errors.push(error) },
          new Greeter(),
          { guildMemberAdd: () => undefined },
        ],
        rawHandlers: [{ raw: () => Promise.resolve() }],
      },
      TIMEOUT_MS,
    );
    dispatcher.deliver(undefined, memberAdd('slow'));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(errors).toHaveLength(1);
    const error = errors[0] as HandlerTimeoutError;
    // The raw handler and the first typed one finished; the third never started.
    expect(error.handler).toBe('Greeter#1.guildMemberAdd');
    expect(error.message).toMatch(
      /^Greeter#1\.guildMemberAdd has not finished GUILD_MEMBER_ADD \(event slow\) after 5000 ms/,
    );
  });

  it('names the only typed handler once raw handlers before it have finished', async () => {
    const errors: ClientError[] = [];
    const dispatcher = dispatcherWith(
      {
        handlers: [
          {
            guildMemberAdd: () => new Promise<void>(() => undefined),
            error: (error) => void errors.push(error),
          },
        ],
        rawHandlers: [{ raw: () => Promise.resolve() }],
      },
      TIMEOUT_MS,
    );
    dispatcher.deliver(undefined, memberAdd('stuck'));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect((errors[0] as HandlerTimeoutError).handler).toBe('handler#0.guildMemberAdd');
  });

  it('settles the dispatch() of an awaited event (a broker, READY) at the deadline, as handled', async () => {
    const dispatcher = dispatcherOf(
      { guildMemberAdd: () => new Promise<void>(() => undefined), error: () => undefined },
      TIMEOUT_MS,
    );
    let settled: string | undefined;
    dispatcher.dispatch(0, memberAdd('awaited')).then(
      () => (settled = 'handled'),
      () => (settled = 'rejected'),
    );
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe('handled');
  });

  it('reports a handler that fails after its deadline once, as a HandlerError, besides the timeout', async () => {
    const errors: ClientError[] = [];
    const late = new Deferred<void>();
    const dispatcher = dispatcherOf(
      { guildMemberAdd: () => late.promise, error: (error) => void errors.push(error) },
      TIMEOUT_MS,
    );
    dispatcher.deliver(0, memberAdd('late'));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    late.reject(new Error('gave up after all'));
    await vi.advanceTimersByTimeAsync(0);

    expect(errors.map((error) => error.kind)).toEqual(['handlerTimeout', 'handler']);
    expect((errors[1] as HandlerError).cause).toEqual(new Error('gave up after all'));
  });

  it('gives up on a hung handler of every slot of a concurrent shard at the deadline', async () => {
    const errors: ClientError[] = [];
    const seen: string[] = [];
    const dispatcher = dispatcherOf(
      {
        guildMemberAdd(_ctx, member) {
          seen.push(member.user.username ?? member.user.id);
          return new Promise<void>(() => undefined);
        },
        error: (error) => void errors.push(error),
      },
      TIMEOUT_MS,
      { mode: 'concurrent', limit: 2 },
    );
    for (const id of ['a', 'b', 'c']) dispatcher.deliver(0, memberAdd(id));
    expect(seen).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(errors.map((error) => (error as HandlerTimeoutError).eventId)).toEqual(['a', 'b']);
  });

  it('keeps a deadline of 60 s when none is given', async () => {
    const errors: ClientError[] = [];
    const dispatcher = dispatcherOf(
      { guildMemberAdd: () => new Promise<void>(() => undefined), error: (error) => void errors.push(error) },
      undefined,
    );
    dispatcher.deliver(0, memberAdd('default'));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(errors.map((error) => error.kind)).toEqual(['handlerTimeout']);
  });

  it('with the deadline off waits for a hung handler as today: the next event waits, nothing is reported, no timer runs', async () => {
    const errors: ClientError[] = [];
    const seen: string[] = [];
    const release = new Deferred<void>();
    const dispatcher = dispatcherOf(
      {
        guildMemberAdd(_ctx, member) {
          seen.push(member.user.username ?? member.user.id);
          return member.user.username === 'stuck' ? release.promise : undefined;
        },
        error: (error) => void errors.push(error),
      },
      Number.POSITIVE_INFINITY,
    );
    dispatcher.deliver(0, memberAdd('stuck'));
    dispatcher.deliver(0, memberAdd('next'));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(seen).toEqual(['stuck']);
    expect(errors).toEqual([]);

    release.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['stuck', 'next']);
  });

  it('leaves no timer once a shutdown gave up on the hung events (abandon)', () => {
    const dispatcher = dispatcherOf(
      { guildMemberAdd: () => new Promise<void>(() => undefined) },
      TIMEOUT_MS,
      {
        mode: 'concurrent',
        limit: 4,
      },
    );
    for (const shardId of [0, 1, 2]) dispatcher.deliver(shardId, memberAdd(`s${shardId}`));
    expect(vi.getTimerCount()).toBe(3);
    dispatcher.abandon(100);
    expect(vi.getTimerCount()).toBe(0);
  });
});
