import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  DUPLICATE_MSG_SEQ_CODE,
  DuplicateSendError,
  NetworkError,
  TimeoutError,
  type HttpMethod,
} from '@bot/http';
import {
  carriesDedupeKey,
  isTokenOutage,
  mayResend,
  rateLimitGiveUp,
  refusalError,
  wasNeverSent,
} from '../src/rest/retryRules.js';

const ROUTE = '/v2/groups/{group_openid}/messages';

function apiError(status: number, code: number, method: HttpMethod = 'POST'): ApiError {
  return new ApiError({
    status,
    code,
    errCode: undefined,
    message: 'm',
    traceId: undefined,
    method,
    route: ROUTE,
  });
}

describe('retry rules', () => {
  it('counts only failures before the request left the machine as never sent', () => {
    for (const reason of [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ENETUNREACH',
      'EHOSTUNREACH',
      'ERR_SOCKET_CONNECTION_TIMEOUT',
    ])
      expect(wasNeverSent(reason)).toBe(true);
    for (const reason of ['ECONNRESET', 'EPIPE', 'socket hang up', 'ETIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE'])
      expect(wasNeverSent(reason)).toBe(false);
  });

  it('re-sends an idempotent method whatever its body', () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const)
      expect(mayResend({ method, route: ROUTE }, false)).toBe(true);
  });

  it('re-sends a POST only when its body carries a dedupe key, or after a 504 with retryOnTimeout', () => {
    expect(mayResend({ method: 'POST', route: ROUTE, body: { content: 'hi' } }, false)).toBe(false);
    expect(mayResend({ method: 'POST', route: ROUTE, body: { content: 'hi', msg_seq: 2 } }, false)).toBe(
      false,
    );
    expect(
      mayResend({ method: 'POST', route: ROUTE, body: { content: 'hi', msg_id: 'm', msg_seq: 2 } }, false),
    ).toBe(true);
    expect(mayResend({ method: 'POST', route: ROUTE, retryOnTimeout: true }, false)).toBe(false);
    expect(mayResend({ method: 'POST', route: ROUTE, retryOnTimeout: true }, true)).toBe(true);
    expect(mayResend({ method: 'POST', route: ROUTE }, true)).toBe(false);
  });

  it('never re-sends a C2C stream frame after a failure that may have reached the platform: all its frames share one msg_seq', () => {
    const frame = { msg_id: 'm', msg_seq: 1, index: 0, input_mode: 'replace', content_raw: 'hi' };
    expect(
      mayResend({ method: 'POST', route: '/v2/users/{openid}/stream_messages', body: frame }, false),
    ).toBe(false);
    expect(mayResend({ method: 'POST', route: '/v2/users/{openid}/messages', body: frame }, false)).toBe(
      true,
    );
  });

  it('takes only a non-empty msg_seq together with a non-empty msg_id or event_id of a plain object as a dedupe key', () => {
    for (const anchor of ['msg_id', 'event_id']) {
      expect(carriesDedupeKey({ [anchor]: 'x', msg_seq: 1 })).toBe(true);
      expect(carriesDedupeKey({ [anchor]: 'x', msg_seq: 0 })).toBe(true);
      expect(carriesDedupeKey({ [anchor]: 'x' })).toBe(false);
      for (const empty of [undefined, null, '']) {
        expect(carriesDedupeKey({ [anchor]: empty, msg_seq: 1 })).toBe(false);
        expect(carriesDedupeKey({ [anchor]: 'x', msg_seq: empty })).toBe(false);
      }
    }
    expect(carriesDedupeKey({ msg_seq: 1 })).toBe(false);
    expect(carriesDedupeKey(undefined)).toBe(false);
    expect(carriesDedupeKey('msg_seq')).toBe(false);
    expect(carriesDedupeKey([{ msg_id: 'x', msg_seq: 1 }])).toBe(false);
  });

  it('retries an unreachable, slow or failing token endpoint, never refused credentials', () => {
    expect(isTokenOutage(new NetworkError('POST', '/token', 'ECONNREFUSED'))).toBe(true);
    expect(isTokenOutage(new TimeoutError('POST', '/token', 1_000))).toBe(true);
    expect(isTokenOutage(apiError(503, 503))).toBe(true);
    expect(isTokenOutage(apiError(429, 429))).toBe(true);
    expect(isTokenOutage(apiError(400, 100016))).toBe(false);
    expect(isTokenOutage(new AuthenticationError(401, 'bad secret', undefined))).toBe(false);
    expect(isTokenOutage(new Error('other'))).toBe(false);
  });

  it('gives up on a rate limit at the cap first, then at the deadline, then when the retries ran out', () => {
    const budget = { asked: 1_000, maxWait: 60_000, now: 0, deadline: 15_000, retriesUsed: 0, retries: 3 };
    expect(rateLimitGiveUp(budget)).toBeUndefined();
    expect(rateLimitGiveUp({ ...budget, asked: 60_001, deadline: 10, retriesUsed: 3 })).toBe(
      'maxRateLimitWait',
    );
    expect(rateLimitGiveUp({ ...budget, asked: 15_000, retriesUsed: 3 })).toBe('timeout');
    expect(rateLimitGiveUp({ ...budget, retriesUsed: 3 })).toBe('retries');
  });

  it('names exactly one bound, or none, for any rate-limited attempt', () => {
    const natural = fc.integer({ min: 0, max: 1_000_000 });
    fc.assert(
      fc.property(
        natural,
        natural,
        natural,
        natural,
        fc.nat(10),
        fc.nat(10),
        (asked, maxWait, now, deadline, used, retries) => {
          const bound = rateLimitGiveUp({ asked, maxWait, now, deadline, retriesUsed: used, retries });
          const waits = asked <= maxWait && now + asked < deadline && used < retries;
          expect(bound === undefined).toBe(waits);
        },
      ),
    );
  });

  it('turns a duplicate refusal of a re-send after a possibly delivered attempt into a DuplicateSendError', () => {
    const earlier = new NetworkError('POST', ROUTE, 'ECONNRESET');
    const refusal = apiError(400, DUPLICATE_MSG_SEQ_CODE);
    const error = refusalError(refusal, 2, earlier);
    expect(error).toBeInstanceOf(DuplicateSendError);
    expect(error).toMatchObject({ attempt: 2, refusal, cause: earlier });
  });

  it('keeps the plain refusal on a first attempt, and for any other code says an earlier attempt may have landed', () => {
    const duplicate = apiError(400, DUPLICATE_MSG_SEQ_CODE);
    expect(refusalError(duplicate, 1, undefined)).toBe(duplicate);
    expect(duplicate.mayHaveBeenSent).toBe(false);
    const other = apiError(400, 304003);
    const afterReset = refusalError(other, 2, new NetworkError('POST', ROUTE, 'ECONNRESET'));
    expect(afterReset).toBeInstanceOf(ApiError);
    expect(afterReset).toMatchObject({ status: 400, code: 304003, mayHaveBeenSent: true });
    expect(afterReset.message).toContain(other.message);
    expect(afterReset.message).toContain('may have been delivered, check before sending again');
  });
});
