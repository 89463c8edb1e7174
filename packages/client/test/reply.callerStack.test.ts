import { afterEach, describe, expect, it } from 'vitest';
import type { Context, EventHandler, GroupMessage, Message } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

// A reply goes through the model, its reply window, its sequence and the API before the REST
// client sends it; a failure in a later turn must still show the handler's line that replied.

describe('a failed reply shows the code that replied', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function failedReply(
    route: string,
    simulate: (harness: Harness) => void,
    handler: (record: (failure: unknown) => void) => EventHandler,
  ): Promise<unknown> {
    let failure: unknown;
    harness = await startHarness([handler((error) => (failure = error))]);
    harness.emulator.faults.failRoute(route, { status: 400 });
    simulate(harness);
    await harness.emulator.recorder.waitForCount(
      (record) => record.kind === 'rest' && record.path.endsWith('/messages'),
      1,
    );
    await harness.client.idle();
    return failure;
  }

  it('a failed message.reply() in a group names the function that replied', async () => {
    function replyFromUserCode(message: GroupMessage): Promise<unknown> {
      return message.reply('hi');
    }
    const failure = await failedReply(
      'POST /v2/groups/{group_openid}/messages',
      (h) => h.emulator.simulate.groupAtMessage({ content: 'hello' }),
      (record) => ({
        async groupMessageCreate(_ctx: Context, message: GroupMessage) {
          await replyFromUserCode(message).catch(record);
        },
      }),
    );
    expect((failure as Error).stack).toMatch(/\n\s+at replyFromUserCode /);
  });

  it('a failed message.reply() in a guild channel names the function that replied', async () => {
    function replyFromUserCode(message: Message): Promise<unknown> {
      return message.reply('hi');
    }
    const failure = await failedReply(
      'POST /channels/{channel_id}/messages',
      (h) => h.emulator.simulate.guildAtMessage({ content: 'hello' }),
      (record) => ({
        async messageCreate(_ctx: Context, message: Message) {
          await replyFromUserCode(message).catch(record);
        },
      }),
    );
    expect((failure as Error).stack).toMatch(/\n\s+at replyFromUserCode /);
  });
});
