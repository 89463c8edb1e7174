/**
 * The receiver's own server: a request path no URL parser takes is a stranger's bad request (404),
 * not a receiver bug (500); a port that cannot be listened on is a typed error saying where and
 * what to do; and a server error after listening reaches the receiver's `error` event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { RawClient, SECRET } from './webhookClient.js';

describe('WebhookReceiver.listen', () => {
  const servers: WebhookServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  const receiver = () => new WebhookReceiver({ secret: SECRET, path: '/qq', logger: silentLogger() });

  it.each(['//', '//qq', '/%'])('answers POST %s with 404 unknownPath, not 500', async (path) => {
    const subject = receiver();
    const refusals: string[] = [];
    subject.on('rejected', (_status, _reason, error) => refusals.push(error.code));
    const server = await subject.listen({ port: 0, host: '127.0.0.1' });
    servers.push(server);
    const client = await RawClient.open(server.server);
    client.writeHead(path, { 'Content-Length': 0 });
    const answer = await client.nextAnswer();
    expect(answer.status).toBe(404);
    expect(refusals).toEqual(['unknownPath']);
  });

  it.each([70_000, -1, 1.5, Number.NaN])(
    'refuses port %s with a ValidationError naming the port, as a rejection',
    async (port) => {
      await expect(receiver().listen({ port, host: '127.0.0.1' })).rejects.toMatchObject({
        kind: 'validation',
        field: 'port',
      });
    },
  );

  it('rejects with a gateway error naming host and port when the port is taken', async () => {
    const first = await receiver().listen({ port: 0, host: '127.0.0.1' });
    servers.push(first);
    const port = Number(new URL(first.url).port);
    const error = await receiver()
      .listen({ port, host: '127.0.0.1' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'gateway' });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).toMatch(/EADDRINUSE/);
    expect((error as Error).cause).toMatchObject({ code: 'EADDRINUSE' });
  });

  it("reports a server error after listening on the receiver's error event instead of throwing it", async () => {
    const subject = receiver();
    const errors: Error[] = [];
    subject.on('error', (error) => errors.push(error));
    const server = await subject.listen({ port: 0, host: '127.0.0.1' });
    servers.push(server);
    server.server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'gateway' });
    expect(errors[0]?.message).toMatch(/EMFILE/);
  });
});
