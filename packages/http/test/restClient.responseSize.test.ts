import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseTooLargeError, RestClient, Token, ValidationError, createLogger } from '@bot/http';

// A REST answer is network input: it is read only up to the client's `maxResponseBytes`. A larger
// declared Content-Length is refused as soon as the headers arrive, and a body without one (or
// one that lies) is cut off once the bytes read pass the limit, so one runaway answer cannot
// take the process's memory.

const MiB = 1024 * 1024;
const ROUTE = '/guilds/{guild_id}/members';

/** A server on 127.0.0.1 answering every request with `answer`; it records how each answer ended. */
async function serve(answer: (res: http.ServerResponse) => Promise<void> | void): Promise<{
  baseUrl: string;
  hits: () => number;
  ended: Promise<'closed early' | 'written whole'>;
  close: () => Promise<void>;
}> {
  let hits = 0;
  let settle!: (how: 'closed early' | 'written whole') => void;
  const ended = new Promise<'closed early' | 'written whole'>((resolve) => (settle = resolve));
  const server = http.createServer((_req, res) => {
    hits++;
    res.on('close', () => settle(res.writableFinished ? 'written whole' : 'closed early'));
    void answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    hits: () => hits,
    ended,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes `total` bytes of a JSON string in 1 MiB chunks, waiting for the socket to drain. */
async function streamJson(res: http.ServerResponse, total: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(MiB, 'a');
  res.write('"');
  for (let sent = 0; sent < total && !res.destroyed; sent += MiB) {
    if (!res.write(chunk))
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
  }
  if (!res.destroyed) res.end('"');
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function client(baseUrl: string, options: { maxResponseBytes?: number } = {}): RestClient {
  const rest = new RestClient({
    token: new Token('1024', 'secret'),
    baseUrl,
    logger: createLogger('test', 7),
    backoff: { base: 5, max: 20 },
    ...options,
  });
  cleanup.push(() => rest.destroy());
  return rest;
}

describe('maxResponseBytes', () => {
  it('cuts off a streamed answer without Content-Length once it passes the limit, and does not retry', async () => {
    const server = await serve((res) => streamJson(res, 64 * MiB));
    cleanup.push(server.close);
    const rest = client(server.baseUrl, { maxResponseBytes: MiB });

    const error = await rest
      .request({ method: 'GET', route: ROUTE, params: { guild_id: 'g' }, unauthenticated: true })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({
      kind: 'responseTooLarge',
      method: 'GET',
      route: ROUTE,
      limit: MiB,
      declared: false,
    });
    const { size, message } = error as ResponseTooLargeError;
    expect(size).toBeGreaterThan(MiB);
    expect(size).toBeLessThan(64 * MiB);
    expect(message).toContain(`GET ${ROUTE}`);
    expect(message).toContain('maxResponseBytes');
    expect(message).toContain(String(MiB));
    // The socket was closed under the server before it had written everything.
    await expect(server.ended).resolves.toBe('closed early');
    expect(server.hits()).toBe(1);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const declared = 64 * MiB;
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(declared) });
      res.write('"');
      // The rest of the body never comes: only the header can have ended the call.
    });
    cleanup.push(server.close);
    const rest = client(server.baseUrl, { maxResponseBytes: MiB });

    const error = await rest
      .request({
        method: 'POST',
        route: '/channels/{channel_id}/messages',
        params: { channel_id: 'c' },
        body: {},
        unauthenticated: true,
      })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'responseTooLarge', size: declared, declared: true, limit: MiB });
    // The platform answered a POST: it was delivered and may have taken effect.
    expect((error as Error).message).toContain('check before sending again');
    await expect(server.ended).resolves.toBe('closed early');
  });

  it('counts the bytes after decompression: a small gzip body that inflates past the limit is cut off', async () => {
    // 64 MiB of JSON text in about 64 KiB of gzip, with its (honest) Content-Length.
    const zipped = gzipSync(Buffer.concat([Buffer.from('"'), Buffer.alloc(64 * MiB, 'a'), Buffer.from('"')]));
    const server = await serve((res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(zipped.length),
      });
      res.end(zipped);
    });
    cleanup.push(server.close);
    const rest = client(server.baseUrl, { maxResponseBytes: MiB });

    const error = await rest
      .request({ method: 'GET', route: '/users/@me', unauthenticated: true })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'responseTooLarge', declared: false, limit: MiB });
    expect((error as ResponseTooLargeError).size).toBeLessThan(64 * MiB);
  });

  it('reads an answer of exactly the limit', async () => {
    const body = JSON.stringify({ data: 'x'.repeat(1000) });
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    cleanup.push(server.close);
    const rest = client(server.baseUrl, { maxResponseBytes: Buffer.byteLength(body) });

    await expect(
      rest.request({ method: 'GET', route: '/users/@me', unauthenticated: true }),
    ).resolves.toEqual({ data: 'x'.repeat(1000) });
  });

  it('defaults to 8 MiB', async () => {
    const server = await serve((res) => streamJson(res, 64 * MiB));
    cleanup.push(server.close);
    const rest = client(server.baseUrl);

    await expect(
      rest.request({ method: 'GET', route: '/users/@me', unauthenticated: true }),
    ).rejects.toMatchObject({ kind: 'responseTooLarge', limit: 8 * MiB });
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => client('http://127.0.0.1:1', { maxResponseBytes: 0 })).toThrow(ValidationError);
    expect(() => client('http://127.0.0.1:1', { maxResponseBytes: 1.5 })).toThrow(/maxResponseBytes/);
  });
});
