import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, ReplyStreamError, ReplyWindowClosedError, type C2CMessage } from '@bot/client';
import { useHarness, type Harness } from './support/harness.js';
import { capture } from './support/replyCapture.js';

const C2C_SEND = 'POST /v2/users/{openid}/messages';
const C2C_STREAM = 'POST /v2/users/{openid}/stream_messages';
/** The platform's "reply expired" code (docs/protocol.md §15.2). */
const REPLY_EXPIRED = 40034005;
const NOW = Date.parse('2026-03-01T08:00:00Z');

/** Requests the bot made to a route template, as the emulator recorded them. */
function requestsTo(harness: Harness, route: string): number {
  return harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.route === route).length;
}

/*
 * The platform is the authority on a reply window (docs/protocol.md §15.2): once it refuses a
 * reply as expired, the window reads closed here, whatever the local clock says, and the error of
 * the next reply tells what happened, not the local estimate of the window's end.
 */
describe('a reply window the platform closed', () => {
  const harnesses = useHarness();
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the next reply's ReplyWindowClosedError says the platform refused a reply as expired, and when, not a close time still ahead", async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    vi.setSystemTime(NOW);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    const message = (await next()) as C2CMessage;
    harness.emulator.faults.failRoute(C2C_SEND, { status: 400, code: REPLY_EXPIRED, times: 1 });
    await expect(message.reply('x')).rejects.toBeInstanceOf(ApiError);

    const error = await message.reply('y').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplyWindowClosedError);
    expect(error).toMatchObject({ reason: 'expired', refusedAt: new Date(NOW) });
    const text = (error as Error).message;
    expect(text).toContain(`the platform refused a reply to it as expired at ${new Date(NOW).toISOString()}`);
    // The local estimate is an hour ahead: the message must not claim the window closed then.
    expect(text).not.toContain(message.replyWindow.expiresAt.toISOString());
    expect(requestsTo(harness, C2C_SEND)).toBe(1);
  });

  it('a later stream frame refused as expired closes the window, as a refused first frame or reply() does', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    const message = (await next()) as C2CMessage;
    const stream = message.replyStream({ intervalMs: 300 });
    stream.write('first ');
    await expect.poll(() => stream.index, { timeout: 5000 }).toBe(1);
    // The next frame and the closing frame are refused.
    harness.emulator.faults.failRoute(C2C_STREAM, { status: 400, code: REPLY_EXPIRED, times: 2 });
    stream.write('second');
    const failed = await stream.end().catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(ReplyStreamError);
    expect((failed as ReplyStreamError).cause).toMatchObject({ code: REPLY_EXPIRED });

    expect(message.replyWindow.closedReason()).toBe('expired');
    expect(message.replyWindow.used).toBe(1);
    const sendsBefore = requestsTo(harness, C2C_SEND);
    await expect(message.reply('after')).rejects.toBeInstanceOf(ReplyWindowClosedError);
    expect(requestsTo(harness, C2C_SEND)).toBe(sendsBefore);
  });
});
