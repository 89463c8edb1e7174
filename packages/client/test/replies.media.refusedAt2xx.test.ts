import { describe, expect, it } from 'vitest';
import { ApiError, callSiteOf, type UploadedMedia } from '@bot/http';
import { uploadThenReply } from '../src/models/OpenChatMessage.js';
import { ReplyWindow } from '../src/models/reply/ReplyWindow.js';

// A reused file_info the platform refuses is forgotten, so the next reply uploads the bytes
// again. The platform may refuse with a 4xx or with a 2xx carrying its error body (857d6a5 makes
// that an ApiError with the 2xx status): both are refusals.

const REUSED: UploadedMedia = { file_uuid: 'u', file_info: 'FI-1', ttl: 3600, reused: true, method: 'plain' };

function refusal(status: number): ApiError {
  return new ApiError({
    status,
    code: 40034010,
    errCode: undefined,
    message: 'file_info invalid',
    traceId: undefined,
    method: 'POST',
    route: '/v2/groups/{group_openid}/messages',
  });
}

async function forgottenAfter(error: ApiError): Promise<string[]> {
  const forgotten: string[] = [];
  const sending = uploadThenReply(
    callSiteOf(forgottenAfter),
    new ReplyWindow('group', 'm1'),
    'enforce',
    () => Promise.resolve(REUSED),
    () => Promise.reject(error),
    (fileInfo) => forgotten.push(fileInfo),
  );
  await expect(sending).rejects.toBe(error);
  return forgotten;
}

describe('a reused file_info refused by the platform', () => {
  it.each([400, 200, 202])('is forgotten when refused with status %i', async (status) => {
    expect(await forgottenAfter(refusal(status))).toEqual(['FI-1']);
  });

  it.each([429, 500, 503])('is kept when the answer was %i (not a refusal of the file)', async (status) => {
    expect(await forgottenAfter(refusal(status))).toEqual([]);
  });
});
