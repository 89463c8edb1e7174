import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  ReplyWindowClosedError,
  type C2CMessage,
  type Context,
  type GroupMessage,
  type Message,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

const HOUR = 60 * 60_000;

/** Sends of the bot to the platform's message routes, as the emulator recorded them. */
function sends(harness: Harness): number {
  return harness.emulator.recorder.filter(
    (r) => r.kind === 'rest' && r.method === 'POST' && /messages$/.test(r.path),
  ).length;
}

describe('reply windows through the emulator', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await harness?.stop();
    harness = undefined;
  });

  /** Starts a client whose handler hands each message of `kind` to the test. */
  async function receive<M>(
    kind: 'c2cMessageCreate' | 'groupMessageCreate' | 'messageCreate',
    configure?: Parameters<typeof startHarness>[1],
  ): Promise<{ next: () => Promise<M> }> {
    const queue: M[] = [];
    harness = await startHarness(
      [{ [kind]: (_ctx: Context, message: M) => void queue.push(message) }],
      configure,
    );
    return {
      next: async () => {
        await expect.poll(() => queue.length, { timeout: 5000 }).toBeGreaterThan(0);
        return queue.shift()!;
      },
    };
  }

  /** A C2C message the client received, then the clock moved past its 60-minute reply window. */
  async function c2cMessagePastItsWindow(): Promise<C2CMessage> {
    const inbox = await receive<C2CMessage>('c2cMessageCreate');
    // Both clocks faked (the window is judged on both), no timers: the sockets stay real.
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    harness!.emulator.simulate.c2cMessage({ content: 'hi' });
    const message = await inbox.next();
    vi.advanceTimersByTime(HOUR + 1);
    return message;
  }

  it('a C2C message knows its window: 60 minutes and 5 replies, counted down as replies are sent', async () => {
    const inbox = await receive<C2CMessage>('c2cMessageCreate');
    harness!.emulator.simulate.c2cMessage({ content: 'hi' });
    const message = await inbox.next();
    const window = message.replyWindow;
    expect(window.scene).toBe('c2c');
    expect(window.expiresAt.getTime() - window.openedAt.getTime()).toBe(HOUR);
    expect(window.remaining).toBe(5);
    await message.reply('one');
    await message.reply('two');
    expect(window.remaining).toBe(3);
    expect(window.isOpen()).toBe(true);
  });

  it('the 6th reply to a group message fails fast with ReplyWindowClosedError "exhausted" and sends nothing', async () => {
    const inbox = await receive<GroupMessage>('groupMessageCreate');
    harness!.emulator.simulate.groupAtMessage({ content: 'hi' });
    const message = await inbox.next();
    for (let i = 1; i <= 5; i++) await message.reply(`reply ${i}`);
    const before = sends(harness!);

    const error = await message.reply('sixth').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplyWindowClosedError);
    expect(error).toMatchObject({ kind: 'replyWindowClosed', reason: 'exhausted', scene: 'group', limit: 5 });
    expect((error as Error).message).toMatch(/event_id/);
    expect(sends(harness!)).toBe(before);
    expect(message.replyWindow.remaining).toBe(0);
  });

  it('after the window, reply() and replyStream() fail fast, naming the remedy; nothing is sent', async () => {
    const message = await c2cMessagePastItsWindow();
    const before = sends(harness!);

    const error = await message.reply('too late').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplyWindowClosedError);
    expect(error).toMatchObject({ reason: 'expired', expiresAt: message.replyWindow.expiresAt });
    expect((error as Error).message).toMatch(/reply window closed at .*newer message.*event_id/);
    expect(() => message.replyStream()).toThrow(ReplyWindowClosedError);
    await expect(message.replyStreamFrom(['x'])).rejects.toBeInstanceOf(ReplyWindowClosedError);
    expect(sends(harness!)).toBe(before);
    expect(
      harness!.emulator.recorder.filter((r) => r.kind === 'rest' && /stream_messages$/.test(r.path)),
    ).toEqual([]);
  });

  it('{ replyWindow: "ignore" } sends anyway: the platform refuses with its own code, and the window then reads closed', async () => {
    const message = await c2cMessagePastItsWindow();
    const before = sends(harness!);

    const error = await message.reply('anyway', { replyWindow: 'ignore' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 40034005 });
    expect(sends(harness!)).toBe(before + 1);
    expect(message.replyWindow.closedReason()).toBe('expired');
  });

  it('a client built with replyWindows("ignore") leaves the count to the platform: the 6th reply is refused by it', async () => {
    const inbox = await receive<GroupMessage>('groupMessageCreate', (builder) =>
      builder.replyWindows('ignore'),
    );
    harness!.emulator.simulate.groupAtMessage({ content: 'hi' });
    const message = await inbox.next();
    for (let i = 1; i <= 5; i++) await message.reply(`reply ${i}`);

    const error = await message.reply('sixth').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 40034128 });
    expect(message.replyWindow.remaining).toBe(0);
  });

  it('a guild channel message has a 5-minute window and no documented count', async () => {
    const inbox = await receive<Message>('messageCreate');
    harness!.emulator.simulate.guildAtMessage({ content: 'hi' });
    const message = await inbox.next();
    expect(message.replyWindow).toMatchObject({ scene: 'guild', limit: undefined, remaining: undefined });
    expect(message.replyWindow.timeLeft()).toBeLessThanOrEqual(5 * 60_000);
    await message.reply('hello');
    expect(message.replyWindow.used).toBe(1);
  });
});
