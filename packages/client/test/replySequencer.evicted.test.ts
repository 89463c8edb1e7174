import { afterEach, describe, expect, it } from 'vitest';
import { OpenMessageParams } from '@bot/client';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import { startHarness, type Harness } from './support/harness.js';

/*
 * Past its capacity the sequencer forgets the numbers of a message still inside its reply window,
 * and its next reply starts again at msg_seq 1, which the platform refuses as used (40054005).
 * Skipping ahead as often as the scene allows replies still reaches a free number.
 */
describe('ReplySequencer past its capacity', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('a reply to a message whose number was evicted still goes out as its 4th reply, and its 5th', async () => {
    harness = await startHarness([{ groupMessageCreate: () => undefined }]);
    const { emulator, client } = harness;
    // Capacity 3 stands in for the client's 20,000.
    const replies = new ReplySequencer(3);
    const reply = (to: { id: string; d: { id: string; group_openid: string } }, text: string) =>
      replies.send(to.d.id, (msgSeq) =>
        client.api.groups.send(
          to.d.group_openid,
          OpenMessageParams.text(text).withReply(to.d.id).withMsgSeq(msgSeq),
        ),
      );

    const first = emulator.simulate.groupAtMessage({ content: 'first' });
    for (const n of [1, 2, 3]) await reply(first, `first #${n}`);
    for (const content of ['b', 'c', 'd'])
      await reply(emulator.simulate.groupAtMessage({ content }), content);
    expect(replies.size).toBe(3);

    await expect(reply(first, 'first #4')).resolves.toMatchObject({ id: expect.any(String) });
    // Forgotten again: the 5th and last reply skips all four numbers used.
    for (const content of ['e', 'f', 'g'])
      await reply(emulator.simulate.groupAtMessage({ content }), content);
    await expect(reply(first, 'first #5')).resolves.toMatchObject({ id: expect.any(String) });
    const posted = emulator.world.messages
      .inConversation('group', first.d.group_openid)
      .filter((message) => message.fromBot)
      .map((message) => message.content);
    expect(posted.filter((text) => text.startsWith('first'))).toEqual([
      'first #1',
      'first #2',
      'first #3',
      'first #4',
      'first #5',
    ]);
  });
});
