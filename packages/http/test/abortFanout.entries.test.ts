import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortFanout, steadyNow } from '@bot/core';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { routeKey } from '../src/rest/routes.js';
import { ClientDestroyedError, TimeoutError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// Each wait that joins a fanout must leave it however the wait ends; a forgotten leave() keeps an
// entry (and what it holds) until the client or the limiter is destroyed. The fanout keeps one
// listener either way, so listener counts cannot see it: these tests count open entries instead
// (every wait enters through add(), join() included).
let open = 0;
let joins = 0;
function countJoins(): void {
  const add = AbortFanout.prototype.add;
  vi.spyOn(AbortFanout.prototype, 'add').mockImplementation(function (
    this: AbortFanout,
    controller: AbortController,
  ) {
    const entered = !this.signal.aborted;
    const forget = add.call(this, controller);
    if (!entered) return forget;
    joins++;
    open++;
    let left = false;
    return () => {
      if (!left) open--;
      left = true;
      forget();
    };
  });
}

const MESSAGES = 'POST /channels/{channel_id}/messages';
const ME = 'GET /users/@me';
const channel = (id: string) => routeKey('POST', '/channels/{channel_id}/messages', { channel_id: id });

describe("the rate limiter's waits leave its fanout", () => {
  let limits: RateLimitManager;
  beforeEach(() => {
    open = 0;
    joins = 0;
    countJoins();
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    });
  });
  afterEach(() => {
    limits?.destroy();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('when a queued task runs, its caller aborts, or its deadline passes', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 1 });
    // The first send takes 5 s: the last task's turn, 4 windows off at the least (in time for its
    // deadline, so it is not refused at once), comes too late.
    const answerIn = (ms: number, i: number) =>
      new Promise<number>((resolve) => setTimeout(() => resolve(i), ms));
    const ok = Array.from({ length: 3 }, (_, i) =>
      limits.schedule(channel('c'), MESSAGES, () => answerIn(i === 0 ? 5_000 : 0, i)),
    );
    const caller = new AbortController();
    const aborted = limits.schedule(channel('c'), MESSAGES, async () => 'x', caller.signal).catch((e) => e);
    const timed = limits
      .schedule(channel('c'), MESSAGES, async () => 'y', undefined, steadyNow() + 4_500)
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(open).toBeGreaterThan(0);
    caller.abort(new Error('bye'));
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all([...ok, aborted, timed]);
    expect((await timed).constructor.name).toBe('TurnExpiredError');
    expect(joins).toBeGreaterThan(3);
    expect(open).toBe(0);
  });

  it('when a pause wait ends, its caller aborts, or the limiter is destroyed', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 1 });
    await limits.schedule(ME, ME, async () => 'first');
    limits.pauseRoute(ME, 5_000);
    const ok = limits.schedule(ME, ME, async () => 1, undefined, steadyNow() + 60_000);
    const caller = new AbortController();
    const leftCaller = limits
      .schedule(ME, ME, async () => 2, caller.signal, steadyNow() + 60_000)
      .catch((e) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(open).toBe(2);
    caller.abort(new Error('bye'));
    await vi.advanceTimersByTimeAsync(6_000);
    await Promise.all([ok, leftCaller]);
    expect(open).toBe(0);
    limits.pauseRoute(ME, 5_000);
    const killed = limits.schedule(ME, ME, async () => 3, undefined, steadyNow() + 60_000).catch((e) => e);
    limits.pauseGlobal(5_000);
    const queuedKilled = limits.schedule(channel('d'), MESSAGES, async () => 4).catch((e) => e);
    await vi.advanceTimersByTimeAsync(10);
    limits.destroy(new Error('closing'));
    expect((await killed).message).toBe('closing');
    expect((await queuedKilled).message).toBe('closing');
    expect(open).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the REST client's waits leave its fanout", () => {
  const fixture = useRestFixture();
  beforeEach(() => {
    open = 0;
    joins = 0;
    countJoins();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('when a token wait ends by its caller aborting or its timeout', async () => {
    fixture.platform.tokenAnswer = { hang: true };
    const rest = fixture.client({ timeout: 300 });
    const caller = new AbortController();
    const abandoned = rest
      .request({ method: 'GET', route: '/users/@me', signal: caller.signal })
      .catch((e) => e);
    const timedOut = rest.request({ method: 'GET', route: '/users/@me' }).catch((e) => e);
    await until(() => fixture.platform.tokenRequests.length === 1);
    expect(open).toBe(2);
    caller.abort(new Error('bye'));
    expect(await abandoned).toMatchObject({ message: 'bye' });
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    expect(open).toBe(0);
  });

  it('when destroy() ends back-offs with ClientDestroyedError', async () => {
    fixture.platform.handler = () => ({ status: 503, body: { code: 503, message: 'busy' } });
    const rest = fixture.client({ backoff: { base: 10_000, max: 10_000 }, timeout: 60_000 });
    await rest.tokens.get();
    const calls = Array.from({ length: 5 }, () =>
      rest.request({ method: 'GET', route: '/users/@me' }).catch((e) => e),
    );
    await until(() => fixture.platform.requests.length === 5);
    await settle();
    expect(open).toBe(5);
    rest.destroy();
    for (const call of calls) {
      const error = await call;
      expect(error).toBeInstanceOf(ClientDestroyedError);
      expect(error).toMatchObject({ kind: 'clientDestroyed' });
    }
    expect(open).toBe(0);
  });
});
