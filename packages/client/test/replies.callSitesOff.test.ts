import { describe, expect, it } from 'vitest';
import { useGroupMessageOverRest } from './support/groupMessageOverRest.js';

// A REST client built with `callSites: false` records no caller of its own; a model's reply()
// records its caller itself, and that must still end the stack of its failure.

describe('a reply() through a REST client without call sites of its own', () => {
  const setup = useGroupMessageOverRest();

  it.each([true, false])(
    "ends its failure's stack at the handler line that called it (callSites: %s)",
    async (callSites) => {
      const { emulator, message } = await setup.start({ rest: { callSites, retries: 0 } });
      emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', { status: 400 });
      function replyFromHandlerCode(): Promise<unknown> {
        return message.reply('pong');
      }
      const error = await replyFromHandlerCode().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).stack).toContain('replyFromHandlerCode');
    },
  );
});
