/**
 * A call that waited out a rate-limit pause until its deadline, and so was never sent, must fail
 * saying nothing was sent: its caller may send it again without fear of a duplicate.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimitedError, TimeoutError } from '@bot/http';
import { settle, useRestFixture } from './support/restFixture.js';

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const SEND = {
  method: 'POST',
  route: '/channels/{channel_id}/messages',
  params: { channel_id: 'c1' },
  body: { content: 'hello', msg_id: 'm1' },
} as const;

describe('a call whose deadline ends with the pause it waited for', () => {
  const fixture = useRestFixture();
  afterEach(() => vi.useRealTimers());

  it('fails as never sent', async () => {
    vi.useFakeTimers({ toFake: [...TIMERS] });
    fixture.platform.handler = () =>
      fixture.platform.requests.length === 1
        ? { status: 429, body: { code: 429, message: 'slow down' }, headers: { 'retry-after': '1' } }
        : { body: { id: 'sent' } };
    const rest = fixture.client({ retries: 0 });
    await rest.tokens.get();
    await expect(rest.request(SEND)).rejects.toBeInstanceOf(RateLimitedError);

    const waited = rest.request({ ...SEND, timeout: 1_000 }).catch((e: unknown) => e);
    await settle();
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    const error = await waited;

    expect(fixture.platform.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ mayHaveBeenSent: false });
    expect((error as Error).message).not.toContain('may have been delivered');
  });
});
