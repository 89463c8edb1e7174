import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  DUPLICATE_MSG_SEQ_CODE,
  DuplicateSendError,
  NetworkError,
  PendingAudit,
  RateLimitedError,
  TimeoutError,
  Token,
  ValidationError,
  createLogger,
  type BotError,
  type RateLimitedEvent,
} from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

const GROUP_SEND = {
  method: 'POST',
  route: '/v2/groups/{group_openid}/messages',
  params: { group_openid: 'g' },
} as const;

describe('RestClient', () => {
  const fixture = useRestFixture();
  const client = fixture.client.bind(fixture);

  describe('rate limits and retries', () => {
    it('honours Retry-After on 429, pausing the route until it ends, and reports the wait', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
      try {
        fixture.platform.handler = () =>
          fixture.platform.requests.length === 1
            ? { status: 429, body: { code: 429, message: 'slow down' }, headers: { 'retry-after': '30' } }
            : { body: 'ok' };
        const rest = client({ timeout: 60_000 });
        const events: RateLimitedEvent[] = [];
        rest.on('rateLimited', (event) => events.push(event));
        const route = { method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: 'g1' } } as const;

        const limited = rest.request(route);
        await until(() => events.length === 1);
        const sameRoute = rest.request(route);
        await settle();
        await vi.advanceTimersByTimeAsync(29_999);
        await settle();
        expect(fixture.platform.requests).toHaveLength(1);

        await vi.advanceTimersByTimeAsync(1);
        await expect(limited).resolves.toBe('ok');
        await expect(sameRoute).resolves.toBe('ok');
        expect(fixture.platform.requests).toHaveLength(3);
        expect(events).toEqual([
          expect.objectContaining({
            method: 'GET',
            route: '/guilds/{guild_id}',
            key: 'GET /guilds/{guild_id}:g1',
            wait: 30_000,
            global: false,
            code: 429,
            attempt: 0,
          }),
        ]);
      } finally {
        vi.useRealTimers();
      }
    });

    it('pauses only the channel when a 429 carries the channel limit code 22009', async () => {
      let calls = 0;
      fixture.platform.handler = () =>
        ++calls === 1
          ? { status: 429, body: { code: 22009, message: 'msg limit exceed' } }
          : { body: { id: 'ok' } };
      const rest = client();
      const events: RateLimitedEvent[] = [];
      rest.on('rateLimited', (event) => events.push(event));
      await rest.request({
        method: 'POST',
        route: '/channels/{channel_id}/messages',
        params: { channel_id: 'busy' },
        body: { content: 'x' },
      });
      expect(events[0]).toMatchObject({
        code: 22009,
        global: false,
        key: 'POST /channels/{channel_id}/messages:busy',
      });
    });

    it('retries a request whose token fetch met an unavailable token endpoint', async () => {
      fixture.platform.tokenAnswer = { status: 503, body: { message: 'busy' } };
      fixture.platform.handler = () => ({ body: 'served' });
      const pending = client().request({ method: 'GET', route: '/users/@me' });
      await until(() => fixture.platform.tokenRequests.length === 1);
      fixture.platform.tokenAnswer = undefined;
      await expect(pending).resolves.toBe('served');
      expect(fixture.platform.tokenRequests.length).toBeGreaterThanOrEqual(2);
    });

    it('backs off on 429 without Retry-After and fails with RateLimitedError after the retries', async () => {
      fixture.platform.handler = () => ({ status: 429, body: { code: 429, message: 'slow down' } });
      const rest = client({ retries: 2 });
      const waits: number[] = [];
      rest.on('rateLimited', (event) => waits.push(event.wait));
      const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ kind: 'rateLimited', code: 429, route: '/users/@me' });
      expect((error as RateLimitedError).retryAfter).toBeGreaterThan(0);
      expect(fixture.platform.requests).toHaveLength(3);
      expect(waits).toHaveLength(3);
      for (const wait of waits) expect(wait).toBeGreaterThan(0);
    });

    it('treats code 22009 as a per-route limit, even on a message send', async () => {
      let calls = 0;
      fixture.platform.handler = () =>
        ++calls === 1
          ? { status: 400, body: { code: 22009, message: 'msg limit exceed' } }
          : { body: { id: 'sent' } };
      const rest = client();
      const events: RateLimitedEvent[] = [];
      rest.on('rateLimited', (event) => events.push(event));
      await expect(
        rest.request({
          method: 'POST',
          route: '/channels/{channel_id}/messages',
          params: { channel_id: 'c9' },
          body: { content: 'x' },
        }),
      ).resolves.toEqual({ id: 'sent' });
      expect(events[0]).toMatchObject({
        global: false,
        code: 22009,
        key: 'POST /channels/{channel_id}/messages:c9',
      });
    });

    it('retries server errors of idempotent requests', async () => {
      let calls = 0;
      fixture.platform.handler = () =>
        ++calls < 3 ? { status: 500, body: { code: 500, message: 'internal' } } : { body: 'fine' };
      await expect(client().request({ method: 'GET', route: '/users/@me' })).resolves.toBe('fine');
      expect(fixture.platform.requests).toHaveLength(3);
    });

    it.each([500, 502, 503])(
      'gives a POST without msg_seq, msg_id or event_id its %i at once, without re-sending it',
      async (status) => {
        fixture.platform.handler = () => ({ status, body: { code: status, message: 'server error' } });
        const error = await client()
          .request({ ...GROUP_SEND, body: { content: 'x', msg_type: 0 } })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status });
        expect(fixture.platform.requests).toHaveLength(1);
      },
    );

    it.each([
      ['msg_id alone', { msg_id: 'inbound-1' }],
      ['event_id alone', { event_id: 'event-1' }],
      ['msg_seq alone', { msg_seq: 1 }],
    ])(
      'gives a POST whose body carries %s its 500 at once: the platform deduplicates only the pair with msg_seq',
      async (_f, key) => {
        fixture.platform.handler = () => ({ status: 500, body: { code: 500, message: 'internal' } });
        const error = await client()
          .request({ ...GROUP_SEND, body: { content: 'x', msg_type: 0, ...key } })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect(fixture.platform.requests).toHaveLength(1);
      },
    );

    it.each([
      ['msg_id and msg_seq', { msg_id: 'inbound-1', msg_seq: 2 }],
      ['event_id and msg_seq', { event_id: 'event-1', msg_seq: 1 }],
    ])(
      're-sends a POST after a 5xx when its body carries %s, which the platform deduplicates',
      async (_f, key) => {
        let calls = 0;
        fixture.platform.handler = () =>
          ++calls === 1
            ? { status: 500, body: { code: 500, message: 'internal' } }
            : { body: { id: 'sent' } };
        await expect(
          client().request({ ...GROUP_SEND, body: { content: 'x', msg_type: 0, ...key } }),
        ).resolves.toEqual({ id: 'sent' });
        expect(fixture.platform.requests).toHaveLength(2);
        expect(fixture.platform.requests[1]?.json).toEqual(fixture.platform.requests[0]?.json);
      },
    );

    it('gives a POST whose connection was lost after sending a NetworkError at once, without a dedupe key', async () => {
      fixture.platform.handler = () => ({ reset: true });
      const error = await client()
        .request({ ...GROUP_SEND, body: { content: 'x', msg_type: 0 } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(fixture.platform.requests).toHaveLength(1);
    });

    it('re-sends a POST whose connection was lost after sending when its body carries msg_seq', async () => {
      let calls = 0;
      fixture.platform.handler = () => (++calls === 1 ? { reset: true } : { body: { id: 'sent' } });
      await expect(
        client().request({ ...GROUP_SEND, body: { content: 'x', msg_type: 0, msg_id: 'in-1', msg_seq: 1 } }),
      ).resolves.toEqual({ id: 'sent' });
      expect(fixture.platform.requests).toHaveLength(2);
    });

    const duplicateSeq = { status: 400, body: { code: 40054005, message: 'msg_seq already used' } };
    const seqSend = { ...GROUP_SEND, body: { content: 'x', msg_type: 0, msg_id: 'in-1', msg_seq: 1 } };

    it.each([
      ['a 5xx', { status: 500, body: { code: 500, message: 'internal' } }, ApiError],
      ['a connection lost after sending', { reset: true }, NetworkError],
    ] as const)(
      'fails with a DuplicateSendError, not a plain ApiError, when a POST re-sent after %s is refused as a duplicate',
      async (_failure, first, earlier) => {
        let calls = 0;
        fixture.platform.handler = () => (++calls === 1 ? first : duplicateSeq);
        const error = await client()
          .request(seqSend)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateSendError);
        expect(error).toMatchObject({
          kind: 'duplicateSend',
          attempt: 2,
          method: 'POST',
          route: GROUP_SEND.route,
          refusal: expect.objectContaining({ code: DUPLICATE_MSG_SEQ_CODE, status: 400 }),
        });
        expect((error as DuplicateSendError).cause).toBeInstanceOf(earlier);
        expect((error as Error).message).toContain('probably delivered');
        expect(fixture.platform.requests).toHaveLength(2);
      },
    );

    it('gives a duplicate msg_seq refused on the first attempt as a plain ApiError: another sender took the number', async () => {
      fixture.platform.handler = () => duplicateSeq;
      const error = await client()
        .request(seqSend)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).not.toBeInstanceOf(DuplicateSendError);
      expect(error).toMatchObject({ code: DUPLICATE_MSG_SEQ_CODE });
      expect(fixture.platform.requests).toHaveLength(1);
    });

    it('gives a duplicate msg_seq refused after a rate-limit retry as a plain ApiError: the limited attempt never landed', async () => {
      let calls = 0;
      fixture.platform.handler = () =>
        ++calls === 1
          ? { status: 429, body: { code: 22009, message: 'slow down' }, headers: { 'retry-after': '0' } }
          : duplicateSeq;
      const error = await client()
        .request(seqSend)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: DUPLICATE_MSG_SEQ_CODE });
      expect(fixture.platform.requests).toHaveLength(2);
    });

    it('re-sends a GET whose connection was lost', async () => {
      let calls = 0;
      fixture.platform.handler = () => (++calls === 1 ? { reset: true } : { body: 'second' });
      await expect(client().request({ method: 'GET', route: '/users/@me' })).resolves.toBe('second');
      expect(fixture.platform.requests).toHaveLength(2);
    });

    it('does not retry other client errors', async () => {
      fixture.platform.handler = () => ({ status: 403, body: { code: 11264, message: 'no permission' } });
      await expect(client().request({ method: 'GET', route: '/users/@me' })).rejects.toMatchObject({
        status: 403,
        code: 11264,
      });
      expect(fixture.platform.requests).toHaveLength(1);
    });
  });

  describe('timeouts and cancellation', () => {
    it('reports a timed-out POST without re-sending it', async () => {
      fixture.platform.handler = () => ({ hang: true });
      const error = await client({ timeout: 100 })
        .request({
          method: 'POST',
          route: '/v2/users/{openid}/messages',
          params: { openid: 'u' },
          body: { content: 'x' },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ kind: 'timeout', timeout: 100 });
      expect(fixture.platform.requests).toHaveLength(1);
    });

    it('counts the deadline to the last byte: an answer stalled in its body times out too', async () => {
      fixture.platform.handler = () => ({ body: { id: 'never complete' }, hang: 'body' });
      const started = performance.now();
      const error = await client({ timeout: 100, retries: 0 })
        .request({ method: 'GET', route: '/users/@me' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ kind: 'timeout', timeout: 100 });
      expect(performance.now() - started).toBeLessThan(2000);
    });

    it('re-sends a POST without a dedupe key after a 504 only when the caller opts in', async () => {
      fixture.platform.handler = () => ({ status: 504, body: { code: 504, message: 'gateway timeout' } });
      await expect(client().request({ ...GROUP_SEND, body: {} })).rejects.toMatchObject({ status: 504 });
      expect(fixture.platform.requests).toHaveLength(1);

      let calls = 0;
      fixture.platform.handler = () =>
        ++calls === 1
          ? { status: 504, body: { code: 504, message: 'gateway timeout' } }
          : { body: { id: 'second' } };
      await expect(client().request({ ...GROUP_SEND, body: {}, retryOnTimeout: true })).resolves.toEqual({
        id: 'second',
      });
      expect(fixture.platform.requests).toHaveLength(3);
    });

    it('frees the slot of a timed-out request: the next one on the route goes through', async () => {
      let calls = 0;
      fixture.platform.handler = () => (++calls === 1 ? { hang: true } : { body: 'next' });
      const rest = client({ rateLimits: { concurrency: 1 }, retries: 0 });
      const route = {
        method: 'POST',
        route: '/channels/{channel_id}/messages',
        params: { channel_id: 'c' },
        body: {},
      } as const;
      const first = rest.request({ ...route, timeout: 100 });
      const second = rest.request(route);
      await expect(first).rejects.toBeInstanceOf(TimeoutError);
      await expect(second).resolves.toBe('next');
    });

    it('frees the slot of a request aborted on the wire, and drops one aborted in the queue', async () => {
      let calls = 0;
      fixture.platform.handler = () => (++calls === 1 ? { hang: true } : { body: `answer ${calls}` });
      const rest = client({ rateLimits: { concurrency: 1 } });
      const route = { method: 'GET', route: '/channels/{channel_id}', params: { channel_id: 'c' } } as const;

      const onWire = new AbortController();
      const inQueue = new AbortController();
      const first = rest.request({ ...route, signal: onWire.signal });
      await until(() => fixture.platform.requests.length === 1);
      const second = rest.request({ ...route, signal: inQueue.signal });
      const third = rest.request(route);
      await until(() => rest.queuedRequests === 2);

      inQueue.abort(new Error('no longer needed'));
      await expect(second).rejects.toThrow('no longer needed');
      onWire.abort(new Error('user cancelled'));
      await expect(first).rejects.toThrow('user cancelled');
      await expect(third).resolves.toBe('answer 2');
      expect(fixture.platform.requests).toHaveLength(2);
    });

    it('rejects at once with the reason of an already aborted signal', async () => {
      await expect(
        client().request({
          method: 'GET',
          route: '/users/@me',
          signal: AbortSignal.abort(new Error('too late')),
        }),
      ).rejects.toThrow('too late');
      expect(fixture.platform.requests).toHaveLength(0);
    });
  });
});
