import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  NetworkError,
  PendingAudit,
  RateLimitedError,
  RestClient,
  TimeoutError,
  Token,
  ValidationError,
  createLogger,
  type BotError,
  type RateLimitedEvent,
  type RestClientOptions,
} from '@bot/http';
import { FakePlatform } from './support/fakePlatform.js';

describe('RestClient', () => {
  let platform: FakePlatform;
  let clients: RestClient[];
  beforeEach(async () => {
    platform = await FakePlatform.start();
    clients = [];
  });
  afterEach(async () => {
    for (const client of clients) client.destroy();
    await platform.stop();
  });

  const client = (options: Partial<RestClientOptions> = {}) => {
    const rest = new RestClient({
      token: new Token('app-1', 'the-secret'),
      baseUrl: platform.baseUrl,
      tokenUrl: platform.tokenUrl,
      logger: createLogger('test', 7),
      backoff: { base: 5, max: 20 },
      ...options,
    });
    clients.push(rest);
    return rest;
  };

  describe('requests', () => {
    it('sends the platform headers, fills and encodes the route, and adds the query', async () => {
      platform.handler = () => ({ body: { id: 'm1' } });
      const result = await client().request({
        method: 'GET',
        route: '/channels/{channel_id}/messages/{message_id}',
        params: { channel_id: 'c 1', message_id: 'm/1' },
        query: { limit: 10, after: undefined, flag: true },
      });
      expect(result).toEqual({ id: 'm1' });
      const [request] = platform.requests;
      expect(request?.path).toBe('/channels/c%201/messages/m%2F1');
      expect(Object.fromEntries(request!.query)).toEqual({ limit: '10', flag: 'true' });
      expect(request?.headers['authorization']).toBe('QQBot token-1');
      expect(request?.headers['x-union-appid']).toBe('app-1');
    });

    it('sends JSON bodies and resolves undefined for 204', async () => {
      platform.handler = () => ({ status: 204 });
      const result = await client().request({
        method: 'PATCH',
        route: '/guilds/{guild_id}/mute',
        params: { guild_id: 'g' },
        body: { mute_seconds: '60' },
      });
      expect(result).toBeUndefined();
      expect(platform.requests[0]?.headers['content-type']).toMatch(/application\/json/);
      expect(platform.requests[0]?.json).toEqual({ mute_seconds: '60' });
    });

    it('encodes files as multipart with object fields as JSON strings', async () => {
      platform.handler = () => ({ body: { id: 'm2' } });
      await client().request({
        method: 'POST',
        route: '/channels/{channel_id}/messages',
        params: { channel_id: 'c1' },
        body: {
          content: 'look',
          msg_id: 'in-1',
          message_reference: { message_id: 'in-1' },
          skipped: undefined,
        },
        files: {
          file_image: { name: 'cat.png', data: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png' },
        },
      });
      const request = platform.requests[0]!;
      expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const form = await new Response(request.body, {
        headers: { 'content-type': request.headers['content-type']! },
      }).formData();
      expect(form.get('content')).toBe('look');
      expect(form.get('msg_id')).toBe('in-1');
      expect(JSON.parse(form.get('message_reference') as string)).toEqual({ message_id: 'in-1' });
      expect(form.has('skipped')).toBe(false);
      const file = form.get('file_image') as File;
      expect(file.name).toBe('cat.png');
      expect(file.type).toBe('image/png');
      expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([137, 80, 78, 71]);
    });

    it('returns 201/202 audit answers of auditable requests as a PendingAudit', async () => {
      platform.handler = () => ({
        status: 202,
        body: {
          code: 304023,
          message: 'push message is waiting for audit now',
          data: { message_audit: { audit_id: 'audit-9' } },
        },
      });
      const result = await client().request({
        method: 'POST',
        route: '/channels/{channel_id}/messages',
        params: { channel_id: 'c' },
        body: { content: 'x' },
        auditable: true,
      });
      expect(result).toBeInstanceOf(PendingAudit);
      expect(result).toMatchObject({
        pendingAudit: true,
        auditId: 'audit-9',
        code: 304023,
        traceId: 'trace-abc',
      });
    });

    it('refuses an empty route parameter before sending anything', async () => {
      const error = await client()
        .request({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: ' ' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('guild_id');
      expect(platform.requests).toHaveLength(0);
      expect(platform.tokenRequests).toHaveLength(0);
    });
  });

  describe('errors', () => {
    it('maps an error body to ApiError with status, codes, trace id, method and route', async () => {
      platform.handler = () => ({
        status: 404,
        body: { code: 10003, err_code: 7, message: 'channel not exist' },
      });
      const error = (await client()
        .request({ method: 'GET', route: '/channels/{channel_id}', params: { channel_id: 'c' } })
        .catch((e: unknown) => e)) as BotError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        kind: 'api',
        status: 404,
        code: 10003,
        errCode: 7,
        message: expect.stringContaining('channel not exist'),
        traceId: 'trace-abc',
        method: 'GET',
        route: '/channels/{channel_id}',
      });
    });

    it('takes the trace id from the body when the header is missing', async () => {
      platform.handler = () => ({
        status: 400,
        body: { code: 50006, message: 'empty', trace_id: 'body-trace' },
        headers: { 'x-tps-trace-id': '' },
      });
      await expect(client().request({ method: 'GET', route: '/users/@me' })).rejects.toMatchObject({
        traceId: 'body-trace',
      });
    });

    it('reports a refused connection as a NetworkError', async () => {
      const rest = client({ baseUrl: 'http://127.0.0.1:1', retries: 0 });
      await rest.tokens.get();
      await expect(rest.request({ method: 'GET', route: '/users/@me' })).rejects.toSatisfy(
        (e: unknown) => e instanceof NetworkError && e.reason === 'ECONNREFUSED',
      );
    });
  });

  describe('authentication', () => {
    it('refreshes the token once after a 401 and retries', async () => {
      platform.handler = (request) =>
        request.headers['authorization'] === 'QQBot token-1'
          ? { status: 401, body: { code: 11244, message: 'token expired' } }
          : { body: { ok: true } };
      await expect(client().request({ method: 'GET', route: '/users/@me' })).resolves.toEqual({ ok: true });
      expect(platform.tokenRequests).toHaveLength(2);
      expect(platform.requests.map((r) => r.headers['authorization'])).toEqual([
        'QQBot token-1',
        'QQBot token-2',
      ]);
    });

    it('refreshes on code 11244 whatever the status', async () => {
      platform.handler = (request) =>
        request.headers['authorization'] === 'QQBot token-1'
          ? { status: 400, body: { code: 11244, message: 'expired' } }
          : { body: 1 };
      await expect(client().request({ method: 'GET', route: '/users/@me' })).resolves.toBe(1);
    });

    it('gives up with an AuthenticationError when the fresh token is refused too', async () => {
      platform.handler = () => ({ status: 401, body: { code: 11244, message: 'token expired' } });
      const error = await client()
        .request({ method: 'GET', route: '/users/@me' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(platform.requests).toHaveLength(2);
      expect(platform.tokenRequests).toHaveLength(2);
    });

    it('never puts the secret or a token in an error', async () => {
      platform.handler = () => ({ status: 401, body: { code: 11244, message: 'token expired' } });
      const error = await client()
        .request({ method: 'GET', route: '/users/@me' })
        .catch((e: unknown) => e);
      const text = `${String(error)} ${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`;
      expect(text).not.toMatch(/the-secret|token-1|token-2/);
    });
  });

  describe('rate limits and retries', () => {
    it('honours Retry-After on 429, pausing every route, and reports the wait', async () => {
      const times: number[] = [];
      platform.handler = () => {
        times.push(Date.now());
        return times.length === 1
          ? { status: 429, body: { code: 429, message: 'slow down' }, headers: { 'retry-after': '1' } }
          : { body: 'ok' };
      };
      const rest = client();
      const events: RateLimitedEvent[] = [];
      rest.on('rateLimited', (event) => events.push(event));
      await expect(
        rest.request({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: 'g1' } }),
      ).resolves.toBe('ok');
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
      expect(events).toEqual([
        expect.objectContaining({
          method: 'GET',
          route: '/guilds/{guild_id}',
          wait: 1000,
          global: true,
          code: 429,
          attempt: 0,
        }),
      ]);
    });

    it('backs off on 429 without Retry-After and fails with RateLimitedError after the retries', async () => {
      platform.handler = () => ({ status: 429, body: { code: 429, message: 'slow down' } });
      const rest = client({ retries: 2 });
      const waits: number[] = [];
      rest.on('rateLimited', (event) => waits.push(event.wait));
      const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ kind: 'rateLimited', code: 429, route: '/users/@me' });
      expect((error as RateLimitedError).retryAfter).toBeGreaterThan(0);
      expect(platform.requests).toHaveLength(3);
      expect(waits).toHaveLength(3);
      for (const wait of waits) expect(wait).toBeGreaterThan(0);
    });

    it('treats code 22009 as a per-route limit, even on a message send', async () => {
      let calls = 0;
      platform.handler = () =>
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
      platform.handler = () =>
        ++calls < 3 ? { status: 500, body: { code: 500, message: 'internal' } } : { body: 'fine' };
      await expect(client().request({ method: 'GET', route: '/users/@me' })).resolves.toBe('fine');
      expect(platform.requests).toHaveLength(3);
    });

    it('does not re-send a POST after a 500, but does after a 503', async () => {
      platform.handler = () => ({ status: 500, body: { code: 500, message: 'internal' } });
      const rest = client();
      await expect(
        rest.request({
          method: 'POST',
          route: '/v2/groups/{group_openid}/messages',
          params: { group_openid: 'g' },
          body: { content: 'x' },
        }),
      ).rejects.toBeInstanceOf(ApiError);
      expect(platform.requests).toHaveLength(1);

      let calls = 0;
      platform.handler = () =>
        ++calls === 1 ? { status: 503, body: { code: 503, message: 'unavailable' } } : { body: { id: 'ok' } };
      await expect(
        rest.request({
          method: 'POST',
          route: '/v2/groups/{group_openid}/messages',
          params: { group_openid: 'g' },
          body: { content: 'x' },
        }),
      ).resolves.toEqual({ id: 'ok' });
    });

    it('does not retry other client errors', async () => {
      platform.handler = () => ({ status: 403, body: { code: 11264, message: 'no permission' } });
      await expect(client().request({ method: 'GET', route: '/users/@me' })).rejects.toMatchObject({
        status: 403,
        code: 11264,
      });
      expect(platform.requests).toHaveLength(1);
    });
  });

  describe('timeouts and cancellation', () => {
    it('reports a timed-out POST without re-sending it', async () => {
      platform.handler = () => ({ hang: true });
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
      expect(platform.requests).toHaveLength(1);
    });

    it('re-sends a timed-out POST when the caller opts in', async () => {
      let calls = 0;
      platform.handler = () => (++calls === 1 ? { hang: true } : { body: { id: 'second' } });
      await expect(
        client({ timeout: 100 }).request({
          method: 'POST',
          route: '/v2/users/{openid}/messages',
          params: { openid: 'u' },
          body: {},
          retryOnTimeout: true,
        }),
      ).resolves.toEqual({ id: 'second' });
      expect(platform.requests).toHaveLength(2);
    });

    it('retries a timed-out GET', async () => {
      let calls = 0;
      platform.handler = () => (++calls === 1 ? { hang: true } : { body: 'late but fine' });
      await expect(client({ timeout: 100 }).request({ method: 'GET', route: '/users/@me' })).resolves.toBe(
        'late but fine',
      );
    });

    it('frees the slot of a timed-out request: the next one on the route goes through', async () => {
      let calls = 0;
      platform.handler = () => (++calls === 1 ? { hang: true } : { body: 'next' });
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
      platform.handler = () => (++calls === 1 ? { hang: true } : { body: `answer ${calls}` });
      const rest = client({ rateLimits: { concurrency: 1 } });
      const route = { method: 'GET', route: '/channels/{channel_id}', params: { channel_id: 'c' } } as const;

      const onWire = new AbortController();
      const inQueue = new AbortController();
      const first = rest.request({ ...route, signal: onWire.signal });
      await waitUntil(() => platform.requests.length === 1);
      const second = rest.request({ ...route, signal: inQueue.signal });
      const third = rest.request(route);
      await waitUntil(() => rest.queuedRequests === 2);

      inQueue.abort(new Error('no longer needed'));
      await expect(second).rejects.toThrow('no longer needed');
      onWire.abort(new Error('user cancelled'));
      await expect(first).rejects.toThrow('user cancelled');
      await expect(third).resolves.toBe('answer 2');
      expect(platform.requests).toHaveLength(2);
    });

    it('rejects at once with the reason of an already aborted signal', async () => {
      await expect(
        client().request({
          method: 'GET',
          route: '/users/@me',
          signal: AbortSignal.abort(new Error('too late')),
        }),
      ).rejects.toThrow('too late');
      expect(platform.requests).toHaveLength(0);
    });
  });

  describe('logging', () => {
    it('never writes the secret or a token to any log line', async () => {
      const lines: string[] = [];
      const logger = createLogger('audit', 0);
      logger.settings.type = 'hidden';
      logger.attachTransport((record) => lines.push(JSON.stringify(record)));
      let calls = 0;
      platform.handler = () =>
        ++calls === 1
          ? { status: 401, body: { code: 11244, message: 'expired' } }
          : calls === 2
            ? { status: 429, body: { code: 429, message: 'x' } }
            : { body: {} };
      await client({ logger }).request({ method: 'GET', route: '/users/@me' });
      platform.tokenAnswer = { body: { code: 100016, message: 'invalid appid or secret' } };
      await client({ logger, token: new Token('app-2', 'second-secret') })
        .request({ method: 'GET', route: '/users/@me' })
        .catch(() => undefined);

      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(line).not.toMatch(/the-secret|second-secret|token-1|token-2/);
    });
  });
});

async function waitUntil(condition: () => boolean, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
