import { afterEach, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { BotApi, createLogger, RestClient, Token } from '@bot/http';
import { GroupMessage, ReplySequencer } from '@bot/client';

// A REST client built with `callSites: false` records no caller of its own; a model's reply()
// records its caller itself, and that must still end the stack of its failure.

describe('a reply() through a REST client without call sites of its own', () => {
  let emulator: Emulator | undefined;
  let rest: RestClient | undefined;
  afterEach(async () => {
    rest?.destroy();
    await emulator?.stop();
  });

  it.each([true, false])(
    "ends its failure's stack at the handler line that called it (callSites: %s)",
    async (callSites) => {
      emulator = await Emulator.start({ grantedIntents: 'all' });
      rest = new RestClient({
        token: new Token(emulator.appId, emulator.secret),
        baseUrl: emulator.restUrl,
        tokenUrl: emulator.tokenUrl,
        logger: createLogger('test', 7),
        callSites,
        retries: 0,
      });
      emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', { status: 400 });
      const event = emulator.simulate.groupAtMessage({ content: 'hello' });
      const message = new GroupMessage(event.d as never, {
        api: new BotApi(rest),
        replies: new ReplySequencer(),
      });
      function replyFromHandlerCode(): Promise<unknown> {
        return message.reply('pong');
      }
      const error = await replyFromHandlerCode().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).stack).toContain('replyFromHandlerCode');
    },
  );
});
