import { describe, expect, it } from 'vitest';
import { ApiError, OpenMessageParams, RichContentFallbackError } from '@bot/http';
import { ReplyWindow } from '@bot/client';
import { useGroupMessageOverRest } from './support/groupMessageOverRest.js';

const ROUTE = 'POST /v2/groups/{group_openid}/messages';

/*
 * With the rich-content fallback (docs/protocol.md §11.2), a markdown reply the platform refuses
 * for the bot's permissions is re-sent as plain text; when that fails too, the reply is a
 * RichContentFallbackError whose `mayHaveBeenSent` says whether the plain text may have been
 * posted. When it certainly was not, the reply reached no user and gives its count back (§15.2).
 */
describe('a reply whose rich-content fallback failed too', () => {
  const setup = useGroupMessageOverRest();

  it('gives its count back when neither the markdown nor the plain text was posted', async () => {
    const { emulator, message, groupOpenid } = await setup.start({ rest: { richContentFallback: true } });
    // Markdown in replies not granted (304041), then the plain text refused as well.
    emulator.faults.failRoute(ROUTE, {
      status: 400,
      code: 304041,
      message: 'reply message not allow markdown',
    });
    emulator.faults.failRoute(ROUTE, { status: 400, code: 304003, message: 'url not allowed' });

    const outcome = await message
      .reply(OpenMessageParams.markdown('**hi**'))
      .catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(RichContentFallbackError);
    expect(outcome).toMatchObject({ mayHaveBeenSent: false });
    expect(emulator.world.messages.inConversation('group', groupOpenid).filter((m) => m.fromBot)).toEqual([]);
    expect(message.replyWindow.used).toBe(0);
  });

  it('keeps the count when the plain text may have been posted', () => {
    const refusal = new ApiError({
      status: 400,
      code: 304041,
      errCode: undefined,
      message: 'refused',
      traceId: undefined,
      method: 'POST',
      route: ROUTE,
    });
    const after = (error: RichContentFallbackError): number => {
      const window = new ReplyWindow('group', 'm');
      window.reserve('enforce');
      window.settle(error);
      return window.used;
    };
    expect(after(new RichContentFallbackError(refusal, new Error('socket hang up'), true))).toBe(1);
    expect(after(new RichContentFallbackError(refusal, refusal, false))).toBe(0);
  });
});
