import { setTimeout as realDelay } from 'node:timers/promises';
import { RestClient, Token, createLogger, type RestClientOptions } from '@bot/http';
import { afterEach, beforeEach } from 'vitest';
import { FakePlatform } from './fakePlatform.js';

/** A fake platform per test and a factory of clients pointed at it, destroyed after each test. */
export interface RestFixture {
  /** The fake platform of the running test. */
  readonly platform: FakePlatform;
  /** A client for the fake platform, quiet and with a fast back-off; `options` override. */
  client(options?: Partial<RestClientOptions>): RestClient;
}

/** Registers the hooks of a {@link RestFixture} in the calling test file. */
export function useRestFixture(): RestFixture {
  let platform: FakePlatform | undefined;
  let clients: RestClient[] = [];
  beforeEach(async () => {
    platform = await FakePlatform.start();
    clients = [];
  });
  afterEach(async () => {
    for (const client of clients) client.destroy();
    await platform?.stop();
  });
  return {
    get platform() {
      if (!platform) throw new Error('the fixture is used outside a test');
      return platform;
    },
    client(options = {}) {
      const rest = new RestClient({
        token: new Token('app-1', 'the-secret'),
        baseUrl: this.platform.baseUrl,
        tokenUrl: this.platform.tokenUrl,
        logger: createLogger('test', 7),
        backoff: { base: 5, max: 20 },
        ...options,
      });
      clients.push(rest);
      return rest;
    },
  };
}

/** Lets real I/O run while fake timers hold every timer: a few event-loop turns and 20 ms of real time. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
  await realDelay(20);
}

/** The real steady clock, kept before any test fakes `performance`. */
const realNow = performance.now.bind(performance);

/** Waits for a condition on the real event loop, polling every millisecond (works under fake timers). */
export async function until(condition: () => boolean, timeout = 5000): Promise<void> {
  const deadline = realNow() + timeout;
  while (!condition()) {
    if (realNow() > deadline) throw new Error('condition not met in time');
    await realDelay(1);
  }
}

/** The route of {@link groupSend}. */
export const GROUP_SEND_ROUTE = '/v2/groups/{group_openid}/messages';

/**
 * A group message send with msg_id and msg_seq, optionally under `signal`: the platform refuses a
 * repeat, so 5xx answers and lost connections are retried.
 */
export const groupSend = (signal?: AbortSignal) =>
  ({
    method: 'POST',
    route: GROUP_SEND_ROUTE,
    params: { group_openid: 'G1' },
    body: { content: 'deploy finished', msg_id: 'm1', msg_seq: 1 },
    ...(signal === undefined ? {} : { signal }),
  }) as const;
