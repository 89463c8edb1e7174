import { describe, expect, it } from 'vitest';
import { GatewayError, toClientError } from '@bot/client';
import { ResponseTooLargeError } from '@bot/http';

// Every error of @bot/http reaches `error()` as itself, so `switch (error.kind)` sees its own kind,
// not a GatewayError wrapping it.

describe('toClientError', () => {
  it('passes a ResponseTooLargeError as it is', () => {
    const error = new ResponseTooLargeError('GET', '/gateway/bot', 9_000_000, true, 8_388_608);

    expect(toClientError(error, 0)).toBe(error);
  });

  it('still wraps a transport error of its own in a GatewayError', () => {
    expect(toClientError(new Error('socket hang up'), 0)).toBeInstanceOf(GatewayError);
  });
});
