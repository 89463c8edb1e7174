import { describe, expect, it } from 'vitest';
import { GroupMessage, ReplyAlreadySentError, ReplySequencer, ReplyWindowClosedError } from '@bot/client';
import { emulatorAndApi } from './support/emulatorAndApi.js';
import { groupSends } from './support/groupSends.js';

/*
 * Another process replied to a group message under msg_seq 1 (the same event handled twice).
 * This client's first reply is refused with that number (ReplyAlreadySentError): the reply that
 * holds it is one of the message's 5, so the window counts it, and the client's own fifth reply,
 * the sixth in all, is refused here rather than sent to be refused by the platform (40034128).
 */
describe('a reply number another process used counts toward the window', () => {
  it('after a ReplyAlreadySentError, 4 own replies use the window up and the 5th is a ReplyWindowClosedError, unsent', async () => {
    const { emulator, api } = await emulatorAndApi();
    const event = emulator.simulate.groupAtMessage({ content: 'hello' });
    // Two processes, each with a reply numbering of its own.
    const [elsewhere, here] = [1, 2].map(
      () => new GroupMessage(event.d as never, { api, replies: new ReplySequencer() }),
    ) as [GroupMessage, GroupMessage];
    await elsewhere.reply('from the other process');

    await expect(here.reply('first try')).rejects.toBeInstanceOf(ReplyAlreadySentError);
    expect(here.replyWindow.used).toBe(1);
    expect(here.replyWindow.remaining).toBe(4);
    for (let n = 1; n <= 4; n++) await here.reply(`own ${n}`);
    expect(here.replyWindow.remaining).toBe(0);

    const fifth = await here.reply('own 5').catch((error: unknown) => error);
    expect(fifth).toBeInstanceOf(ReplyWindowClosedError);
    expect(fifth).toMatchObject({ reason: 'exhausted', limit: 5 });
    expect(groupSends(emulator, event.d.group_openid).sends).toEqual([
      [1, 200],
      [1, 400],
      [2, 200],
      [3, 200],
      [4, 200],
      [5, 200],
    ]);
  });
});
