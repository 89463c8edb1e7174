/**
 * A receiver whose application is shutting down refuses deliveries with 503 as a busy one does, for
 * the platform to deliver them again, but says so: someone reading a proxy's log after a deploy
 * must not be sent looking for a load problem. A delivery whose head came before the shutdown and
 * whose body came after it is refused the same way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookRefusedError, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, post, RawClient, requestsSeen, SECRET, signedHeaders } from './webhookClient.js';

const EVENT = JSON.stringify({ op: 0, id: 'evt-1', t: 'C2C_MESSAGE_CREATE', d: { content: 'hi' } });

let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A receiver on `/qq` listening on 127.0.0.1 with the given predicates, and what it refused. */
async function listening(state: { shuttingDown: boolean; busy: boolean }): Promise<{
  rejected: WebhookRefusedError[];
  reports: Error[];
  dispatched: unknown[];
}> {
  const receiver = new WebhookReceiver({
    secret: SECRET,
    appId: APP_ID,
    path: '/qq',
    logger: silentLogger(),
    shuttingDown: () => state.shuttingDown,
    busy: () => state.busy,
  });
  const rejected: WebhookRefusedError[] = [];
  const reports: Error[] = [];
  const dispatched: unknown[] = [];
  receiver.on('rejected', (_status, _reason, error) => rejected.push(error));
  receiver.on('error', (error) => reports.push(error));
  receiver.on('dispatch', (payload) => dispatched.push(payload.id));
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  return { rejected, reports, dispatched };
}

describe('WebhookReceiver shuttingDown', () => {
  it('refuses with 503 and Retry-After as shuttingDown, not as overloaded, even while also busy', async () => {
    const state = { shuttingDown: true, busy: true };
    const { rejected, reports, dispatched } = await listening(state);
    const answer = await post(server!.url, EVENT, signedHeaders(EVENT));

    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    const detail = (JSON.parse(answer.body) as { error: string }).error;
    expect(detail).toMatch(/^shutting down/);
    expect(detail).not.toMatch(/busy/);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ code: 'shuttingDown', status: 503, retryAfterSeconds: 1 });
    expect(dispatched).toEqual([]);
    // Not a set-up problem: only announced on `rejected`.
    expect(reports).toEqual([]);
  });

  it('refuses from the head, before a byte of the body is sent', async () => {
    const { rejected } = await listening({ shuttingDown: true, busy: false });
    const client = await RawClient.open(server!.server);
    client.writeHead('/qq', { ...signedHeaders(EVENT), 'Content-Length': Buffer.byteLength(EVENT) });
    const answer = await client.nextAnswer();
    expect(answer.status).toBe(503);
    expect(rejected.map((error) => error.code)).toEqual(['shuttingDown']);
    await client.closed;
  });

  it('refuses as shuttingDown a delivery whose body is completed after the shutdown began', async () => {
    // The head came while running; the body after: acknowledged, it would be lost with the process.
    const state = { shuttingDown: false, busy: false };
    const { rejected, reports, dispatched } = await listening(state);
    const client = await RawClient.open(server!.server);
    const arrived = requestsSeen(server!.server, 1);
    client.writeHead('/qq', { ...signedHeaders(EVENT), 'Content-Length': Buffer.byteLength(EVENT) });
    client.socket.write(EVENT.slice(0, 10));
    await arrived;
    state.shuttingDown = true;
    client.socket.write(EVENT.slice(10));
    const answer = await client.nextAnswer();

    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.headers.get('connection')).toBe('close');
    expect((JSON.parse(answer.body) as { error: string }).error).toBe('shutting down: retry later');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ code: 'shuttingDown', status: 503, retryAfterSeconds: 1 });
    expect(dispatched).toEqual([]);
    expect(reports).toEqual([]);
    await client.closed;
  });

  it('keeps overloaded for a busy receiver that is not shutting down, and takes deliveries when neither', async () => {
    const state = { shuttingDown: false, busy: true };
    const { rejected, dispatched } = await listening(state);
    expect((await post(server!.url, EVENT, signedHeaders(EVENT))).status).toBe(503);
    state.busy = false;
    expect((await post(server!.url, EVENT, signedHeaders(EVENT))).status).toBe(200);
    expect(rejected.map((error) => error.code)).toEqual(['overloaded']);
    expect(dispatched).toEqual(['evt-1']);
  });
});
