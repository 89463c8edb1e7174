import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, PlatformCode, ReplyWindowClosedError, type C2CMessage } from '@bot/client';
import { useHarness, type Harness } from './support/harness.js';
import { capture } from './support/replyCapture.js';

const MINUTE = 60_000;

/** Typing notices the bot sent, as the emulator recorded them. */
function typingSends(harness: Harness): number {
  return harness.emulator.recorder.filter(
    (r) =>
      r.kind === 'rest' &&
      r.method === 'POST' &&
      r.path.startsWith('/v2/users/') &&
      (r.body as { msg_type?: number } | undefined)?.msg_type === 6,
  ).length;
}

/*
 * A typing notice quotes the message as a reply does, so it is refused by the platform once the
 * reply window has passed (40034005): the client checks the window first, as reply(),
 * replyStream() and replyMedia() do.
 */
describe('message.typing() and the reply window', () => {
  const harnesses = useHarness();
  afterEach(() => {
    vi.useRealTimers();
  });

  async function c2cMessage(): Promise<{ harness: Harness; message: C2CMessage }> {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    // Both clocks faked (the window is judged on both), no timers: the sockets stay real.
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    harness.emulator.simulate.c2cMessage({ content: 'slow question' });
    return { harness, message: (await next()) as C2CMessage };
  }

  it('after the 60-minute window, typing() throws ReplyWindowClosedError before sending, as reply() does', async () => {
    const { harness, message } = await c2cMessage();
    vi.advanceTimersByTime(61 * MINUTE);

    await expect(message.reply('late')).rejects.toBeInstanceOf(ReplyWindowClosedError);
    const refused = await message.typing(3).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ReplyWindowClosedError);
    expect(refused).toMatchObject({ reason: 'expired', scene: 'c2c' });
    expect(typingSends(harness)).toBe(0);
  });

  it('{ replyWindow: "ignore" } sends anyway', async () => {
    const { harness, message } = await c2cMessage();
    vi.advanceTimersByTime(61 * MINUTE);

    const refused = await message.typing(3, { replyWindow: 'ignore' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 40034005 });
    expect(typingSends(harness)).toBe(1);
  });

  it('a notice the platform refuses as expired closes the window, as a refused reply does', async () => {
    const { harness, message } = await c2cMessage();
    vi.advanceTimersByTime(10 * MINUTE);
    harness.emulator.faults.failRoute('POST /v2/users/{openid}/messages', {
      status: 400,
      code: 40034005,
      times: 1,
    });

    await expect(message.typing(3)).rejects.toMatchObject({ code: 40034005 });
    expect(message.replyWindow.closedReason()).toBe('expired');
    await expect(message.reply('after')).rejects.toBeInstanceOf(ReplyWindowClosedError);
    await expect(message.typing(3)).rejects.toBeInstanceOf(ReplyWindowClosedError);
    expect(typingSends(harness)).toBe(1);
    expect(message.replyWindow.used).toBe(0);
  });

  it('inside the window a notice is neither refused nor counted', async () => {
    const { harness, message } = await c2cMessage();
    vi.advanceTimersByTime(59 * MINUTE);
    await message.typing(3);
    expect(typingSends(harness)).toBe(1);
    expect(message.replyWindow.used).toBe(0);
  });
});

/*
 * Used-up replies do not refuse a typing notice, an expired window does: a window the platform
 * closed as used up first is still judged on the clock for a notice.
 */
describe('message.typing() after a window closed as used up', () => {
  const harnesses = useHarness();
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends while the window lasts, and is refused before any request once it has passed', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    harness.emulator.simulate.c2cMessage({ content: 'question' });
    const message = (await next()) as C2CMessage;
    harness.emulator.faults.failRoute('POST /v2/users/{openid}/messages', {
      status: 400,
      code: PlatformCode.RepliesUsedUp,
      times: 1,
    });
    await expect(message.reply('one')).rejects.toMatchObject({ code: PlatformCode.RepliesUsedUp });
    expect(message.replyWindow.closedReason()).toBe('exhausted');

    await message.typing(3);
    expect(typingSends(harness)).toBe(1);

    vi.advanceTimersByTime(61 * MINUTE);
    const refused = await message.typing(3).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ReplyWindowClosedError);
    expect(refused).toMatchObject({ reason: 'expired', scene: 'c2c' });
    expect(typingSends(harness)).toBe(1);
    // The notice's own policy still lets it through.
    await message.typing(3, { replyWindow: 'ignore' }).catch(() => undefined);
    expect(typingSends(harness)).toBe(2);
  });
});
