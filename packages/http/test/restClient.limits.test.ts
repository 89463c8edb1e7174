import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AccessTokenProvider,
  ClientDestroyedError,
  RateLimitedError,
  TimeoutError,
  Token,
  ValidationError,
  type RateLimitedEvent,
} from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;
/** A message sent to channel `c1`. */
const channelMessage = (content: string) =>
  ({
    method: 'POST',
    route: '/channels/{channel_id}/messages',
    params: { channel_id: 'c1' },
    body: { content },
  }) as const;

/** Settles `promise` into its rejection (or `undefined`) without leaving it unhandled meanwhile. */
function outcomeOf(promise: Promise<unknown>): { error: unknown; settled: boolean } {
  const state: { error: unknown; settled: boolean } = { error: undefined, settled: false };
  promise.then(
    () => (state.settled = true),
    (error: unknown) => {
      state.error = error;
      state.settled = true;
    },
  );
  return state;
}

/** Moves fake time on in small steps, letting real I/O run between them, until `condition` holds. */
async function advanceUntil(condition: () => boolean, steps = 100): Promise<void> {
  for (let step = 0; step < steps && !condition(); step++) {
    await vi.advanceTimersByTimeAsync(10);
    await settle();
  }
  expect(condition()).toBe(true);
}

describe('RestClient limits', () => {
  const fixture = useRestFixture();
  const client = fixture.client.bind(fixture);
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
    vi.useRealTimers();
  });

  describe('rate-limit waits', () => {
    it('fails at once on a Retry-After beyond maxRateLimitWait, pausing the route for the cap only', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = (request) =>
        request.path === '/guilds/g1' && fixture.platform.requests.length === 1
          ? {
              status: 429,
              body: { code: 429, message: 'slow down' },
              headers: { 'retry-after': '1000000000' },
            }
          : { body: { id: 'ok' } };
      const rest = client({ timeout: 120_000 });
      const events: RateLimitedEvent[] = [];
      rest.on('rateLimited', (event) => events.push(event));

      const error = await rest.request(guild('g1')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ retryAfter: 1_000_000_000_000, exceeded: 'maxRateLimitWait', code: 429 });
      expect(events).toEqual([expect.objectContaining({ wait: 60_000, global: false })]);

      // Another route goes on; the limited route waits out the cap, not the thirty years asked for.
      await expect(rest.request(guild('g2'))).resolves.toEqual({ id: 'ok' });
      const sameRoute = rest.request(guild('g1'));
      await settle();
      await vi.advanceTimersByTimeAsync(59_000);
      await settle();
      expect(fixture.platform.requests.map((r) => r.path)).toEqual(['/guilds/g1', '/guilds/g2']);
      await vi.advanceTimersByTimeAsync(1_000);
      await expect(sameRoute).resolves.toEqual({ id: 'ok' });
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    });

    it('holds the send queued behind a 429 under a concurrency cap until the pause it met is over', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      const arrived: number[] = [];
      fixture.platform.handler = () => {
        arrived.push(Date.now());
        return arrived.length === 1
          ? {
              status: 429,
              body: { code: 22009, message: 'msg limit exceed' },
              headers: { 'retry-after': '2' },
            }
          : { body: { id: `m${arrived.length}` } };
      };
      const rest = client({ rateLimits: { concurrency: 1 } });
      const send = (content: string) => rest.request(channelMessage(content));
      const first = send('one');
      const second = send('two');
      // The pause (2 s), then a window after each answer: a few seconds of fake time, in small steps.
      for (let step = 0; step < 800 && arrived.length < 3; step++) {
        await vi.advanceTimersByTimeAsync(10);
        await settle();
      }
      await Promise.all([first, second]);
      // The first met the limit; the second, waiting for the cap, waited out the pause too.
      expect(arrived[1]! - arrived[0]!).toBeGreaterThanOrEqual(2_000);
    });

    it('lets maxRateLimitWait be configured, and refuses one Node timers cannot hold', async () => {
      fixture.platform.handler = () => ({
        status: 429,
        body: { code: 22009, message: 'msg limit exceed' },
        headers: { 'retry-after': '3' },
      });
      const error = await client({ maxRateLimitWait: 2_000 })
        .request(guild('g'))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'rateLimited', retryAfter: 3_000, exceeded: 'maxRateLimitWait' });
      expect(fixture.platform.requests).toHaveLength(1);
      for (const maxRateLimitWait of [0, -1, Number.NaN, 2 ** 31, Number.POSITIVE_INFINITY]) {
        expect(() => client({ maxRateLimitWait })).toThrow(ValidationError);
      }
    });

    it('fails at once when the wait is longer than the call’s timeout leaves, then and on later calls', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = () => ({
        status: 429,
        body: { code: 429, message: 'slow down' },
        headers: { 'retry-after': '3' },
      });
      const rest = client();
      const first = await rest.request({ ...guild('g'), timeout: 1_000 }).catch((e: unknown) => e);
      expect(first).toBeInstanceOf(RateLimitedError);
      expect(first).toMatchObject({ retryAfter: 3_000, exceeded: 'timeout' });

      // The route stays paused: a call that cannot wait it out is refused without being sent.
      const second = await rest.request({ ...guild('g'), timeout: 1_000 }).catch((e: unknown) => e);
      expect(second).toBeInstanceOf(RateLimitedError);
      expect(second).toMatchObject({ exceeded: 'timeout', code: 429 });
      expect((second as RateLimitedError).retryAfter).toBeGreaterThan(1_000);
      expect(fixture.platform.requests).toHaveLength(1);
    });

    it('pauses only the route that drew a plain 429; other routes go on', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = (request) =>
        request.path === '/guilds/g1' && fixture.platform.requests.length === 1
          ? { status: 429, body: { code: 429, message: 'slow down' }, headers: { 'retry-after': '30' } }
          : { body: 'ok' };
      const rest = client({ timeout: 60_000 });
      const limited = rest.request(guild('g1'));
      await until(() => fixture.platform.requests.length === 1);
      await settle();
      await expect(rest.request({ method: 'GET', route: '/users/@me' })).resolves.toBe('ok');
      await expect(rest.request(guild('g2'))).resolves.toBe('ok');
      await vi.advanceTimersByTimeAsync(29_999);
      await settle();
      expect(fixture.platform.requests.filter((r) => r.path === '/guilds/g1')).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(limited).resolves.toBe('ok');
    });

    it('pauses every route for a 429 marked global, capped at maxRateLimitWait as well', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = () =>
        fixture.platform.requests.length === 1
          ? {
              status: 429,
              body: { code: 429, message: 'slow down' },
              headers: { 'retry-after': '90', 'x-ratelimit-global': 'true' },
            }
          : { body: 'ok' };
      const rest = client({ timeout: 120_000 });
      const events: RateLimitedEvent[] = [];
      rest.on('rateLimited', (event) => events.push(event));
      await expect(rest.request(guild('g1'))).rejects.toMatchObject({ exceeded: 'maxRateLimitWait' });
      expect(events).toEqual([expect.objectContaining({ global: true, wait: 60_000 })]);
      const other = rest.request({ method: 'GET', route: '/users/@me' });
      await settle();
      await vi.advanceTimersByTimeAsync(59_999);
      await settle();
      expect(fixture.platform.requests).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(other).resolves.toBe('ok');
    });

    it('abort() ends a rate-limit wait at once with the caller’s reason', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = () => ({
        status: 429,
        body: { code: 22009, message: 'msg limit exceed' },
        headers: { 'retry-after': '30' },
      });
      const rest = client({ timeout: 60_000 });
      const events: RateLimitedEvent[] = [];
      rest.on('rateLimited', (event) => events.push(event));
      const controller = new AbortController();
      const waiting = outcomeOf(rest.request({ ...guild('g'), signal: controller.signal }));
      await until(() => events.length === 1);
      await settle();
      expect(waiting.settled).toBe(false);
      controller.abort(new Error('user gave up'));
      await until(() => waiting.settled);
      expect(waiting.error).toEqual(new Error('user gave up'));
      rest.destroy();
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('route queue bound', () => {
    it('refuses a send beyond maxQueued on one channel at once with a RateLimitedError, without sending it', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = () => ({ hang: true });
      const rest = client({ rateLimits: { messagesPerSecond: 1, maxQueued: 2 }, timeout: 60_000 });
      const send = (content: string) => rest.request(channelMessage(content));
      await rest.tokens.get();
      const accepted = ['on the wire', 'queued 1', 'queued 2'].map((content) => outcomeOf(send(content)));
      await until(() => fixture.platform.requests.length === 1 && rest.queuedRequests === 2);

      const error = await send('one too many').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({
        method: 'POST',
        route: '/channels/{channel_id}/messages',
        exceeded: 'maxQueued',
      });
      expect((error as Error).message).toContain('maxQueued');
      await settle();
      expect(fixture.platform.requests).toHaveLength(1);
      expect(accepted.map((state) => state.settled)).toEqual([false, false, false]);
    });
  });

  describe('destroy()', () => {
    it('fails every waiting request at once and leaves no timer running', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = (request) => {
        if (request.path === '/guilds/paused')
          return { status: 429, body: { code: 22009, message: 'limit' }, headers: { 'retry-after': '30' } };
        if (request.path === '/guilds/failing') return { status: 500, body: { code: 500, message: 'x' } };
        return { hang: true };
      };
      const rest = client({
        timeout: 60_000,
        backoff: { base: 10_000, max: 10_000 },
        rateLimits: { concurrency: 1 },
      });
      await rest.tokens.get();
      const inPause = outcomeOf(rest.request(guild('paused')));
      const inBackOff = outcomeOf(rest.request(guild('failing')));
      const onWire = outcomeOf(rest.request(guild('hanging')));
      await until(() => fixture.platform.requests.length === 3);
      const inQueue = outcomeOf(rest.request(guild('hanging')));
      await until(() => rest.queuedRequests === 1);
      await settle();
      expect([inPause, inBackOff, onWire, inQueue].map((state) => state.settled)).toEqual([
        false,
        false,
        false,
        false,
      ]);

      rest.destroy();
      await until(() => [inPause, inBackOff, onWire, inQueue].every((state) => state.settled));
      for (const state of [inPause, inBackOff, onWire, inQueue]) {
        expect(state.error).toBeInstanceOf(ClientDestroyedError);
        expect(state.error).toMatchObject({ kind: 'clientDestroyed' });
      }
      expect(vi.getTimerCount()).toBe(0);
      await expect(rest.request(guild('later'))).rejects.toMatchObject({ kind: 'clientDestroyed' });
      expect(fixture.platform.requests).toHaveLength(3);
    });
  });

  describe('destroy() and what is still in flight', () => {
    it('ends the token fetch of the provider it created: the waiting call settles and no timer is left', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.tokenAnswer = { hang: true };
      const rest = client({ timeout: 60_000 });
      const waiting = outcomeOf(rest.request(guild('g')));
      await until(() => fixture.platform.tokenRequests.length === 1);
      await settle();

      rest.destroy();
      await until(() => waiting.settled);
      await settle();
      expect(waiting.error).toMatchObject({ kind: 'clientDestroyed' });
      expect(vi.getTimerCount()).toBe(0);
      await expect(rest.tokens.get()).rejects.toMatchObject({
        kind: 'clientDestroyed',
        destroyed: 'tokenProvider',
      });
    });

    it('leaves the fetch of a provider shared with other clients running: it ends with the provider’s own signal', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.tokenAnswer = { hang: true };
      const lifetime = new AbortController();
      const tokens = new AccessTokenProvider(new Token('app-1', 'the-secret'), {
        tokenUrl: fixture.platform.tokenUrl,
        signal: lifetime.signal,
      });
      const first = client({ tokens, timeout: 60_000 });
      const second = client({ tokens, timeout: 60_000 });
      const onFirst = outcomeOf(first.request(guild('a')));
      const onSecond = outcomeOf(second.request(guild('b')));
      await until(() => fixture.platform.tokenRequests.length === 1);

      first.destroy();
      await until(() => onFirst.settled);
      await settle();
      expect(onSecond.settled).toBe(false);
      fixture.platform.tokenAnswer = undefined;

      lifetime.abort();
      await until(() => onSecond.settled);
      expect(onSecond.error).toMatchObject({ kind: 'clientDestroyed', destroyed: 'tokenProvider' });
      second.destroy();
      await settle();
      expect(vi.getTimerCount()).toBe(0);
    });

    it('ends an attempt that has not reached a socket yet: it never reaches the platform', async () => {
      fixture.platform.handler = () => ({ body: 'sent anyway' });
      const rest = client();
      await rest.tokens.get();
      const justSent = outcomeOf(rest.request(guild('g')));
      rest.destroy();
      await until(() => justSent.settled);
      await settle();
      expect(justSent.error).toMatchObject({ kind: 'clientDestroyed' });
      expect(fixture.platform.requests).toHaveLength(0);
    });
  });

  describe('the call’s timeout', () => {
    it('bounds the wait for the access token; the shared fetch goes on for the others', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.tokenAnswer = { hang: true };
      const rest = client();
      const hurried = outcomeOf(rest.request({ method: 'GET', route: '/users/@me', timeout: 1_000 }));
      const patient = outcomeOf(rest.request({ method: 'GET', route: '/users/@me', timeout: 60_000 }));
      await until(() => fixture.platform.tokenRequests.length === 1);
      await vi.advanceTimersByTimeAsync(999);
      expect(hurried.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => hurried.settled);
      expect(hurried.error).toBeInstanceOf(TimeoutError);
      expect(hurried.error).toMatchObject({ method: 'GET', route: '/users/@me', timeout: 1_000 });

      // The fetch the hurried caller gave up on is still the one the patient caller waits for.
      await settle();
      expect(patient.settled).toBe(false);
      expect(fixture.platform.tokenRequests).toHaveLength(1);
      // It ends under its own timeout (10 s); the patient caller then retries and gets a token,
      // from a fetch a second after the failed one (the provider's spacing after a failure).
      fixture.platform.tokenAnswer = undefined;
      await vi.advanceTimersByTimeAsync(8_999);
      await settle();
      expect(fixture.platform.tokenRequests).toHaveLength(1);
      await advanceUntil(() => patient.settled, 200);
      expect(patient.error).toBeUndefined();
      expect(fixture.platform.tokenRequests).toHaveLength(2);
    });

    it('lets the signal and destroy() end a wait for the access token at once', async () => {
      fixture.platform.tokenAnswer = { hang: true };
      const rest = client();
      const controller = new AbortController();
      const aborted = outcomeOf(
        rest.request({ method: 'GET', route: '/users/@me', signal: controller.signal }),
      );
      const waiting = outcomeOf(rest.request({ method: 'GET', route: '/users/@me' }));
      await until(() => fixture.platform.tokenRequests.length === 1);
      controller.abort(new Error('not any more'));
      await until(() => aborted.settled);
      expect(aborted.error).toEqual(new Error('not any more'));
      expect(waiting.settled).toBe(false);
      rest.destroy();
      await until(() => waiting.settled);
      expect(waiting.error).toMatchObject({ kind: 'clientDestroyed' });
      expect(fixture.platform.tokenRequests).toHaveLength(1);
    });

    it('a request whose attempt runs out the timeout fails with TimeoutError, without another attempt', async () => {
      fixture.platform.handler = () => ({ hang: true });
      const error = await client({ timeout: 100 })
        .request({ method: 'GET', route: '/users/@me' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ timeout: 100 });
      expect(fixture.platform.requests).toHaveLength(1);
    });

    it('bounds the wait in a route queue', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = () => ({ hang: true });
      const rest = client({ rateLimits: { concurrency: 1 }, timeout: 60_000 });
      await rest.tokens.get();
      const first = outcomeOf(rest.request(guild('g')));
      await until(() => fixture.platform.requests.length === 1);
      const queued = outcomeOf(rest.request({ ...guild('g'), timeout: 2_000 }));
      await until(() => rest.queuedRequests === 1);
      await vi.advanceTimersByTimeAsync(2_000);
      await until(() => queued.settled);
      expect(queued.error).toBeInstanceOf(TimeoutError);
      expect(rest.queuedRequests).toBe(0);
      expect(first.settled).toBe(false);
    });

    it('ends the call instead of backing off past its deadline, with the failure it would have retried', async () => {
      vi.useFakeTimers({ toFake: [...TIMERS] });
      fixture.platform.handler = () => ({ status: 500, body: { code: 500, message: 'internal' } });
      const rest = client({ timeout: 1_000, backoff: { base: 5_000, max: 5_000 } });
      const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'api', status: 500 });
      expect(fixture.platform.requests).toHaveLength(1);
    });

    it('refuses a timeout Node timers cannot hold', () => {
      expect(() => client({ timeout: 2 ** 31 })).toThrow(ValidationError);
      expect(() => client({ backoff: { base: 10, max: 5 } })).toThrow(ValidationError);
      expect(() => new AccessTokenProvider(new Token('a', 's'), { timeout: 2 ** 31 })).toThrow(
        ValidationError,
      );
    });
  });
});
