import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { ApiError, DuplicateSendError, NetworkError, TimeoutError } from '@bot/http';
import { ReplyWindow } from '@bot/client';

const ROUTE = '/v2/groups/{group_openid}/messages';

function apiError(status: number, code: number): ApiError {
  return new ApiError({
    status,
    code,
    errCode: undefined,
    message: 'refused',
    traceId: undefined,
    method: 'POST',
    route: ROUTE,
  });
}

/** Reserves one reply, fails it with `error`, and says how many replies are left. */
function remainingAfter(error: unknown): number | undefined {
  const window = new ReplyWindow('group', 'm');
  window.reserve('enforce');
  window.settle(error);
  return window.remaining;
}

describe('a failed reply gives its count back only when it certainly reached no one', () => {
  it('gives it back after a refusal, an invalid reply or a network failure before the request left', () => {
    expect(remainingAfter(apiError(400, 304003))).toBe(5);
    expect(remainingAfter(new ValidationError('content', 'must not be empty'))).toBe(5);
    expect(remainingAfter(new NetworkError('POST', ROUTE, 'ECONNREFUSED'))).toBe(5);
  });

  it('keeps it after a timeout, a 5xx, a connection lost after sending, or a duplicate re-send: the reply may have been delivered', () => {
    expect(remainingAfter(new TimeoutError('POST', ROUTE, 10_000))).toBe(4);
    expect(remainingAfter(apiError(500, 500))).toBe(4);
    expect(remainingAfter(new NetworkError('POST', ROUTE, 'ECONNRESET'))).toBe(4);
    const refusal = apiError(400, 40054005);
    expect(remainingAfter(new DuplicateSendError(refusal, 2, new Error('socket hang up')))).toBe(4);
    expect(remainingAfter(new Error('something else'))).toBe(4);
  });

  it('a refusal saying the window is over closes it here too', () => {
    const window = new ReplyWindow('c2c', 'm');
    window.reserve('enforce');
    window.settle(apiError(400, 40034024));
    expect(window.closedReason()).toBe('expired');
  });
});
