import { afterEach, describe, expect, it } from 'vitest';
import type { C2CMessage, Context, EventHandler, GroupMessage, Message } from '@bot/client';
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
