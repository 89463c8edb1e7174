import { describe, expect, it } from 'vitest';
import * as http from '@bot/http';
import {
  ApiError,
  BotError,
  DuplicateSendError,
  MediaUploadError,
  RichContentFallbackError,
} from '@bot/http';

// A caller deciding whether to send again reads `mayHaveBeenSent` on whatever a send threw, so every
// error a request can end in must set it to a boolean. Each exported error class is either built
// here as a send would build it, or named with the reason it never ends a request that went out.

const refusal = new ApiError({
  method: 'POST',
  route: '/v2/groups/{group_openid}/messages',
  status: 400,
  code: 40054005,
  errCode: undefined,
  message: 'duplicate msg_seq',
  traceId: undefined,
});

const SEND_ERRORS: Record<string, () => Error> = {
  ApiError: () => refusal,
  AbortedAfterSendError: () =>
    new http.AbortedAfterSendError('POST', '/channels/{channel_id}/messages', 'stop'),
  ClientDestroyedError: () => new http.ClientDestroyedError('POST', '/channels/{channel_id}/messages'),
  ConnectionQueueFullError: () =>
    new http.ConnectionQueueFullError('POST', '/channels/{channel_id}/messages', 10, 0, 4, 10),
  DecodeError: () => new http.DecodeError('POST', '/channels/{channel_id}/messages', 200, 3, undefined),
  DuplicateSendError: () => new DuplicateSendError(refusal, 2, new Error('502 Bad Gateway')),
  MediaUploadError: () =>
    new MediaUploadError({ stage: 'source', problem: 'the content is empty (0 bytes)' }),
  NetworkError: () => new http.NetworkError('POST', '/channels/{channel_id}/messages', 'ECONNRESET'),
  RateLimitedError: () =>
    new http.RateLimitedError('POST', '/channels/{channel_id}/messages', 1000, 22009, undefined),
  ResponseTooLargeError: () =>
    new http.ResponseTooLargeError('POST', '/channels/{channel_id}/messages', 2048, true, 1024),
  RichContentFallbackError: () => new RichContentFallbackError(refusal, new Error('refused too'), false),
  TimeoutError: () => new http.TimeoutError('POST', '/channels/{channel_id}/messages', 5000),
};

/** Error classes that never end a request that went out, with the reason. */
const NOT_SEND_ERRORS: Record<string, string> = {
  BotError: 'the base class',
  ValidationError: 'refused before any request',
  KeyboardLimitError: 'a ValidationError: refused before any request',
  FileImageTooLargeError: 'refused before any request',
  MediaTooLargeError: 'refused before any request',
  PanelListError: 'a page of a list read (GET), which posts nothing',
  AuthenticationError: 'the credentials refused; nothing of the call was accepted',
};

const exportedErrorClasses = Object.entries(http)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
  .map(([name]) => name);

describe('mayHaveBeenSent on every send error', () => {
  it('names each exported error class as a send error or says why it is none', () => {
    const unclassified = exportedErrorClasses.filter(
      (name) => !(name in SEND_ERRORS) && !(name in NOT_SEND_ERRORS),
    );
    expect(unclassified).toStrictEqual([]);
    expect(exportedErrorClasses).toEqual(expect.arrayContaining(Object.keys(SEND_ERRORS)));
  });

  it.each(Object.entries(SEND_ERRORS))('%s sets mayHaveBeenSent to a boolean', (name, build) => {
    const error = build();
    expect(error).toBeInstanceOf(BotError);
    expect(error.constructor.name).toBe(name);
    expect(typeof (error as { mayHaveBeenSent?: unknown }).mayHaveBeenSent).toBe('boolean');
  });

  it('DuplicateSendError says the first attempt most probably landed', () => {
    const error = new DuplicateSendError(refusal, 2, new Error('502 Bad Gateway'));
    expect(error.mayHaveBeenSent).toBe(true);
    // As its message says: do not send again.
    expect(error.message).toContain('do not send it again');
  });
});
