import { afterEach, describe, expect, it } from 'vitest';
import {
  DUPLICATE_MSG_SEQ_CODE,
  DuplicateSendError,
  OpenMessageParams,
  type C2CMessage,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Message,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

describe('replies through the emulator', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('two replies to one group message both succeed, numbered by msg_seq', async () => {
    const results: unknown[] = [];
    const bot: EventHandler = {
      async groupMessageCreate(_ctx: Context, message: GroupMessage) {
        results.push(await message.reply(`first: ${message.cleanContent}`));
        results.push(await message.reply('second'));
      },
    };
    harness = await startHarness([bot]);
    const event = harness.emulator.simulate.groupAtMessage({ content: 'hello' });
    const sends = await harness.emulator.recorder.waitForCount(
      (r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'),
      2,
    );
    expect(sends.map((r) => (r.kind === 'rest' ? r.status : 0))).toEqual([200, 200]);
    expect(
      sends.map((r) => (r.kind === 'rest' ? (r.body as { msg_seq: number; msg_id: string }) : undefined)),
    ).toEqual([
      expect.objectContaining({ msg_seq: 1, msg_id: event.d.id, content: 'first: hello' }),
      expect.objectContaining({ msg_seq: 2, msg_id: event.d.id, content: 'second' }),
    ]);
    await harness.client.idle();
    expect(results).toHaveLength(2);
  });

  it('posts a reply once when its first attempt landed but was answered 500: the re-send refused as a duplicate rejects with DuplicateSendError', async () => {
    const outcomes: unknown[] = [];
    const bot: EventHandler = {
      async groupMessageCreate(_ctx: Context, message: GroupMessage) {
        outcomes.push(await message.reply('only once').catch((error: unknown) => error));
      },
    };
    harness = await startHarness([bot]);
    harness.emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', {
      status: 500,
      afterHandling: true,
    });
    const event = harness.emulator.simulate.groupAtMessage({ content: 'hello' });
    await harness.emulator.recorder.waitForCount(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
      2,
    );
    await harness.client.idle();

    expect(outcomes).toEqual([expect.any(DuplicateSendError)]);
    expect(outcomes[0]).toMatchObject({ attempt: 2, refusal: { code: DUPLICATE_MSG_SEQ_CODE } });
    const posted = harness.emulator.world.messages
      .inConversation('group', event.d.group_openid)
      .filter((m) => m.fromBot);
    expect(posted.map((m) => m.content)).toEqual(['only once']);
    const sends = harness.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
    );
    expect(sends.map((r) => (r.kind === 'rest' ? (r.body as { msg_seq: number }).msg_seq : 0))).toEqual([
      1, 1,
    ]);
  });

  it("with replyNumbering('skipTaken'), skips to the next msg_seq when another sender took the number first", async () => {
    const outcomes: unknown[] = [];
    const bot: EventHandler = {
      async groupMessageCreate(ctx: Context, message: GroupMessage) {
        // Another process replying to the same message takes msg_seq 1 first.
        await ctx.api.groups.send(
          message.groupOpenid,
          OpenMessageParams.text('from elsewhere').withReply(message.id).withMsgSeq(1),
        );
        outcomes.push(await message.reply('mine'));
      },
    };
    harness = await startHarness([bot], (builder) => builder.replyNumbering('skipTaken'));
    const event = harness.emulator.simulate.groupAtMessage({ content: 'hello' });
    await harness.emulator.recorder.waitForCount(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
      3,
    );
    await harness.client.idle();

    expect(outcomes).toEqual([expect.objectContaining({ id: expect.any(String) })]);
    const posted = harness.emulator.world.messages
      .inConversation('group', event.d.group_openid)
      .filter((m) => m.fromBot);
    expect(posted.map((m) => m.content)).toEqual(['from elsewhere', 'mine']);
    const sends = harness.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
    );
    expect(
      sends.map((r) => (r.kind === 'rest' ? [(r.body as { msg_seq: number }).msg_seq, r.status] : [])),
    ).toEqual([
      [1, 200],
      [1, 400],
      [2, 200],
    ]);
  });

  it('replies to guild @-messages and C2C messages', async () => {
    const bot: EventHandler = {
      async messageCreate(_ctx: Context, message: Message) {
        if (message.cleanContent === '!ping') await message.reply('Pong!');
      },
      async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
        await message.reply(`echo ${message.content}`);
      },
    };
    harness = await startHarness([bot]);
    harness.emulator.simulate.guildAtMessage({ content: '!ping' });
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    const guildReply = await harness.emulator.recorder.waitFor(
      (r) => r.kind === 'rest' && r.route === 'POST /channels/{channel_id}/messages',
    );
    const c2cReply = await harness.emulator.recorder.waitFor(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/users/{openid}/messages',
    );
    expect(guildReply).toMatchObject({ status: 200, body: expect.objectContaining({ content: 'Pong!' }) });
    expect(c2cReply).toMatchObject({
      status: 200,
      body: expect.objectContaining({ content: 'echo hi', msg_seq: 1 }),
    });
  });
});
