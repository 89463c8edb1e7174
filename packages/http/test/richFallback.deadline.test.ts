import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, PlatformCode, RichContentFallbackError, TimeoutError } from '@bot/http';
import { sendWithRichFallback } from '../src/messages/richContentFallback.js';
import type { FakeAnswer } from './support/fakePlatform.js';
import { settle, until, useRestFixture } from './support/restFixture.js';

// The plain-text re-send of the rich-content fallback runs within the call's own timeout, and the
// error of a failed re-send says whether the text may have been posted.

const MENU = {
  method: 'POST',
  route: '/v2/groups/{group_openid}/messages',
  params: { group_openid: 'g1' },
  body: { msg_type: 2, markdown: { content: '**Menu**' }, msg_id: 'm1', msg_seq: 1 },
} as const;

const REFUSAL: FakeAnswer = {
  status: 400,
  body: { code: PlatformCode.ReplyMarkdownNotPermitted, message: 'markdown not allowed' },
};

/** Answers the rich send with the refusal, the plain re-send with `plain`. */
function refuseRichThen(plain: FakeAnswer): (request: { json: unknown }) => FakeAnswer {
  return (request) => ((request.json as { markdown?: unknown }).markdown === undefined ? plain : REFUSAL);
}

/** Settles `promise` into its rejection without leaving it unhandled meanwhile. */
function outcomeOf(promise: Promise<unknown>): { error: unknown; settled: boolean } {
  const state: { error: unknown; settled: boolean } = { error: undefined, settled: false };
  promise.then(
    () => (state.settled = true),
    (error: unknown) => {
      state.error = error;
      state.settled = true;
    },
  );
  return state;
}

describe('rich-content fallback within the call’s bounds', () => {
  const fixture = useRestFixture();
  afterEach(() => vi.useRealTimers());

  it('gives the plain re-send only what is left of the call’s timeout: a 1000 ms call settles by 1000 ms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    // The refusal comes after 900 ms; the plain re-send then gets no answer at all.
    fixture.platform.handler = async (request) => {
      if ((request.json as { markdown?: unknown }).markdown === undefined) return { hang: true };
      await new Promise((resolve) => setTimeout(resolve, 900));
      return REFUSAL;
    };
    const rest = fixture.client({ timeout: 1000, richContentFallback: true });
    await rest.tokens.get();
    const call = outcomeOf(rest.request(MENU));
    await until(() => fixture.platform.requests.length === 1);
    for (let elapsed = 0; elapsed < 1000; elapsed += 50) {
      await vi.advanceTimersByTimeAsync(50);
      await settle();
    }
    await until(() => call.settled);

    expect(fixture.platform.requests).toHaveLength(2);
    expect(call.error).toBeInstanceOf(RichContentFallbackError);
    const error = call.error as RichContentFallbackError;
    expect(error.cause).toBeInstanceOf(TimeoutError);
    // The timeout named is the call's, not the remainder the re-send had.
    expect(error.cause).toMatchObject({ timeout: 1000 });
    expect(error.mayHaveBeenSent).toBe(true);
    expect(error.message).toContain('the plain text may have been delivered: check before sending again');
    expect(error.message).not.toContain('nothing was sent');
  });

  it('does not claim nothing was sent when the plain re-send was answered 2xx with a body that is not JSON', async () => {
    fixture.platform.handler = refuseRichThen({ status: 200, raw: '<html>posted</html>' });
    const error = await fixture
      .client({ richContentFallback: true })
      .request(MENU)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RichContentFallbackError);
    expect((error as RichContentFallbackError).cause).toMatchObject({ kind: 'decode' });
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect((error as Error).message).not.toContain('nothing was sent');
    expect((error as Error).message).toContain('may have been delivered');
  });

  it('does not claim nothing was sent when the plain re-send met a server error', async () => {
    fixture.platform.handler = refuseRichThen({ status: 502, body: { code: 502, message: 'bad gateway' } });
    const error = await fixture
      .client({ richContentFallback: true, retries: 0 })
      .request(MENU)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RichContentFallbackError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect((error as Error).message).not.toContain('nothing was sent');
  });

  // The plain send (deduplicated by msg_id + msg_seq) meets a 502 and is sent again: that first
  // attempt may have been posted, whatever the second one met.
  it.each([
    [
      'rate limited',
      { status: 429, body: { code: 22009, message: 'limited' }, headers: { 'retry-after': '600' } },
      { kind: 'rateLimited' },
    ],
    [
      'refused',
      { status: 400, body: { code: PlatformCode.MsgIdInvalid, message: 'msg_id invalid' } },
      { kind: 'api', status: 400 },
    ],
  ])(
    'does not claim nothing was sent when the plain re-send was %s after a re-sent 502',
    async (_name, second, cause) => {
      let plainSends = 0;
      fixture.platform.handler = (request) => {
        if ((request.json as { markdown?: unknown }).markdown !== undefined) return REFUSAL;
        plainSends++;
        return plainSends === 1 ? { status: 502, body: { code: 502, message: 'bad gateway' } } : second;
      };
      const error = await fixture
        .client({ richContentFallback: true, retries: 2 })
        .request(MENU)
        .catch((e: unknown) => e);

      expect(plainSends).toBe(2);
      expect(error).toBeInstanceOf(RichContentFallbackError);
      expect((error as RichContentFallbackError).cause).toMatchObject({ ...cause, mayHaveBeenSent: true });
      expect(error).toMatchObject({ mayHaveBeenSent: true });
      expect((error as Error).message).not.toContain('nothing was sent');
      expect((error as Error).message).toContain('may have been delivered');
    },
  );

  it('says nothing was sent when the plain re-send timed out waiting for the message window', async () => {
    // One message a second: the plain re-send waits behind the refused send's window, and the
    // call's 300 ms run out before it leaves the queue.
    fixture.platform.handler = refuseRichThen({ status: 200, body: { id: 'sent' } });
    const error = await fixture
      .client({ richContentFallback: true, timeout: 300, rateLimits: { messagesPerSecond: 1 } })
      .request(MENU)
      .catch((e: unknown) => e);

    expect(fixture.platform.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(RichContentFallbackError);
    expect((error as RichContentFallbackError).cause).toMatchObject({
      kind: 'timeout',
      mayHaveBeenSent: false,
    });
    expect(error).toMatchObject({ mayHaveBeenSent: false });
    expect((error as Error).message).toMatch(/nothing was sent$/);
    expect((error as Error).message).not.toContain('may have been delivered');
  });

  it('says nothing was sent when the platform refused the plain re-send too', async () => {
    fixture.platform.handler = refuseRichThen({
      status: 400,
      body: { code: PlatformCode.MsgIdInvalid, message: 'msg_id invalid' },
    });
    const error = await fixture
      .client({ richContentFallback: true })
      .request(MENU)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RichContentFallbackError);
    expect(error).toMatchObject({ mayHaveBeenSent: false });
    expect((error as Error).message).toMatch(/nothing was sent$/);
  });
});

describe('sendWithRichFallback with no time left', () => {
  afterEach(() => vi.useRealTimers());

  it('does not send the plain text when the refusal used up the call’s timeout, and says nothing was sent', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const sent: unknown[] = [];
    const send = async (options: { body?: unknown }): Promise<unknown> => {
      sent.push(options.body);
      // The refusal is answered exactly as the call's 1000 ms run out.
      vi.advanceTimersByTime(1000);
      throw new ApiError({
        status: 400,
        code: PlatformCode.ReplyMarkdownNotPermitted,
        errCode: undefined,
        message: 'markdown not allowed',
        traceId: undefined,
        method: 'POST',
        route: MENU.route,
      });
    };
    const error = await sendWithRichFallback(send, MENU, 1000, {}, () => undefined).catch((e: unknown) => e);

    expect(sent).toHaveLength(1);
    expect(error).toBeInstanceOf(RichContentFallbackError);
    expect((error as RichContentFallbackError).cause).toMatchObject({ kind: 'timeout', timeout: 1000 });
    expect(error).toMatchObject({ mayHaveBeenSent: false });
    expect((error as Error).message).toMatch(/nothing was sent$/);
    expect((error as Error).message).not.toContain('may have been delivered');
  });

  it('gives the plain text the whole time left when the wall clock stepped forward during the refused send', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const timeouts: (number | undefined)[] = [];
    const send = async (options: { body?: unknown; timeout?: number | undefined }): Promise<unknown> => {
      timeouts.push(options.timeout);
      if (timeouts.length > 1) return { id: 'plain' };
      vi.advanceTimersByTime(400);
      vi.setSystemTime(Date.now() + 3_600_000);
      throw new ApiError({
        status: 400,
        code: PlatformCode.ReplyMarkdownNotPermitted,
        errCode: undefined,
        message: 'markdown not allowed',
        traceId: undefined,
        method: 'POST',
        route: MENU.route,
      });
    };
    const result = await sendWithRichFallback(send, MENU, 1000, {}, () => undefined);

    expect(result).toEqual({ id: 'plain' });
    expect(timeouts).toEqual([undefined, 600]);
  });
});
