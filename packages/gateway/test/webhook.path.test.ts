/**
 * The receiver's `path` is checked when the receiver is made: one no request can match (no
 * leading `/`, a query or fragment, whitespace or control characters, or a form a request
 * never carries) would answer every delivery 404 and give its server a URL nobody can use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { WebhookReceiver, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, post, SECRET, signedHeaders } from './webhookClient.js';

/** A receiver serving `path`. */
function receiverAt(path: string): WebhookReceiver {
  return new WebhookReceiver({ secret: SECRET, appId: APP_ID, path, logger: silentLogger() });
}

/** The ValidationError `make` throws, or `undefined` when it throws none. */
function refusalOf(make: () => unknown): unknown {
  try {
    make();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('WebhookReceiver path', () => {
  const servers: WebhookServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it.each([
    ['qq', 'must start with "/"'],
    ['', 'must start with "/"'],
    ['/qq?token=1', 'must not contain "?"'],
    ['/qq#events', 'must not contain "#"'],
    ['/qq bot', 'must not contain whitespace or control characters'],
    ['/qq\tbot', 'must not contain whitespace or control characters'],
    ['/qq\n', 'must not contain whitespace or control characters'],
    ['/qq\u0000', 'must not contain whitespace or control characters'],
    ['//qq', 'reaches the receiver as "/"'],
    ['/a/../qq', 'reaches the receiver as "/qq"'],
    ['/机器人', 'reaches the receiver as "/%E6%9C%BA%E5%99%A8%E4%BA%BA"'],
  ])('refuses path %j with a ValidationError naming path (%s)', (path, problem) => {
    const error = refusalOf(() => receiverAt(path));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'path' });
    expect((error as Error).message).toContain(problem);
    // It says what a path looks like.
    expect((error as Error).message).toContain("'/qq'");
  });

  it('refuses the path when a server is started with it, before anything listens', async () => {
    const started = Promise.resolve().then(() => receiverAt('qq').listen({ port: 0, host: '127.0.0.1' }));
    // Were it to listen, close it after the test.
    void started.then(
      (server) => servers.push(server),
      () => undefined,
    );
    await expect(started).rejects.toMatchObject({ kind: 'validation', field: 'path' });
  });

  it('serves a valid path on a real server: its URL ends with it and a signed event there is acknowledged', async () => {
    const receiver = receiverAt('/qq/events');
    const received: unknown[] = [];
    receiver.on('dispatch', (payload) => received.push(payload.t));
    const server = await receiver.listen({ port: 0, host: '127.0.0.1' });
    servers.push(server);
    const { port } = new URL(server.url);
    expect(server.url).toBe(`http://127.0.0.1:${port}/qq/events`);

    const body = JSON.stringify({ op: 0, id: 'event-1', s: 1, t: 'AT_MESSAGE_CREATE', d: {} });
    const answer = await post(server.url, body, signedHeaders(body));
    expect(answer.status).toBe(200);
    expect(received).toEqual(['AT_MESSAGE_CREATE']);
    const elsewhere = await post(`http://127.0.0.1:${port}/other`, body, signedHeaders(body));
    expect(elsewhere.status).toBe(404);
  });

  it('keeps serving every path when none is given, its URL ending with "/"', async () => {
    const receiver = new WebhookReceiver({ secret: SECRET, logger: silentLogger() });
    receiver.on('dispatch', () => undefined);
    const server = await receiver.listen({ port: 0, host: '127.0.0.1' });
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const body = JSON.stringify({ op: 0, id: 'event-2', s: 2, t: 'AT_MESSAGE_CREATE', d: {} });
    expect((await post(`${server.url}anywhere`, body, signedHeaders(body))).status).toBe(200);
  });
});
