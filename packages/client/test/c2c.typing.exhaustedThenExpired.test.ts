import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlatformCode, ReplyWindowClosedError, type C2CMessage } from '@bot/client';
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
