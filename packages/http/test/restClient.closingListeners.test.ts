import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientDestroyedError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// Every request waiting for a token or a back-off must end when its client is destroyed. They
// hear the client's end through one shared listener: one each would grow the listeners of
// `rest.closing` with the number of calls waiting (64 at a bot's start-up, all for the token).

const CALLS = 30; // well past Node's warning at 11
const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const ME = { method: 'GET', route: '/users/@me' } as const;

/** Every call failed with the ClientDestroyedError destroy() gives. */
function expectEndedByDestroy(outcomes: PromiseSettledResult<unknown>[]): void {
  for (const outcome of outcomes) {
    expect(outcome.status).toBe('rejected');
    const reason = (outcome as PromiseRejectedResult).reason as unknown;
    expect(reason).toBeInstanceOf(ClientDestroyedError);
    expect(reason).toMatchObject({ kind: 'clientDestroyed', method: 'GET', route: '/users/@me' });
  }
}

describe("RestClient's closing signal", () => {
  const fixture = useRestFixture();
  afterEach(() => vi.useRealTimers());

  it('gains no listener per call waiting for the access token, and ends them all on destroy()', async () => {
    fixture.platform.tokenAnswer = { hang: true };
    const rest = fixture.client();
    const idle = getEventListeners(rest.closing, 'abort').length;
    const calls = Promise.allSettled(Array.from({ length: CALLS }, () => rest.request(ME)));
    await until(() => fixture.platform.tokenRequests.length === 1);
    // The one token fetch in flight listens too, so that destroy() ends it.
    expect(getEventListeners(rest.closing, 'abort').length).toBeLessThanOrEqual(idle + 1);

    rest.destroy();
    expectEndedByDestroy(await calls);
  });

  it('gains no listener per call backing off before a retry', async () => {
    vi.useFakeTimers({ toFake: [...TIMERS] });
    fixture.platform.handler = () => ({ status: 503, body: { code: 503, message: 'busy' } });
    const rest = fixture.client({ backoff: { base: 10_000, max: 10_000 }, timeout: 60_000 });
    await rest.tokens.get();
    const idle = getEventListeners(rest.closing, 'abort').length;
    const calls = Promise.allSettled(Array.from({ length: CALLS }, () => rest.request(ME)));
    await until(() => fixture.platform.requests.length === CALLS);
    await settle();
    expect(getEventListeners(rest.closing, 'abort')).toHaveLength(idle);

    rest.destroy();
    expectEndedByDestroy(await calls);
    expect(vi.getTimerCount()).toBe(0);
  });
});
