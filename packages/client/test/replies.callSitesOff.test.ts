import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '@bot/http';
import { startHarness, type Harness } from './support/harness.js';
import { useGroupMessageOverRest } from './support/groupMessageOverRest.js';

// A REST client records no call site per request unless built with `callSites: true`; a model's
// reply() records its caller itself, and that must still end the stack of its failure.

describe('a reply() through a REST client without call sites of its own', () => {
  const setup = useGroupMessageOverRest();

  it.each([
    ['true', { callSites: true }],
    ['false', { callSites: false }],
    ['not set', {}],
  ])("ends its failure's stack at the handler line that called it (callSites: %s)", async (_, callSites) => {
    const { emulator, message } = await setup.start({ rest: { ...callSites, retries: 0 } });
    emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', { status: 400 });
    function replyFromHandlerCode(): Promise<unknown> {
      return message.reply('pong');
    }
    const error = await replyFromHandlerCode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).stack).toContain('replyFromHandlerCode');
  });
});

describe("a request through ctx.api, the client's own BotApi", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it("ends its failure's stack at the handler's function that awaits it", async () => {
    let settle!: (error: unknown) => void;
    const failure = new Promise<unknown>((resolve) => (settle = resolve));
    harness = await startHarness([
      {
        messageCreate: async (ctx, message) => {
          async function recallFromHandlerCode(): Promise<unknown> {
            return await ctx.api.messages.recall(message.channelId, message.id);
          }
          settle(await recallFromHandlerCode().catch((e: unknown) => e));
        },
      },
    ]);
    harness.emulator.faults.failRoute('DELETE /channels/{channel_id}/messages/{message_id}', { status: 400 });
    harness.emulator.simulate.guildAtMessage({ content: 'hello' });

    const error = await failure;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).stack).toMatch(/\n\s+at (async )?recallFromHandlerCode \(/);
  });
});
