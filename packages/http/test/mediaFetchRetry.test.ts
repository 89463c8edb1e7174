import { describe, expect, it } from 'vitest';
import { ApiError, PlatformCode } from '@bot/http';
import { MEDIA_FETCH_RETRIES, retriesRefusal } from '../src/rest/retryRules.js';

const refusal = (code: number) =>
  new ApiError({
    status: 400,
    code,
    errCode: undefined,
    message: 'refused',
    traceId: undefined,
    method: 'POST',
    route: '/v2/groups/{group_openid}/messages',
  });

describe('retriesRefusal', () => {
  it.each([
    ['304082 with retries left', PlatformCode.MediaUploadFailed, 0, true, true],
    ['304083 with retries left', PlatformCode.MediaConvertFailed, 1, true, true],
    [
      '304082 after the media re-sends are spent',
      PlatformCode.MediaUploadFailed,
      MEDIA_FETCH_RETRIES,
      true,
      false,
    ],
    ['304082 when the call has no retries left', PlatformCode.MediaUploadFailed, 0, false, false],
    ['another refusal (50006)', PlatformCode.EmptyMessage, 0, true, false],
    ['a duplicate msg_seq (40054005): never re-sent here', PlatformCode.DuplicateMsgSeq, 0, true, false],
  ])('%s', (_name, code, used, retriesLeft, expected) => {
    expect(retriesRefusal(refusal(code), used, retriesLeft)).toBe(expected);
  });
});
