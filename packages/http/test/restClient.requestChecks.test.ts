import { afterEach, describe, expect, it, vi } from 'vitest';
import { NetworkError, ValidationError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// A request that cannot be built — a body JSON cannot encode, a header value no HTTP message can
// carry — is the caller's mistake, not a network failure: the call fails at once with a
// ValidationError naming the field, before any token fetch, send or back-off, and is not retried.

const PUT_ROLE = {
  method: 'PUT',
  route: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}',
  params: { guild_id: 'g', user_id: 'u', role_id: 'r' },
} as const;

describe('a request that cannot be built', () => {
  const fixture = useRestFixture();
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs `request` under fake timers that never advance: only a check made before any wait can settle it. */
  async function refusal(options: Record<string, unknown>): Promise<unknown> {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    });
    const rest = fixture.client();
    const error = await rest.request({ ...PUT_ROLE, ...options }).catch((e: unknown) => e);
    expect(fixture.platform.requests).toHaveLength(0);
    expect(fixture.platform.tokenRequests).toHaveLength(0);
    return error;
  }

  it('with a circular body is refused as a ValidationError of body', async () => {
    const body: Record<string, unknown> = { color: 1 };
    body['self'] = body;

    const error = await refusal({ body });

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'validation', field: 'body' });
    expect((error as Error).message).toMatch(/^body cannot be sent as JSON: .*circular/i);
  });

  it('with a BigInt in its body is refused as a ValidationError of body', async () => {
    const error = await refusal({ body: { color: 10n } });

    expect(error).toMatchObject({ kind: 'validation', field: 'body' });
    expect((error as Error).message).toMatch(/BigInt/);
  });

  it('with a line break in a header value is refused as a ValidationError naming the header', async () => {
    const error = await refusal({ headers: { 'x-audit-reason': 'ok\r\nx-forged: 1' } });

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'validation', field: 'headers["x-audit-reason"]' });
  });

  it('with a header name no HTTP message can carry is refused as a ValidationError naming it', async () => {
    const error = await refusal({ headers: { 'bad name': 'x' } });

    expect(error).toMatchObject({ kind: 'validation', field: 'headers["bad name"]' });
  });

  it('with a multipart body that cannot be encoded is refused the same way', async () => {
    const body: Record<string, unknown> = {};
    body['self'] = body;

    const error = await refusal({
      method: 'POST',
      route: '/channels/{channel_id}/messages',
      params: { channel_id: 'c' },
      body,
      files: { file_image: { name: 'a.png', data: new Uint8Array([1]) } },
    });

    expect(error).toMatchObject({ kind: 'validation', field: 'body' });
  });
});

describe('a JSON body', () => {
  const fixture = useRestFixture();

  it('is sent as the JSON text of the body, with its content type', async () => {
    const rest = fixture.client();

    await rest.request({ ...PUT_ROLE, body: { channel: { id: 'c' }, n: [1, 'a', null] } });

    const [sent] = fixture.platform.requests;
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.json).toEqual({ channel: { id: 'c' }, n: [1, 'a', null] });
  });

  it('keeps a content type the caller set', async () => {
    const rest = fixture.client();

    await rest.request({
      ...PUT_ROLE,
      body: { a: 1 },
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });

    expect(fixture.platform.requests[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('a failure that is neither a system error nor an unreadable HTTP answer', () => {
  const fixture = useRestFixture();

  it('is reported at once, with its reason, and not retried', async () => {
    // A body declared gzip that is not: no retry reads it any better.
    fixture.platform.handler = () => ({ raw: 'not gzip at all', headers: { 'content-encoding': 'gzip' } });
    const rest = fixture.client({ retries: 3 });

    const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).reason).toMatch(/^Z_DATA_ERROR: /);
    expect((error as Error).message).toContain('got an answer that could not be read: Z_DATA_ERROR');
    expect((error as Error).message).not.toContain('failed on the network');
    expect(fixture.platform.requests).toHaveLength(1);
  });
});
