import { describe, expect, it } from 'vitest';
import { TimeoutError } from '@bot/http';
import { ReplyWindow, ReplyWindowClosedError } from '@bot/client';
import { messageSends, useGroupMessageOverRest } from './support/groupMessageOverRest.js';

/*
 * docs/protocol.md §15.2: a failed reply gives its count back when it certainly reached no user.
 * A call whose time ran out before anything was sent (waiting for the access token, or for its
 * connection to open) is such a failure: the REST client says so with `mayHaveBeenSent: false`.
 * Kept, five such failures during a token endpoint outage would use up a group message's replies
 * locally, and the bot could not answer it once the outage is over.
 */
describe('a reply that timed out before anything was sent', () => {
  const setup = useGroupMessageOverRest();

  it('gives its count back: a sixth reply after five such timeouts is still tried, not refused as exhausted', async () => {
    // A token endpoint that takes the request and never answers (an outage of bots.qq.com).
    const { emulator, message } = await setup.start({
      tokenEndpoint: () => undefined,
      rest: { timeout: 200 },
    });

    const outcomes: unknown[] = [];
    for (let reply = 1; reply <= 6; reply++)
      outcomes.push(await message.reply(`reply ${reply}`).catch((error: unknown) => error));

    expect(outcomes.every((outcome) => outcome instanceof TimeoutError)).toBe(true);
    expect(outcomes).not.toContainEqual(expect.any(ReplyWindowClosedError));
    expect(outcomes[0]).toMatchObject({ mayHaveBeenSent: false });
    expect(message.replyWindow.used).toBe(0);
    expect(message.replyWindow.remaining).toBe(5);
    expect(messageSends(emulator)).toEqual([]);
  });

  it('gives the count back for a TimeoutError saying nothing was sent, and keeps it for one that may have been', () => {
    const after = (error: TimeoutError): number => {
      const window = new ReplyWindow('group', 'm');
      window.reserve('enforce');
      window.settle(error);
      return window.used;
    };
    expect(after(new TimeoutError('POST', '/v2/groups/{group_openid}/messages', 15_000, false))).toBe(0);
    expect(after(new TimeoutError('POST', '/v2/groups/{group_openid}/messages', 15_000))).toBe(1);
  });
});
