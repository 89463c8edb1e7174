import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, PlatformCode, ReplyWindowClosedError, type GroupMessage } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

/*
 * What the testing README tells a bot's author about ageing a message in a test: the client judges
 * a reply window on the wall clock and on the steady clock, so moving Date alone leaves the window
 * open to the client and the platform (here the emulator, which counts windows on the wall clock)
 * refuses the reply instead.
 */
describe('ageing a message in a test', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await harness?.stop();
    harness = undefined;
  });

  /** Starts a client on the emulator and hands back the next group message it receives. */
  async function nextGroupMessage(): Promise<GroupMessage> {
    let received!: (message: GroupMessage) => void;
    const inbound = new Promise<GroupMessage>((resolve) => (received = resolve));
    harness = await startHarness([{ groupMessageCreate: (_ctx, message) => received(message) }]);
    harness.emulator.simulate.groupAtMessage({ content: 'hi' });
    return inbound;
  }

  it('with only Date faked, a late reply is sent and the platform refuses it (ApiError 40034005)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const message = await nextGroupMessage();
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1);
    expect(message.replyWindow.closedReason()).toBeUndefined();
    const error = await message.reply('too late').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: PlatformCode.ReplyExpired });
  });

  it('with Date and performance faked and advanced, the client refuses it first, sending nothing', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const message = await nextGroupMessage();
    vi.advanceTimersByTime(5 * 60_000 + 1);
    expect(message.replyWindow.closedReason()).toBe('expired');
    await expect(message.reply('too late')).rejects.toBeInstanceOf(ReplyWindowClosedError);
    const sends = harness!.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
    );
    expect(sends).toEqual([]);
  });
});
