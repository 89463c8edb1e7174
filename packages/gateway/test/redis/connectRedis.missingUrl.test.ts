import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { connectRedis } from '@bot/gateway/redis';

// `connectRedis(process.env.REDIS_URL!)` with the variable unset passes `undefined` (and an empty
// one ''): refused before any connection, as a ValidationError naming the URL and what to set,
// rather than a TypeError, or a try of 127.0.0.1:6379 logged as "connection to  failed".

describe('connectRedis without a URL', () => {
  it.each([
    ['undefined', undefined, /^url is missing \(got undefined\)/],
    ['an empty string', '', /^url must not be empty/],
    ['blanks', '  ', /^url must not be empty/],
    ['a number', 6379, /^url must be a string \(got a value of type number\)/],
  ])('refuses %s, saying which variable to set', async (_name, url, message) => {
    const error: unknown = await connectRedis(url as unknown as string, { connectTimeout: 200 }).then(
      (redis) => {
        redis.disconnect();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('url');
    expect((error as ValidationError).message).toMatch(message);
    expect((error as ValidationError).message).toContain('REDIS_URL');
  });
});
