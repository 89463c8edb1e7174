import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessTokenProvider, ClientDestroyedError, NetworkError, RestClient, Token } from '@bot/http';
import * as errors from '../src/errors/index.js';
import { isRetryable } from '../src/media/uploadParts.js';
import { isTokenOutage } from '../src/rest/retryRules.js';

/** A token endpoint that accepts connections and never answers. */
async function silentTokenEndpoint(): Promise<{ url: string; server: Server; requests: () => number }> {
  let requests = 0;
  const server = createServer(() => void (requests += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/app/getAppAccessToken`, server, requests: () => requests };
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('ClientDestroyedError', () => {
  it('is exported with the other errors of the package', () => {
    expect(errors.ClientDestroyedError).toBe(ClientDestroyedError);
  });

  it('tells a standalone RestClient user that RestClient.destroy() ended the request', async () => {
    const rest = new RestClient({ token: new Token('app', 'secret'), baseUrl: 'http://127.0.0.1:9' });
    rest.destroy();
    const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientDestroyedError);
    expect((error as Error).message).toMatch(
      /^GET \/users\/@me was not completed: its REST client was destroyed \(RestClient\.destroy\(\), which a Client's shutdown\(\) calls\)/,
    );
  });
});

describe('an access token provider closed by its signal', () => {
  /** A token provider for a token endpoint that never answers, its signal aborted already when `closed`. */
  async function providerOnSilentEndpoint({ closed }: { closed: boolean }) {
    const endpoint = await silentTokenEndpoint();
    server = endpoint.server;
    const lifetime = new AbortController();
    if (closed) lifetime.abort();
    const tokens = new AccessTokenProvider(new Token('app', 'secret'), {
      tokenUrl: endpoint.url,
      signal: lifetime.signal,
    });
    return { endpoint, tokens, lifetime };
  }

  it('fails a later fetch with a final ClientDestroyedError, not a NetworkError, and sends nothing', async () => {
    const { endpoint, tokens } = await providerOnSilentEndpoint({ closed: true });
    const error = await tokens.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientDestroyedError);
    expect(error).not.toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ kind: 'clientDestroyed', method: 'POST', route: '/app/getAppAccessToken' });
    expect((error as Error).message).toContain('its access token provider was closed');
    expect((error as Error).message).not.toContain('failed on the network');
    // Final everywhere: a request does not fetch again, an upload part is not re-sent.
    expect(isTokenOutage(error)).toBe(false);
    expect(isRetryable(error)).toBe(false);
    expect(endpoint.requests()).toBe(0);
  });

  it('ends a fetch in flight with the same error', async () => {
    const { endpoint, tokens, lifetime } = await providerOnSilentEndpoint({ closed: false });
    const fetching = tokens.get().catch((e: unknown) => e);
    await expect.poll(() => endpoint.requests()).toBe(1);
    lifetime.abort();
    const error = await fetching;
    expect(error).toBeInstanceOf(ClientDestroyedError);
    expect(error).toMatchObject({ kind: 'clientDestroyed', route: '/app/getAppAccessToken' });
  });

  it("ends a RestClient's request with an error naming that request, not the token fetch", async () => {
    const { endpoint, tokens } = await providerOnSilentEndpoint({ closed: true });
    const rest = new RestClient({ token: new Token('app', 'secret'), tokens, baseUrl: 'http://127.0.0.1:9' });
    const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
    rest.destroy();
    expect(error).toBeInstanceOf(ClientDestroyedError);
    expect(error).toMatchObject({
      kind: 'clientDestroyed',
      method: 'GET',
      route: '/users/@me',
      destroyed: 'tokenProvider',
    });
    expect((error as Error).message).toMatch(
      /^GET \/users\/@me was not completed: its access token provider was closed/,
    );
    // The provider's own failure stays reachable, for whoever logs the chain.
    expect((error as Error).cause).toMatchObject({ method: 'POST', route: '/app/getAppAccessToken' });
    expect(endpoint.requests()).toBe(0);
  });
});
