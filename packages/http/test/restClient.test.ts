import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  DecodeError,
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

describe('RestClient', () => {
  const fixture = useRestFixture();
  const client = fixture.client.bind(fixture);

  describe('requests', () => {
    it('sends the platform headers, fills and encodes the route, and adds the query', async () => {
      fixture.platform.handler = () => ({ body: { id: 'm1' } });
      const result = await client().request({
        method: 'GET',
        route: '/channels/{channel_id}/messages/{message_id}',
        params: { channel_id: 'c 1', message_id: 'm/1' },
        query: { limit: 10, after: undefined, flag: true },
      });
      expect(result).toEqual({ id: 'm1' });
      const [request] = fixture.platform.requests;
      expect(request?.path).toBe('/channels/c%201/messages/m%2F1');
      expect(Object.fromEntries(request!.query)).toEqual({ limit: '10', flag: 'true' });
      expect(request?.headers['authorization']).toBe('QQBot token-1');
      expect(request?.headers['x-union-appid']).toBe('app-1');
    });

    it('lets caller headers add to and replace the defaults, never the credentials', async () => {
      await client().request({
        method: 'PUT',
        route: '/interactions/{interaction_id}',
        params: { interaction_id: 'i1' },
        body: { code: 0 },
        headers: { 'X-Callback-AppID': 'app-1', 'User-Agent': 'my-bot/2', Authorization: 'QQBot forged' },
      });
      const headers = fixture.platform.requests[0]?.headers;
      expect(headers?.['x-callback-appid']).toBe('app-1');
      expect(headers?.['user-agent']).toBe('my-bot/2');
      expect(headers?.['accept']).toBe('application/json');
      expect(headers?.['x-union-appid']).toBe('app-1');
      expect(headers?.['authorization']).toBe('QQBot token-1');
    });

    it('sends JSON bodies and resolves undefined for 204', async () => {
      fixture.platform.handler = () => ({ status: 204 });
      const result = await client().request({
        method: 'PATCH',
        route: '/guilds/{guild_id}/mute',
        params: { guild_id: 'g' },
        body: { mute_seconds: '60' },
      });
      expect(result).toBeUndefined();
      expect(fixture.platform.requests[0]?.headers['content-type']).toMatch(/application\/json/);
      expect(fixture.platform.requests[0]?.json).toEqual({ mute_seconds: '60' });
    });

    it('encodes files as multipart with object fields as JSON strings', async () => {
      fixture.platform.handler = () => ({ body: { id: 'm2' } });
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
      const request = fixture.platform.requests[0]!;
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
      fixture.platform.handler = () => ({
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
      expect(fixture.platform.requests).toHaveLength(0);
      expect(fixture.platform.tokenRequests).toHaveLength(0);
    });
  });

  describe('errors', () => {
    it('rejects a 2xx answer whose body is not JSON with a DecodeError naming route and status', async () => {
      fixture.platform.handler = () => ({ status: 200, raw: '<html>gateway page</html>' });
      const error = await client()
        .request({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: 'g' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DecodeError);
      expect(error).toMatchObject({
        kind: 'decode',
        method: 'GET',
        route: '/guilds/{guild_id}',
        status: 200,
        traceId: 'trace-abc',
        message: expect.stringContaining('GET /guilds/{guild_id} answered 200'),
      });
      expect(fixture.platform.requests).toHaveLength(1);
    });

    it('resolves an empty 2xx body to undefined, and still reads the status of an error page', async () => {
      fixture.platform.handler = () => ({ status: 200, raw: '' });
      await expect(client().request({ method: 'GET', route: '/users/@me' })).resolves.toBeUndefined();
      fixture.platform.handler = () => ({ status: 404, raw: '<html>not found</html>' });
      await expect(client().request({ method: 'GET', route: '/users/@me' })).rejects.toMatchObject({
        kind: 'api',
        status: 404,
      });
    });

    it('maps an error body to ApiError with status, codes, trace id, method and route', async () => {
      fixture.platform.handler = () => ({
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
      fixture.platform.handler = () => ({
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
      fixture.platform.handler = (request) =>
        request.headers['authorization'] === 'QQBot token-1'
          ? { status: 401, body: { code: 11244, message: 'token expired' } }
          : { body: { ok: true } };
      await expect(client().request({ method: 'GET', route: '/users/@me' })).resolves.toEqual({ ok: true });
      expect(fixture.platform.tokenRequests).toHaveLength(2);
      expect(fixture.platform.requests.map((r) => r.headers['authorization'])).toEqual([
        'QQBot token-1',
        'QQBot token-2',
      ]);
    });

    it('refreshes on code 11244 whatever the status', async () => {
      fixture.platform.handler = (request) =>
        request.headers['authorization'] === 'QQBot token-1'
          ? { status: 400, body: { code: 11244, message: 'expired' } }
          : { body: 1 };
      await expect(client().request({ method: 'GET', route: '/users/@me' })).resolves.toBe(1);
    });

    it('gives up with an AuthenticationError when the fresh token is refused too', async () => {
      fixture.platform.handler = () => ({ status: 401, body: { code: 11244, message: 'token expired' } });
      const error = await client()
        .request({ method: 'GET', route: '/users/@me' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(fixture.platform.requests).toHaveLength(2);
      expect(fixture.platform.tokenRequests).toHaveLength(2);
    });

    it('never puts the secret or a token in an error', async () => {
      fixture.platform.handler = () => ({ status: 401, body: { code: 11244, message: 'token expired' } });
      const error = await client()
        .request({ method: 'GET', route: '/users/@me' })
        .catch((e: unknown) => e);
      const text = `${String(error)} ${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`;
      expect(text).not.toMatch(/the-secret|token-1|token-2/);
    });
  });

  describe('logging', () => {
    it('never writes the secret or a token to any log line', async () => {
      const lines: string[] = [];
      const logger = createLogger('audit', 0);
      logger.settings.type = 'hidden';
      logger.attachTransport((record) => lines.push(JSON.stringify(record)));
      let calls = 0;
      fixture.platform.handler = () =>
        ++calls === 1
          ? { status: 401, body: { code: 11244, message: 'expired' } }
          : calls === 2
            ? { status: 429, body: { code: 429, message: 'x' } }
            : { body: {} };
      await client({ logger }).request({ method: 'GET', route: '/users/@me' });
      fixture.platform.tokenAnswer = { body: { code: 100016, message: 'invalid appid or secret' } };
      await client({ logger, token: new Token('app-2', 'second-secret') })
        .request({ method: 'GET', route: '/users/@me' })
        .catch(() => undefined);

      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(line).not.toMatch(/the-secret|second-secret|token-1|token-2/);
    });
  });
});
