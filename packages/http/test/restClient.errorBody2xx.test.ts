import { describe, expect, it } from 'vitest';
import { ApiError, BotApi, DecodeError, PendingAudit } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// docs/protocol.md §8.5: a 2xx whose body is the platform's error shape is a refusal, and a 2xx
// whose body is JSON but neither an object nor an array is no answer at all.

describe('a 2xx answer carrying an error body', () => {
  const fixture = useRestFixture();
  const api = () => new BotApi(fixture.client({ retries: 2 }));

  it('rejects a send answered 200 with a platform code as an ApiError, not as the sent message', async () => {
    fixture.platform.handler = () => ({ status: 200, body: { code: 304003, message: 'url not allowed' } });
    const error = await api()
      .messages.send('c1', { content: 'see https://example.com' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      kind: 'api',
      status: 200,
      code: 304003,
      traceId: 'trace-abc',
      method: 'POST',
      route: '/channels/{channel_id}/messages',
      mayHaveBeenSent: false,
    });
    expect((error as Error).message).toContain('200 code 304003: url not allowed');
    // A refusal is not repeated.
    expect(fixture.platform.requests).toHaveLength(1);
  });

  it('rejects a status 299 with an error body alike', async () => {
    fixture.platform.handler = () => ({ status: 299, body: { code: 1, message: 'no' } });
    await expect(api().users.me()).rejects.toMatchObject({ kind: 'api', status: 299, code: 1 });
  });

  it('takes a 200 with the token-expired code for an expired token: fetches a new one and asks again', async () => {
    let answers = 0;
    fixture.platform.handler = () =>
      ++answers === 1
        ? { status: 200, body: { code: 11244, message: 'token expired' } }
        : { status: 200, body: { id: 'u1', username: 'bot' } };
    await expect(api().users.me()).resolves.toEqual({ id: 'u1', username: 'bot' });
    expect(fixture.platform.tokenRequests).toHaveLength(2);
    expect(fixture.platform.requests[1]?.headers.authorization).toBe('QQBot token-2');
  });

  it('still resolves an audit: 202 with code 304024, and 200 with code 304023 on an auditable send', async () => {
    fixture.platform.handler = () => ({
      status: 202,
      body: { code: 304024, message: 'held', data: { message_audit: { audit_id: 'a-1' } } },
    });
    const held = await api().messages.send('c1', { content: 'hi' });
    expect(held).toBeInstanceOf(PendingAudit);
    expect(held).toMatchObject({ auditId: 'a-1', code: 304024 });

    fixture.platform.handler = () => ({ status: 200, body: { code: 304023, message: 'held' } });
    await expect(api().messages.send('c1', { content: 'hi' })).resolves.toMatchObject({
      pendingAudit: true,
      code: 304023,
    });
  });

  it.each([
    ['an object with its own fields beside code and message', { id: 'u1', code: 7, message: 'hi' }],
    ['code 0', { code: 0, message: 'ok' }],
    ['a code without a message', { code: 5 }],
    ['an array', [{ id: 'g1' }]],
    ['null', null],
  ])('resolves a 200 with %s as the answer', async (_name, body) => {
    fixture.platform.handler = () => ({ status: 200, body });
    await expect(fixture.client().request({ method: 'GET', route: '/users/@me' })).resolves.toEqual(body);
  });

  it('resolves a 204 to undefined', async () => {
    fixture.platform.handler = () => ({ status: 204 });
    await expect(
      fixture.client().request({ method: 'DELETE', route: '/guilds/{guild_id}', params: { guild_id: 'g' } }),
    ).resolves.toBeUndefined();
  });
});

describe('a 2xx answer of the wrong JSON type', () => {
  const fixture = useRestFixture();

  it.each([
    ['a number', '42', 'a number'],
    ['a string', '"ok"', 'a string'],
    ['a boolean', 'true', 'a boolean'],
  ])('rejects users.me answered with %s as a DecodeError naming the endpoint', async (_name, raw, found) => {
    fixture.platform.handler = () => ({ status: 200, raw });
    const error = await new BotApi(fixture.client()).users.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({
      kind: 'decode',
      method: 'GET',
      route: '/users/@me',
      status: 200,
      traceId: 'trace-abc',
    });
    expect((error as Error).message).toContain(`GET /users/@me answered 200 with ${found}`);
    expect(fixture.platform.requests).toHaveLength(1);
  });
});
