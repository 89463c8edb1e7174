import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../src/errors/RateLimitedError.js';
import { PlatformCode, platformCodeOf } from '../src/index.js';
import { classifyResponse, type RawResponse } from '../src/rest/response.js';

function answer(status: number, body: unknown): RawResponse {
  return { status, statusText: 'status text', body: JSON.stringify(body), headers: {} };
}

describe('classifyResponse', () => {
  // docs/protocol.md §8: three platform codes mean "too fast" whatever the HTTP status says.
  it.each([
    [22009, 'msg limit exceed'],
    [20028, 'channel write rate limit'],
    [620006, 'reaction rate limit'],
  ])('takes platform code %i (%s) for a rate limit, not a client error', (code, message) => {
    const outcome = classifyResponse(answer(400, { code, message }), 'POST', '/r', false);
    expect(outcome.type).toBe('rateLimited');
  });

  it('names each rate-limit code, so a switch on platformCodeOf() reaches its case', () => {
    const named = [22009, 20028, 620006].map((code) => {
      const outcome = classifyResponse(answer(400, { code, message: 'too fast' }), 'POST', '/r', false);
      if (outcome.type !== 'rateLimited') return undefined;
      return platformCodeOf(new RateLimitedError('POST', '/r', 0, outcome.error.code, undefined));
    });
    expect(named).toEqual([
      PlatformCode.MessageRateLimited,
      PlatformCode.ChannelWriteRateLimited,
      PlatformCode.ReactionRateLimited,
    ]);
  });

  it('takes any other 4xx code for a client error', () => {
    const outcome = classifyResponse(answer(400, { code: 50006, message: 'bad' }), 'POST', '/r', false);
    expect(outcome.type).toBe('clientError');
  });
});
