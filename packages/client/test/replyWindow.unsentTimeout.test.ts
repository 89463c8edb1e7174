import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { BotApi, createLogger, RestClient, TimeoutError, Token } from '@bot/http';
import { GroupMessage, ReplySequencer, ReplyWindow, ReplyWindowClosedError } from '@bot/client';

/*
 * docs/protocol.md §15.2: a failed reply gives its count back when it certainly reached no user.
 * A call whose time ran out before anything was sent (waiting for the access token, or for its
 * connection to open) is such a failure: the REST client says so with `mayHaveBeenSent: false`.
 * Kept, five such failures during a token endpoint outage would use up a group message's replies
 * locally, and the bot could not answer it once the outage is over.
 */
describe('a reply that timed out before anything was sent', () => {
  let emulator: Emulator | undefined;
  let tokenServer: Server | undefined;
  let rest: RestClient | undefined;
  afterEach(async () => {
    rest?.destroy();
    tokenServer?.closeAllConnections();
    await new Promise((resolve) => tokenServer?.close(resolve) ?? resolve(undefined));
    await emulator?.stop();
    emulator = tokenServer = rest = undefined;
  });

  it('gives its count back: a sixth reply after five such timeouts is still tried, not refused as exhausted', async () => {
    emulator = await Emulator.start({ grantedIntents: 'all' });
    // A token endpoint that takes the request and never answers (an outage of bots.qq.com).
    tokenServer = createServer(() => undefined);
    await new Promise<void>((resolve) => tokenServer!.listen(0, '127.0.0.1', resolve));
    const { port } = tokenServer.address() as AddressInfo;
    rest = new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: `http://127.0.0.1:${port}/app/getAppAccessToken`,
      logger: createLogger('test', 7),
      timeout: 200,
    });
    const event = emulator.simulate.groupAtMessage({ content: 'hello' });
    const message = new GroupMessage(event.d as never, {
      api: new BotApi(rest),
      replies: new ReplySequencer(),
    });

    const outcomes: unknown[] = [];
    for (let reply = 1; reply <= 6; reply++)
      outcomes.push(await message.reply(`reply ${reply}`).catch((error: unknown) => error));

    expect(outcomes.every((outcome) => outcome instanceof TimeoutError)).toBe(true);
    expect(outcomes).not.toContainEqual(expect.any(ReplyWindowClosedError));
    expect(outcomes[0]).toMatchObject({ mayHaveBeenSent: false });
    expect(message.replyWindow.used).toBe(0);
    expect(message.replyWindow.remaining).toBe(5);
    expect(
      emulator.recorder.filter((r) => r.kind === 'rest' && (r.route ?? '').includes('/messages')),
    ).toEqual([]);
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
