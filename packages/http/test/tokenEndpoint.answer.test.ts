import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessTokenProvider, ApiError, Token, createLogger } from '@bot/http';
import { FakePlatform } from './support/fakePlatform.js';
import { useRestFixture } from './support/restFixture.js';

// docs/protocol.md §1.2: what a 200 from the token endpoint must hold before its token is used.

const silent = () => createLogger('test', 7);

describe('token endpoint answers', () => {
  let platform: FakePlatform;
  beforeEach(async () => {
    platform = await FakePlatform.start();
  });
  afterEach(async () => {
    await platform.stop();
  });

  const provider = () =>
    new AccessTokenProvider(new Token('1024', 'the-secret'), {
      tokenUrl: platform.tokenUrl,
      logger: silent(),
    });

  it.each([
    ['a line break', { access_token: 'tok3n\nvalue', expires_in: 7200 }],
    ['a space', { access_token: 'tok3n value', expires_in: 7200 }],
    ['a non-ASCII character', { access_token: 'tok3n\u00e9value', expires_in: 7200 }],
    ['over 4096 characters', { access_token: 'a'.repeat(4097), expires_in: 7200 }],
    ['an empty token', { access_token: '', expires_in: 7200 }],
    ['a number for a token', { access_token: 12345, expires_in: 7200 }],
    ['no access_token field', { accessToken: 'tok3n', expires_in: 7200 }],
    ['an empty object', {}],
    ['code 0 and no token', { code: 0, message: 'ok' }],
  ])(
    'takes a 200 with %s for an outage (kind api), never caches it, and fetches again on the next get()',
    async (_name, body) => {
      platform.tokenAnswer = { status: 200, body };
      const tokens = provider();
      const error = await tokens.get().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ kind: 'api', status: 200 });
      const message = (error as Error).message;
      expect(message).toContain('unusable access_token');
      expect(message).not.toMatch(/AppSecret/);
      expect(message).not.toContain('tok3n');
      expect(tokens.current()).toBeUndefined();

      platform.tokenAnswer = undefined;
      await expect(tokens.get()).resolves.toBe('token-2');
      expect(platform.tokenRequests).toHaveLength(2);
    },
  );

  it('still takes a 200 carrying a platform code and no token for refused credentials', async () => {
    platform.tokenAnswer = { status: 200, body: { code: 100016, message: 'invalid appid or secret' } };
    await expect(provider().get()).rejects.toMatchObject({ kind: 'authentication', code: 100016 });
  });

  it('accepts a token of printable ASCII up to 4096 characters', async () => {
    const value = `${'A-z0~9._+/='.repeat(372)}abcd`;
    expect(value).toHaveLength(4096);
    platform.tokenAnswer = { status: 200, body: { access_token: value, expires_in: '7200' } };
    await expect(provider().get()).resolves.toBe(value);
  });
});

describe('a REST call while the token endpoint answers an unusable token', () => {
  const fixture = useRestFixture();

  it('fails with the endpoint ApiError without sending, and the next call fetches a token again', async () => {
    fixture.platform.tokenAnswer = { status: 200, body: { access_token: 'tok3n\nvalue', expires_in: 7200 } };
    const rest = fixture.client();
    const call = () => rest.request({ method: 'GET', route: '/users/@me' });
    await expect(call()).rejects.toMatchObject({ kind: 'api', route: '/app/getAppAccessToken' });
    expect(fixture.platform.requests).toHaveLength(0);

    fixture.platform.tokenAnswer = undefined;
    await expect(call()).resolves.toEqual({});
    expect(fixture.platform.requests[0]?.headers['authorization']).toBe('QQBot token-2');
  });
});

/** A token endpoint that streams `total` bytes of a JSON-looking body in `chunk`-byte writes. */
async function streamingTokenServer(options: { total: number; chunk: number; declareLength: boolean }) {
  const state = { written: 0, closedEarly: false, requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(options.declareLength ? { 'content-length': String(options.total) } : {}),
    });
    res.on('close', () => {
      if (state.written < options.total) state.closedEarly = true;
    });
    const piece = Buffer.alloc(options.chunk, 0x20);
    const writeMore = (): void => {
      while (state.written < options.total && !res.destroyed) {
        state.written += piece.length;
        if (!res.write(piece)) {
          res.once('drain', writeMore);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    writeMore();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/getAppAccessToken`;
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { state, url, stop };
}

describe('token endpoint answer size', () => {
  it.each([
    ['streamed without a length', false],
    ['announced by Content-Length', true],
  ])(
    'refuses an answer over 64 KiB %s with a typed outage error, and stops reading it',
    async (_name, declareLength) => {
      const total = 64 * 1024 * 1024;
      const server = await streamingTokenServer({ total, chunk: 1024 * 1024, declareLength });
      try {
        const tokens = new AccessTokenProvider(new Token('1024', 'the-secret'), {
          tokenUrl: server.url,
          logger: silent(),
        });
        const error = await tokens.get().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ kind: 'api', status: 200, route: '/app/getAppAccessToken' });
        expect((error as Error).message).toContain('65536 bytes');
        await expect.poll(() => server.state.closedEarly).toBe(true);
        expect(server.state.written).toBeLessThan(total);
        expect(tokens.current()).toBeUndefined();
      } finally {
        await server.stop();
      }
    },
  );
});

/** A token endpoint answering a valid token padded with trailing spaces to exactly `size` bytes. */
async function paddedTokenServer(size: number, declareLength: boolean) {
  const json = JSON.stringify({ access_token: 'tok3n', expires_in: '7200' });
  const body = json + ' '.repeat(size - json.length);
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(declareLength ? { 'content-length': String(body.length) } : {}),
    });
    // Two writes without a length: the answer is chunked, and counted as it arrives.
    res.write(body.slice(0, 1024));
    res.end(body.slice(1024));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/getAppAccessToken`;
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, stop };
}

describe('token endpoint answer size at the cap', () => {
  const LIMIT = 64 * 1024;
  const tokensFrom = (tokenUrl: string) =>
    new AccessTokenProvider(new Token('1024', 'the-secret'), { tokenUrl, logger: silent() });

  it.each([
    ['streamed without a length', false],
    ['announced by Content-Length', true],
  ])('reads an answer of exactly 65,536 bytes %s', async (_name, declareLength) => {
    const server = await paddedTokenServer(LIMIT, declareLength);
    try {
      await expect(tokensFrom(server.url).get()).resolves.toBe('tok3n');
    } finally {
      await server.stop();
    }
  });

  it.each([
    ['streamed without a length', false],
    ['announced by Content-Length', true],
  ])('refuses an answer of 65,537 bytes %s', async (_name, declareLength) => {
    const server = await paddedTokenServer(LIMIT + 1, declareLength);
    try {
      const error = await tokensFrom(server.url)
        .get()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as Error).message).toContain('65536 bytes');
    } finally {
      await server.stop();
    }
  });
});
