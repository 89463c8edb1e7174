import { describe, expect, it } from 'vitest';
import { steadyNow } from '@bot/core';
import { callSiteOf, type UploadedMedia } from '@bot/http';
import { uploadThenReply } from '../src/models/OpenChatMessage.js';
import { REPLY_RULES } from '../src/models/reply/replyRules.js';
import { ReplyWindow } from '../src/models/reply/ReplyWindow.js';

const site = callSiteOf(uploadThenReply as never);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An upload that answers after `ms` milliseconds. */
function uploadTaking(ms: number): () => Promise<UploadedMedia> {
  return async () => {
    await sleep(ms);
    return { file_info: 'info', file_uuid: '', ttl: 0, reused: false, method: 'plain' };
  };
}

describe('uploadThenReply: the window checked again after the upload', () => {
  it('a window that expires during the upload refuses the reply after it and gives the count back', async () => {
    const now = Date.now();
    const windowMs = REPLY_RULES.group.windowMs;
    // Opened so that it closes 30 ms from now on both clocks; the upload takes 80 ms.
    const window = new ReplyWindow('group', 'M', now - windowMs + 30, { wall: now, steady: steadyNow() });
    let replied = false;
    const sending = uploadThenReply(
      site,
      window,
      'enforce',
      uploadTaking(80),
      async () => {
        replied = true;
        return 1;
      },
      () => undefined,
    );
    expect(window.used).toBe(1);
    const error = await sending.catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('ReplyWindowClosedError');
    expect((error as { reason: string }).reason).toBe('expired');
    expect(replied).toBe(false);
    expect(window.used).toBe(0);
  });

  it('the media counted from the call still goes when a fifth reply was counted during the upload', async () => {
    const window = new ReplyWindow('group', 'M');
    const sending = uploadThenReply(
      site,
      window,
      'enforce',
      uploadTaking(10),
      async () => 'sent',
      () => undefined,
    );
    for (let i = 0; i < 4; i++) window.reserve('enforce');
    // The media holds the fifth place: a sixth is refused, the media is not.
    expect(() => window.reserve('enforce')).toThrow();
    await expect(sending).resolves.toBe('sent');
  });
});
