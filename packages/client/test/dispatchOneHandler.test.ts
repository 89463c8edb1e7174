import { describe, expect, it } from 'vitest';
import { createLogger, type GatewayPayload } from '@bot/core';
import { HandlerError, type BotError, type Context, type EventHandler } from '@bot/client';
import { Dispatcher } from '../src/dispatch/Dispatcher.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';

/** A member event: its model needs no API, so the dispatcher runs without a client. */
function memberAdd(id: string): GatewayPayload {
  return {
    op: 0,
    t: 'GUILD_MEMBER_ADD',
    id,
    d: { guild_id: 'G1', user: { id: `U-${id}`, username: id }, nick: '', roles: [], joined_at: '' },
  };
}

/** A dispatcher running events one at a time, with `handler` as its only typed handler. */
function sequentialDispatcher(handler: EventHandler): Dispatcher {
  return new Dispatcher({
    handlers: [handler],
    rawHandlers: [],
    policy: { mode: 'sequential' },
    binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
    contextFor: () => ({}) as Context,
    log: createLogger('test', 7),
  });
}

describe('Dispatcher with one handler', () => {
  it('reports a synchronous throw to error() and starts the next event only once error() has finished', async () => {
    const order: string[] = [];
    let releaseError!: () => void;
    const dispatcher = sequentialDispatcher({
      guildMemberAdd(_ctx, member) {
        order.push(`handled ${member.user?.username ?? '?'}`);
        if (order.length === 1) throw new Error('first fails');
      },
      error: (error: BotError) =>
        new Promise<void>((resolve) => {
          order.push(`error ${(error as HandlerError).handler}`);
          releaseError = () => {
            order.push('error done');
            resolve();
          };
        }),
    });
    dispatcher.deliver(0, memberAdd('a'));
    dispatcher.deliver(0, memberAdd('b'));
    await expect.poll(() => order.length).toBe(2);
    expect(order).toEqual(['handled a', 'error handler#0.guildMemberAdd']);
    releaseError();
    await dispatcher.onIdle();
    expect(order).toEqual(['handled a', 'error handler#0.guildMemberAdd', 'error done', 'handled b']);
  });

  it('reports an async rejection as a HandlerError naming the event, and goes on with the next event', async () => {
    const errors: BotError[] = [];
    const handled: string[] = [];
    const dispatcher = sequentialDispatcher({
      async guildMemberAdd(_ctx, member) {
        handled.push(member.user?.username ?? '?');
        if (handled.length === 1) throw new Error('late failure');
      },
      error: (error: BotError) => void errors.push(error),
    });
    dispatcher.deliver(3, memberAdd('a'));
    dispatcher.deliver(3, memberAdd('b'));
    await dispatcher.onIdle();
    expect(handled).toEqual(['a', 'b']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerError);
    expect(errors[0]).toMatchObject({ event: 'GUILD_MEMBER_ADD', shardId: 3 });
    expect(((errors[0] as HandlerError).cause as Error).message).toBe('late failure');
  });

  it('runs a plain handler synchronously: the event is handled before deliver() returns', () => {
    const handled: string[] = [];
    const dispatcher = sequentialDispatcher({
      guildMemberAdd: (_ctx, member) => void handled.push(member.user?.username ?? '?'),
    });
    dispatcher.deliver(0, memberAdd('a'));
    expect(handled).toEqual(['a']);
  });
});
