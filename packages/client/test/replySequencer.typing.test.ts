import { describe, expect, it } from 'vitest';
import { ApiError, DUPLICATE_MSG_SEQ_CODE } from '@bot/http';
import { ReplySequencer } from '../src/models/ReplySequencer.js';

/** A platform that refuses a `msg_seq` already used for the message, as the real one does. */
function platform(): { used: Set<number>; send: (msgSeq: number) => Promise<number> } {
  const used = new Set<number>();
  return {
    used,
    send: async (msgSeq) => {
      if (used.has(msgSeq))
        throw new ApiError({
          status: 400,
          code: DUPLICATE_MSG_SEQ_CODE,
          errCode: undefined,
          message: 'duplicate msg_seq',
          traceId: undefined,
          method: 'POST',
          route: '/v2/users/{openid}/messages',
        });
      used.add(msgSeq);
      return msgSeq;
    },
  };
}

describe('ReplySequencer typing notices', () => {
  it('numbers typing notices apart from replies, so a reply after the message was forgotten still finds a free number', async () => {
    // Capacity 1: a second message makes the sequencer forget the first inside its window.
    const replies = new ReplySequencer(1);
    const first = platform();
    for (let n = 0; n < 6; n++) await replies.sendTyping('m1', first.send);
    await replies.send('m1', first.send);
    await replies.send('m2', async () => 1);

    // Forgotten: the reply numbers from 1 again and skips the one reply number used.
    await expect(replies.send('m1', first.send)).resolves.toBe(2);
    for (let n = 3; n <= 5; n++) await expect(replies.send('m1', first.send)).resolves.toBe(n);
  });

  it('keeps a typing notice of a message off the numbers its replies take', async () => {
    const replies = new ReplySequencer();
    const taken = platform();
    const typing = await replies.sendTyping('m1', taken.send);
    const reply = await replies.send('m1', taken.send);
    expect(reply).toBe(1);
    expect(typing).toBeGreaterThan(5);
    await expect(replies.sendTyping('m1', taken.send)).resolves.toBe(typing + 1);
  });
});
