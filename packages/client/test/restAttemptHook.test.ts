import { describe, expect, it } from 'vitest';
import {
  Client,
  HandlerError,
  Intents,
  Token,
  type ClientError,
  type EventHandler,
  type RestAttemptEvent,
} from '@bot/client';
import { useHarness } from './support/harness.js';

// A handler's `restAttempt()` sees every attempt of the client's own REST requests, for metrics;
// with no handler implementing it, the client does not listen to the REST client's `attempt`
// event, so the REST client builds no event per request.

const ME = 'GET /users/@me';

/** A handler recording the attempts it is told of. */
function attemptRecorder(): { handler: EventHandler; heard: RestAttemptEvent[] } {
  const heard: RestAttemptEvent[] = [];
  return { handler: { restAttempt: (event) => void heard.push(event) }, heard };
}

describe('the restAttempt hook', () => {
  const slot = useHarness();

  it('tells a handler of each attempt on the wire: the start request, a retried call twice', async () => {
    const { handler, heard } = attemptRecorder();
    const { client, emulator } = await slot.start([{}, handler]);
    // The shard asked REST where to connect before it was ready.
    expect(heard.some((event) => event.route === '/gateway/bot' && event.status === 200)).toBe(true);

    heard.length = 0;
    emulator.faults.failRoute(ME, { status: 500 });
    await client.api.users.me();
    expect(
      heard.map(({ method, route, status, attempt, willRetry }) => ({
        method,
        route,
        status,
        attempt,
        willRetry,
      })),
    ).toEqual([
      { method: 'GET', route: '/users/@me', status: 500, attempt: 1, willRetry: true },
      { method: 'GET', route: '/users/@me', status: 200, attempt: 2, willRetry: false },
    ]);
    expect(heard[1]!.platformMs).toBeGreaterThan(0);
  });

  it('reports a throwing restAttempt() to error() as a HandlerError, fails no call and still tells the next handler', async () => {
    const reported: ClientError[] = [];
    const { handler: second, heard } = attemptRecorder();
    class Metrics {
      public restAttempt(): void {
        throw new Error('metrics sink down');
      }
    }
    const { client } = await slot.start([
      new Metrics(),
      second,
      { error: (error) => void reported.push(error) },
    ]);
    reported.length = 0;
    heard.length = 0;

    await expect(client.api.users.me()).resolves.toMatchObject({ id: expect.any(String) });

    expect(heard.map((event) => event.route)).toEqual(['/users/@me']);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(HandlerError);
    expect(reported[0]).toMatchObject({ event: 'restAttempt', handler: 'Metrics#0' });
    expect((reported[0]!.cause as Error).message).toBe('metrics sink down');
  });

  it("tells each handler at once: one handler's slow restAttempt() holds up no other's", async () => {
    const { handler: second, heard } = attemptRecorder();
    // A metrics sink that never answers.
    const stuck: EventHandler = { restAttempt: () => new Promise<void>(() => undefined) };
    const { client } = await slot.start([stuck, second]);
    heard.length = 0;
    for (let call = 0; call < 3; call++) await client.api.users.me();
    expect(heard.map((event) => event.route)).toEqual(['/users/@me', '/users/@me', '/users/@me']);
  });

  it('leaves the attempt event unlistened when no handler implements restAttempt()', async () => {
    const { client } = await slot.start([{ ratelimit: () => undefined, shardStatus: () => undefined }]);
    expect(client.rest.listenerCount('attempt')).toBe(0);
    await client.api.users.me();
    expect(client.rest.listenerCount('attempt')).toBe(0);

    const { handler } = attemptRecorder();
    const listening = await Client.builder(new Token('1020', 'secret'), Intents.default())
      .eventHandler(handler)
      .build();
    expect(listening.rest.listenerCount('attempt')).toBe(1);
    await listening.shutdown();
  });

  it('is a hook the main thread may have when the handlers run on worker threads', async () => {
    const module = new URL('./fixtures/threadClient.ts', import.meta.url);
    const { handler } = attemptRecorder();
    const client = await Client.builder(new Token('1020', 'secret'), Intents.default())
      .workers(1, { handler: module })
      .eventHandler(handler)
      .build();
    expect(client).toBeInstanceOf(Client);
    expect(client.rest.listenerCount('attempt')).toBe(1);
    await client.shutdown();
  });
});
