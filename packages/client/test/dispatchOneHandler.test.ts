import { describe, expect, it } from 'vitest';
import { HandlerError, type BotError } from '@bot/client';
import { memberAdd, sequentialDispatcher } from './support/sequentialDispatcher.js';

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
