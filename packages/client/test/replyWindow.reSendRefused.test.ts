import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, NetworkError, RateLimitedError } from '@bot/http';
import { ReplyWindow, type Context, type EventHandler, type GroupMessage } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

const ROUTE = 'POST /v2/groups/{group_openid}/messages';

/*
 * docs/protocol.md §15.2: a failed reply gives its count back only when it certainly reached no
 * user. A refusal (or a failure before sending) of a re-send says nothing of the attempt before
 * it: when that one may have landed (a 5xx, a timeout, a connection lost after sending), the REST
 * client says so with `mayHaveBeenSent`, and the reply may have been delivered.
 */
describe('a reply whose re-send is refused after an attempt that may have landed', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('keeps its count: the window counts the message the platform posted', async () => {
    const outcomes: unknown[] = [];
    let replied: GroupMessage | undefined;
    const bot: EventHandler = {
      async groupMessageCreate(_ctx: Context, message: GroupMessage) {
        replied = message;
        outcomes.push(await message.reply('once').catch((error: unknown) => error));
      },
    };
    harness = await startHarness([bot]);
    // The first attempt is posted but answered 500; the re-send is refused before anything happens.
    harness.emulator.faults.failRoute(ROUTE, { status: 500, afterHandling: true });
    harness.emulator.faults.failRoute(ROUTE, { status: 400, code: 304003, message: 'url not allowed' });
    const event = harness.emulator.simulate.groupAtMessage({ content: 'hello' });
    await harness.emulator.recorder.waitForCount((r) => r.kind === 'rest' && r.route === ROUTE, 2);
    await harness.client.idle();

    expect(outcomes).toEqual([expect.any(ApiError)]);
    expect(outcomes[0]).toMatchObject({ status: 400, code: 304003, mayHaveBeenSent: true });
    const posted = harness.emulator.world.messages
      .inConversation('group', event.d.group_openid)
      .filter((m) => m.fromBot);
    expect(posted).toHaveLength(1);
    // One of the message's 5 replies is used, as the platform counts it.
    expect(replied!.replyWindow.used).toBe(1);
    expect(replied!.replyWindow.remaining).toBe(4);
  });

  it.each([
    [
      'a refusal',
      new ApiError({
        status: 400,
        code: 304003,
        errCode: undefined,
        message: 'refused',
        traceId: undefined,
        method: 'POST',
        route: ROUTE,
        mayHaveBeenSent: true,
      }),
    ],
    [
      'a rate limit given up on',
      new RateLimitedError('POST', ROUTE, 1000, 22009, undefined, 'retries', true),
    ],
    [
      'a failure before the re-send left',
      new NetworkError('POST', ROUTE, 'ECONNREFUSED', undefined, undefined, true),
    ],
  ])('%s of a re-send keeps the count when an earlier attempt may have landed', (_name, error) => {
    const window = new ReplyWindow('group', 'm');
    window.reserve('enforce');
    window.settle(error);
    expect(window.used).toBe(1);
  });
});
