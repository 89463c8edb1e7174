import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { post, SECRET, signedHeaders } from './webhookClient.js';

let server: WebhookServer | undefined;
let own: Server | undefined;

afterEach(async () => {
  await server?.close();
  if (own !== undefined) {
    own.closeAllConnections();
    await new Promise((resolve) => own?.close(resolve));
  }
  server = undefined;
  own = undefined;
});

/** A signed C2C event of id `id`, as the platform delivers it. */
function delivery(id: string): string {
  return JSON.stringify({
    op: 0,
    id,
    t: 'C2C_MESSAGE_CREATE',
    s: 1,
    d: {
      id: `msg-${id}`,
      content: 'hi',
      timestamp: '2026-12-07T08:00:00+08:00',
      author: { user_openid: 'u' },
    },
  });
}

/** A receiver behind a server of its own, errors and debug lines collected. */
async function served(options: { dispatchWaitMs?: number; dispatchAttempts?: number } = {}) {
  const receiver = new WebhookReceiver({ secret: SECRET, logger: silentLogger(), ...options });
  const errors: Error[] = [];
  const debug: string[] = [];
  receiver.on('error', (error) => errors.push(error));
  receiver.on('debug', (message) => debug.push(message));
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  const url = server.url;
  const deliver = (id: string) => {
    const body = delivery(id);
    return post(url, body, signedHeaders(body));
  };
  return { receiver, errors, debug, deliver };
}

/** Polls `done` every 5 ms, for at most 2 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("WebhookReceiver's dispatchWaitMs", () => {
  it("defaults to 0: an async listener's delivery is answered at once, and its later rejection is reported as not delivered again", async () => {
    const { receiver, errors, deliver } = await served();
    receiver.on('dispatch', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      throw new Error('downstream failed');
    });
    const started = Date.now();
    const answer = await deliver('ev-default');
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(250);
    await until(() => errors.length > 0);
    expect(errors.map((error) => error.message)).toEqual([
      "a 'dispatch' listener rejected on event C2C_MESSAGE_CREATE ev-default after its delivery was answered, so the platform does not deliver it again for this failure: see the cause",
    ]);
  });

  it('still answers 500 for a listener that throws, by default', async () => {
    const { receiver, deliver } = await served();
    receiver.on('dispatch', () => {
      throw new Error('sync failure');
    });
    expect((await deliver('ev-throws')).status).toBe(500);
  });

  it('reports every rejection of several async listeners answered at once, not only the first', async () => {
    const { receiver, errors, deliver } = await served();
    for (const name of ['first', 'second'])
      receiver.on('dispatch', async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error(`${name} failed`);
      });
    expect((await deliver('ev-two-late')).status).toBe(200);
    await until(() => errors.length > 1);
    expect(errors.map((error) => (error.cause as Error).message)).toEqual(['first failed', 'second failed']);
  });

  it('refuses a delivery two waited-for listeners reject with both rejections as its cause', async () => {
    const { receiver, errors, deliver } = await served({ dispatchWaitMs: 1_000 });
    for (const [name, ms] of [
      ['first', 10],
      ['second', 40],
    ] as const)
      receiver.on('dispatch', async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        throw new Error(`${name} failed`);
      });
    expect((await deliver('ev-two')).status).toBe(500);
    // One failed delivery, counted once; its cause holds each rejection.
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('failed delivery 1 of');
    const cause = errors[0]?.cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect((cause.errors as Error[]).map((error) => error.message)).toEqual([
      'first failed',
      'second failed',
    ]);
  });
});

describe("WebhookReceiver's count of failed deliveries", () => {
  it('starts again once a delivery of the event was acknowledged', async () => {
    const { receiver, errors, deliver } = await served({ dispatchAttempts: 3 });
    const outcomes = [true, false, true, true, true];
    let call = 0;
    receiver.on('dispatch', () => {
      if (outcomes[call++] === true) throw new Error(`failure ${call}`);
    });
    const statuses: number[] = [];
    for (let i = 0; i < outcomes.length; i++) statuses.push((await deliver('ev-again')).status);
    // Failed, handled; then the same id again (a copy the platform sent once more): three more tries.
    expect(statuses).toEqual([500, 200, 500, 500, 200]);
    expect(errors.map((error) => /failed delivery (\d) of 3/.exec(error.message)?.[1])).toEqual([
      '1',
      '1',
      '2',
      '3',
    ]);
  });
});

describe('WebhookReceiver when the connection of a delivery waiting for its listeners closes', () => {
  /** A receiver behind a server whose connections the test closes; `fail` rejects the listener's promise. */
  async function waiting(dispatchWaitMs: number) {
    const receiver = new WebhookReceiver({ secret: SECRET, logger: silentLogger(), dispatchWaitMs });
    const errors: Error[] = [];
    const debug: string[] = [];
    receiver.on('error', (error) => errors.push(error));
    receiver.on('debug', (message) => debug.push(message));
    let fail: ((error: Error) => void) | undefined;
    receiver.on('dispatch', () => new Promise<void>((_, reject) => (fail = reject)));
    const settled: boolean[] = [];
    const listening: Server = createServer(
      (request, response) =>
        void receiver.handle(request, response).then(() => settled.push(response.writableEnded)),
    );
    own = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const body = delivery('ev-closed');
    const sent = httpRequest(`http://127.0.0.1:${(listening.address() as AddressInfo).port}/`, {
      method: 'POST',
      headers: signedHeaders(body),
    });
    sent.on('error', () => undefined); // the test closes the connection
    sent.end(body);
    await until(() => fail !== undefined);
    listening.closeAllConnections();
    await until(() => settled.length > 0);
    return { errors, debug, settled, fail: (error: Error) => fail?.(error) };
  }

  it('stops waiting: no acknowledgement is told past dispatchWaitMs, and handle() settles', async () => {
    const { debug, settled } = await waiting(100);
    expect(settled).toEqual([false]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(debug.filter((line) => line.startsWith('acknowledged'))).toEqual([]);
  });

  it('reports a rejection after it as unanswered, not as answered 500, and does not count it', async () => {
    const { errors, fail } = await waiting(2_000);
    fail(new Error('late failure'));
    await until(() => errors.length > 0);
    expect(errors.map((error) => error.message)).toEqual([
      "a 'dispatch' listener rejected on event C2C_MESSAGE_CREATE ev-closed after its delivery's connection closed unanswered (the platform is expected to deliver an unanswered event again, which is not verified): see the cause",
    ]);
  });
});
