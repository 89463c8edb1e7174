import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  ApiError,
  BotApi,
  C2CMessage,
  Client,
  DUPLICATE_MSG_SEQ_CODE,
  GroupMessage,
  Intents,
  OpenMessageParams,
  ReplyAlreadySentError,
  ReplySequencer,
  Token,
  ValidationError,
  type ReplyNumbering,
} from '@bot/client';
import { emulatorAndApi } from './support/emulatorAndApi.js';
import { groupSends } from './support/groupSends.js';

/*
 * Two processes handling the same event (a webhook delivery sent again to a fresh process, an
 * event replayed after a resume, two instances) both reply to one message with msg_seq 1, and the
 * platform refuses the second as used (40054005). The number was new to the second process's
 * sequencer, which did not forget the message either: the message was answered elsewhere, and a
 * re-send under msg_seq 2 would show the user the same reply twice (docs/protocol.md §8.3). Each
 * process is modelled here by a message model with a sequencer of its own over one emulator.
 */

/** A group @-message the emulator published, modelled by `processes` processes of their own. */
async function groupMessageIn(
  ...numberings: ReplyNumbering[]
): Promise<{ emulator: Emulator; api: BotApi; groupOpenid: string; models: GroupMessage[] }> {
  const { emulator, api } = await emulatorAndApi();
  const event = emulator.simulate.groupAtMessage({ content: 'hello' });
  const models = numberings.map(
    (numbering) =>
      new GroupMessage(event.d as never, {
        api,
        replies: new ReplySequencer(undefined, undefined, undefined, numbering),
      }),
  );
  return { emulator, api, groupOpenid: event.d.group_openid, models };
}

describe("ReplySequencer, 'refuseTaken': a msg_seq it never used for the message, refused as used", () => {
  it('fails the reply with a ReplyAlreadySentError saying what happened and what to do; nothing more is sent', async () => {
    const { emulator, groupOpenid, models } = await groupMessageIn('refuseTaken', 'refuseTaken');
    const [first, second] = models as [GroupMessage, GroupMessage];
    await first.reply('the answer');

    const error = await second.reply('the answer').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ReplyAlreadySentError);
    expect(error).toMatchObject({
      kind: 'replyAlreadySent',
      messageId: first.id,
      msgSeq: 1,
      scene: 'group',
      refusal: { code: DUPLICATE_MSG_SEQ_CODE, status: 400 },
    });
    expect((error as Error).cause).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(
      `reply to group message ${first.id} not sent: another process or an earlier run already ` +
        'replied to it with msg_seq 1 (the platform refused the number as used, code 40054005, ' +
        `trace ${(error as ReplyAlreadySentError).refusal.traceId}, and this client had not used ` +
        'it); the event was probably delivered twice. Nothing needs doing if it was a redelivery: ' +
        'the first reply stands. If several processes reply to one message on purpose, set ' +
        'ClientBuilder.replyNumbering("skipTaken") to send under the next free number instead',
    );
    // Nothing was sent by the call, but the refused number holds the first process's reply,
    // one of the message's 5: the window counts it.
    expect(second.replyWindow.used).toBe(1);
    expect(groupSends(emulator, groupOpenid)).toEqual({
      posted: ['the answer'],
      sends: [
        [1, 200],
        [1, 400],
      ],
    });
  });

  it('refuses each number the other process used, then sends under the first free one', async () => {
    const { emulator, groupOpenid, models } = await groupMessageIn('refuseTaken', 'refuseTaken');
    const [first, second] = models as [GroupMessage, GroupMessage];
    await first.reply('first #1');
    await first.reply('first #2');

    await expect(second.reply('second #1')).rejects.toMatchObject({ msgSeq: 1 });
    await expect(second.reply('second #2')).rejects.toMatchObject({ msgSeq: 2 });
    // A reply the handler chooses to send after the refusals goes out under a number of its own.
    await expect(second.reply('second #3')).resolves.toMatchObject({ id: expect.any(String) });
    expect(groupSends(emulator, groupOpenid).posted).toEqual(['first #1', 'first #2', 'second #3']);
  });

  it('names the C2C scene, read off the refused route', async () => {
    const { emulator, api } = await emulatorAndApi();
    const event = emulator.simulate.c2cMessage({ content: 'hello' });
    const [first, second] = [0, 1].map(
      () =>
        new C2CMessage(event.d as never, {
          api,
          replies: new ReplySequencer(undefined, undefined, undefined, 'refuseTaken'),
        }),
    ) as [C2CMessage, C2CMessage];
    await first.reply('the answer');
    await expect(second.reply('the answer')).rejects.toMatchObject({
      kind: 'replyAlreadySent',
      scene: 'c2c',
      msgSeq: 1,
    });
  });

  it('takes a number used through the API directly for another process’s reply too', async () => {
    const { api, groupOpenid, models } = await groupMessageIn('refuseTaken');
    const [message] = models as [GroupMessage];
    await api.groups.send(
      groupOpenid,
      OpenMessageParams.text('elsewhere').withReply(message.id).withMsgSeq(1),
    );
    await expect(message.reply('mine')).rejects.toBeInstanceOf(ReplyAlreadySentError);
  });

  it('still skips the numbers of a message it forgot past its capacity, which may be its own', async () => {
    const { emulator, api } = await emulatorAndApi();
    // Capacity 1 stands in for the client's 20,000; no logger, so the record is kept without one.
    const replies = new ReplySequencer(1, undefined, undefined, 'refuseTaken');
    const reply = (to: { d: { id: string; group_openid: string } }, text: string) =>
      replies.send(to.d.id, (msgSeq) =>
        api.groups.send(
          to.d.group_openid,
          OpenMessageParams.text(text).withReply(to.d.id).withMsgSeq(msgSeq),
        ),
      );
    const first = emulator.simulate.groupAtMessage({ content: 'first' });
    await reply(first, 'first #1');
    await reply(first, 'first #2');
    await reply(emulator.simulate.groupAtMessage({ content: 'other' }), 'other');

    await expect(reply(first, 'first #3')).resolves.toMatchObject({ id: expect.any(String) });
    expect(groupSends(emulator, first.d.group_openid).posted).toEqual([
      'first #1',
      'first #2',
      'other',
      'first #3',
    ]);
  });
});

describe("ReplySequencer, 'skipTaken'", () => {
  it("sends the second process's reply again under the next free number", async () => {
    const { emulator, groupOpenid, models } = await groupMessageIn('refuseTaken', 'skipTaken');
    const [first, second] = models as [GroupMessage, GroupMessage];
    await first.reply('first');

    await expect(second.reply('second')).resolves.toMatchObject({ id: expect.any(String) });
    expect(groupSends(emulator, groupOpenid)).toEqual({
      posted: ['first', 'second'],
      sends: [
        [1, 200],
        [1, 400],
        [2, 200],
      ],
    });
  });
});

describe('the reply numbering setting', () => {
  it('refuses a numbering it does not know, in the sequencer and on the builder', () => {
    expect(() => new ReplySequencer(undefined, undefined, undefined, 'skip' as never)).toThrow(
      new ValidationError('numbering', 'must be "refuseTaken" or "skipTaken", got skip'),
    );
    const builder = Client.builder(new Token('1', 'secret'), Intents.all());
    expect(builder.getReplyNumbering()).toBe('refuseTaken');
    expect(builder.replyNumbering('skipTaken').getReplyNumbering()).toBe('skipTaken');
    expect(() => builder.replyNumbering('refuse' as never)).toThrow(
      'replyNumbering must be "refuseTaken" or "skipTaken", got refuse',
    );
  });
});
