import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  FileImageTooLargeError,
  NetworkError,
  RateLimitedError,
  RichContentFallbackError,
  TimeoutError,
} from '@bot/http';
import { certainlyNotSent, ReplyWindow } from '@bot/client';

const ROUTE = '/v2/users/{openid}/messages';

/**
 * Every failure of the REST client that says whether the call may have reached the platform
 * (`mayHaveBeenSent`), built with any status, reason and flag it can carry.
 */
const restFailure = fc.oneof(
  fc
    .record({ status: fc.integer({ min: 400, max: 599 }), flag: fc.option(fc.boolean(), { nil: undefined }) })
    .map(
      ({ status, flag }) =>
        new ApiError({
          status,
          code: status,
          errCode: undefined,
          message: 'refused',
          traceId: undefined,
          method: 'POST',
          route: ROUTE,
          // A 5xx answer came from the platform: the request reached it (the flag's default).
          ...(flag === undefined || status >= 500 ? {} : { mayHaveBeenSent: flag }),
        }),
    ),
  fc
    .record({
      reason: fc.constantFrom('ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EPIPE', 'socket hang up'),
      flag: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map(({ reason, flag }) => new NetworkError('POST', ROUTE, reason, undefined, undefined, flag)),
  fc.boolean().map((flag) => new RateLimitedError('POST', ROUTE, 1000, 22009, undefined, 'retries', flag)),
  fc.boolean().map((flag) => new TimeoutError('POST', ROUTE, 15_000, flag)),
  fc.boolean().map(
    (flag) =>
      new RichContentFallbackError(
        new ApiError({
          status: 400,
          code: 304041,
          errCode: undefined,
          message: 'refused',
          traceId: undefined,
          method: 'POST',
          route: ROUTE,
        }),
        new Error('plain text failed'),
        flag,
      ),
  ),
);

describe('which failed replies give their count back (property)', () => {
  it('exactly those the REST client says certainly reached nobody (mayHaveBeenSent false)', () => {
    fc.assert(
      fc.property(restFailure, (error) => {
        expect(certainlyNotSent(error)).toBe(!error.mayHaveBeenSent);
        const window = new ReplyWindow('c2c', 'm');
        window.reserve('enforce');
        window.settle(error);
        expect(window.used).toBe(error.mayHaveBeenSent ? 1 : 0);
      }),
      { numRuns: 500 },
    );
  });

  it('a guild image refused for its size before any request gives its count back', () => {
    const error = new FileImageTooLargeError(
      'params.fileImage',
      11_000_000,
      11_000_400,
      10_485_760,
      10_485_000,
    );
    expect(certainlyNotSent(error)).toBe(true);
    const window = new ReplyWindow('guild', 'm');
    window.reserve('enforce');
    window.settle(error);
    expect(window.used).toBe(0);
  });
});
