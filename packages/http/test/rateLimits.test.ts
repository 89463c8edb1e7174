import { describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError, steadyNow, ValidationError } from '@bot/core';
import { PauseTooLongError } from '../src/rest/ratelimit/PauseTooLongError.js';
import { QueueFullError } from '../src/rest/ratelimit/QueueFullError.js';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { routeKey } from '../src/rest/routes.js';
import { useLimiterClock } from './support/limiterClock.js';

const MESSAGES = 'POST /channels/{channel_id}/messages';
/** The message window: a send keeps its slot this long after its answer (here, instant). */
const WINDOW = 1000;
const key = (channel: string) => routeKey('POST', '/channels/{channel_id}/messages', { channel_id: channel });

describe('RateLimitManager', () => {
  let limits: RateLimitManager;
  useLimiterClock(() => limits);

  /** Schedules `count` instant tasks and records when each one starts. */
  const burst = (count: number, routeKeyValue: string, template = MESSAGES) => {
    const started: number[] = [];
    const done = Promise.all(
      Array.from({ length: count }, () =>
        limits.schedule(routeKeyValue, template, async () => {
          started.push(Date.now());
        }),
      ),
    );
    return { started, done };
  };

  it('starts at most 5 messages per second on one channel, in a sliding window', async () => {
    limits = new RateLimitManager();
    const t0 = Date.now();
    const { started, done } = burst(12, key('c1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(WINDOW - 1);
    expect(started).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(WINDOW);
    await done;
    const turns = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2];
    expect(started.map((at) => at - t0)).toEqual(turns.map((turn) => turn * WINDOW));
  });

  it('keeps a separate window per channel', async () => {
    limits = new RateLimitManager();
    const first = burst(5, key('c1'));
    const second = burst(5, key('c2'));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.started).toHaveLength(5);
    expect(second.started).toHaveLength(5);
    await Promise.all([first.done, second.done]);
  });

  it('lets the window be configured', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 2 });
    const { started, done } = burst(3, key('c1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(WINDOW);
    await done;
    expect(started).toHaveLength(3);
  });

  it('applies a per-route window from the options to other routes', async () => {
    const template = 'PUT /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}';
    limits = new RateLimitManager({ routes: { [template]: { limit: 1, interval: 500 } } });
    const { started, done } = burst(2, 'PUT reactions:c1', template);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    await done;
    expect(started).toHaveLength(2);
  });

  it("frees a send's slot one window after its answer, not its start: slow answers delay the sixth send", async () => {
    limits = new RateLimitManager();
    const t0 = Date.now();
    const started: number[] = [];
    const sends = Array.from({ length: 6 }, () =>
      limits.schedule(key('c1'), MESSAGES, async () => {
        started.push(Date.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 300)); // answered 300 ms later
      }),
    );
    await vi.advanceTimersByTimeAsync(WINDOW + 299);
    expect(started).toEqual([0, 0, 0, 0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([0, 0, 0, 0, 0, WINDOW + 300]);
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(sends);
  });

  it('counts only sends in flight against a concurrency cap, not slots held after their answers', async () => {
    limits = new RateLimitManager({ concurrency: 1 });
    const t0 = Date.now();
    const { started, done } = burst(6, key('c1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started.map((at) => at - t0)).toEqual([0, 0, 0, 0, 0]);
    await vi.advanceTimersByTimeAsync(WINDOW);
    await done;
    expect(started.map((at) => at - t0)).toEqual([0, 0, 0, 0, 0, WINDOW]);
  });

  it('runs one send at a time under a cap of 1: the next starts when the one before is answered', async () => {
    limits = new RateLimitManager({ concurrency: 1 });
    const t0 = Date.now();
    const started: number[] = [];
    const sends = Array.from({ length: 3 }, () =>
      limits.schedule(key('c1'), MESSAGES, async () => {
        started.push(Date.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }),
    );
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(sends);
    expect(started).toEqual([0, 100, 200]);
  });

  it('a caller that gives up while waiting for the cap is never sent and frees its window slot at once', async () => {
    limits = new RateLimitManager({ concurrency: 1 });
    let finish: () => void = () => undefined;
    const first = limits.schedule(
      key('c1'),
      MESSAGES,
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    const caller = new AbortController();
    let ran = false;
    const second = limits.schedule(key('c1'), MESSAGES, async () => (ran = true), caller.signal);
    await vi.advanceTimersByTimeAsync(0);
    caller.abort(new Error('no longer needed'));
    await expect(second).rejects.toThrow('no longer needed');
    finish();
    await first;
    // Four slots are free: the one the abandoned send took was given back, not held a window.
    const { started, done } = burst(4, key('c1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(4);
    await done;
    expect(ran).toBe(false);
  });

  it('holds a send waiting for the concurrency cap during a pause the send before it met', async () => {
    limits = new RateLimitManager({ concurrency: 1 });
    const t0 = Date.now();
    const started: number[] = [];
    const first = limits.schedule(key('c1'), MESSAGES, async () => {
      started.push(Date.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      limits.pauseRoute(key('c1'), 2_000); // answered 429: the route pauses before the send ends
    });
    const second = limits.schedule(key('c1'), MESSAGES, async () => {
      started.push(Date.now() - t0);
    });
    await vi.advanceTimersByTimeAsync(2_100);
    await Promise.all([first, second]);
    expect(started).toEqual([0, 2_100]);
  });

  it('keeps a channel blocked while its five sends go unanswered: a sixth whose deadline comes first fails unsent', async () => {
    limits = new RateLimitManager();
    const hanging = Array.from({ length: 5 }, () =>
      limits.schedule(key('c1'), MESSAGES, () => new Promise<void>(() => undefined)),
    );
    let ran = false;
    const sixth = limits.schedule(
      key('c1'),
      MESSAGES,
      async () => (ran = true),
      undefined,
      steadyNow() + 5_000,
    );
    const failed = expect(sixth).rejects.toBeInstanceOf(DeadlineExceededError);
    await vi.advanceTimersByTimeAsync(5_000);
    await failed;
    expect(ran).toBe(false);
    const stillPending = await Promise.race([...hanging, Promise.resolve('pending')]);
    expect(stillPending).toBe('pending');
  });

  it('keeps a queue whose slot is held past its answer, however long the window', async () => {
    const template = 'POST /channels/{channel_id}/pins';
    limits = new RateLimitManager({ routes: { [template]: { limit: 1, interval: 120_000 } } });
    const t0 = Date.now();
    const first = burst(1, 'POST pins:c1', template);
    await first.done;
    await vi.advanceTimersByTimeAsync(61_000);
    expect(limits.size).toBe(1); // the sweeper left it: its one slot is still held
    const second = burst(1, 'POST pins:c1', template);
    await vi.advanceTimersByTimeAsync(59_000);
    await second.done;
    expect(second.started.map((at) => at - t0)).toEqual([120_000]);
  });

  it('takes a window given for the message route in place of the default', async () => {
    limits = new RateLimitManager({ routes: { [MESSAGES]: { limit: 2, interval: 1000 } } });
    const t0 = Date.now();
    const { started, done } = burst(3, key('c1'));
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(started.map((at) => at - t0)).toEqual([0, 0, 1000]);
  });

  it('does not pace routes without a window', async () => {
    limits = new RateLimitManager();
    const { started, done } = burst(50, 'GET /guilds/{guild_id}:g', 'GET /guilds/{guild_id}');
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(50);
    await done;
  });

  it('a global pause holds every route until it ends', async () => {
    limits = new RateLimitManager();
    limits.pauseGlobal(2000);
    const a = burst(1, key('c1'));
    const b = burst(1, 'GET /users/@me', 'GET /users/@me');
    await vi.advanceTimersByTimeAsync(1999);
    expect([a.started.length, b.started.length]).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect([a.started.length, b.started.length]).toEqual([1, 1]);
  });

  it('a route pause holds only its own key', async () => {
    limits = new RateLimitManager();
    await burst(1, key('c1')).done; // the queue exists once used
    limits.pauseRoute(key('c1'), 3000);
    const paused = burst(1, key('c1'));
    const other = burst(1, key('c2'));
    await vi.advanceTimersByTimeAsync(0);
    expect(paused.started).toHaveLength(0);
    expect(other.started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(paused.started).toHaveLength(1);
  });

  it('a route pause holds a route without a queue as well', async () => {
    limits = new RateLimitManager();
    await burst(1, 'GET /users/@me', 'GET /users/@me').done;
    limits.pauseRoute('GET /users/@me', 3000);
    const paused = burst(1, 'GET /users/@me', 'GET /users/@me');
    await vi.advanceTimersByTimeAsync(2999);
    expect(paused.started).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(paused.started).toHaveLength(1);
  });

  it('a route pause holds its whole length after the wall clock stepped forward an hour', async () => {
    limits = new RateLimitManager();
    await burst(1, key('c1')).done;
    limits.pauseRoute(key('c1'), 3000);
    vi.setSystemTime(Date.now() + 3_600_000);
    const paused = burst(1, key('c1'));
    await vi.advanceTimersByTimeAsync(2999);
    expect(paused.started).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(paused.started).toHaveLength(1);
  });

  it('a global pause holds its whole length after the wall clock stepped forward an hour', async () => {
    limits = new RateLimitManager();
    limits.pauseGlobal(2000);
    vi.setSystemTime(Date.now() + 3_600_000);
    const paused = burst(1, 'GET /users/@me', 'GET /users/@me');
    await vi.advanceTimersByTimeAsync(1999);
    expect(paused.started).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(paused.started).toHaveLength(1);
  });

  it('keeps a paused route through the sweeps until its pause is over, whatever the wall clock did', async () => {
    limits = new RateLimitManager();
    limits.pauseRoute(key('c1'), 150_000);
    vi.setSystemTime(Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(120_000); // two sweeps
    expect(limits.size).toBe(1);
    const paused = burst(1, key('c1'));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(paused.started).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(paused.started).toHaveLength(1);
  });

  it('an abort interrupts a paused task and frees the route', async () => {
    limits = new RateLimitManager({ concurrency: 1 });
    limits.pauseGlobal(10_000);
    const controller = new AbortController();
    const waiting = limits.schedule('k', 'GET /x', async () => 'never', controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('an abort interrupts a paused task on a route without a queue too', async () => {
    limits = new RateLimitManager();
    limits.pauseGlobal(10_000);
    const controller = new AbortController();
    const waiting = limits.schedule(
      'GET /users/@me',
      'GET /users/@me',
      async () => 'never',
      controller.signal,
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('keeps a route whose request is still running, queue or no queue', async () => {
    limits = new RateLimitManager();
    let finish: () => void = () => undefined;
    const running = limits.schedule(
      'GET /users/@me',
      'GET /users/@me',
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    await vi.advanceTimersByTimeAsync(180_000);
    expect(limits.size).toBe(1);
    finish();
    await running;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(limits.size).toBe(0);
  });

  it('drops queues that stayed idle for a minute', async () => {
    limits = new RateLimitManager();
    await burst(1, key('c1')).done;
    await burst(1, key('c2')).done;
    expect(limits.size).toBe(2);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(limits.size).toBe(0);
  });

  it('fails a task at once when a pause outlasts its deadline, naming the wait and the code', async () => {
    limits = new RateLimitManager();
    await burst(1, key('c1')).done;
    limits.pauseRoute(key('c1'), 5_000, 22009);
    let ran = false;
    const error = await limits
      .schedule(key('c1'), MESSAGES, async () => (ran = true), undefined, steadyNow() + 1_000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PauseTooLongError);
    expect(error).toMatchObject({ wait: 5_000, code: 22009 });
    expect(ran).toBe(false);
  });

  it('takes a task out of its queue when its deadline passes there', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 1 });
    await burst(1, key('c1')).done;
    const late = limits.schedule(key('c1'), MESSAGES, async () => 'sent', undefined, steadyNow() + 500);
    const rejected = expect(late).rejects.toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    await vi.advanceTimersByTimeAsync(500);
    await rejected;
    expect(limits.queued).toBe(0);
  });

  it('refuses a task at once when maxQueued tasks already wait on its route; other routes are unaffected', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 1, maxQueued: 3 });
    const accepted = burst(4, key('c1')); // one starts, three wait
    await vi.advanceTimersByTimeAsync(0);
    expect(limits.queued).toBe(3);
    const refused = limits.schedule(key('c1'), MESSAGES, async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ limit: 3 });
    const elsewhere = burst(1, key('c2'));
    await vi.advanceTimersByTimeAsync(0);
    expect(elsewhere.started).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(3 * WINDOW);
    await accepted.done;
    expect(accepted.started).toHaveLength(4);
    const later = limits.schedule(key('c1'), MESSAGES, async () => 'sent');
    await vi.advanceTimersByTimeAsync(WINDOW);
    await expect(later).resolves.toBe('sent');
  });

  it('holds at most 1,000 waiting tasks per route by default', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 1 });
    const accepted = burst(1_001, key('c1'));
    accepted.done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(limits.queued).toBe(1_000);
    await expect(limits.schedule(key('c1'), MESSAGES, async () => 'never')).rejects.toBeInstanceOf(
      QueueFullError,
    );
  });

  it('counts tasks waiting out a pause on a route without a queue against maxQueued', async () => {
    limits = new RateLimitManager({ maxQueued: 2 });
    const me = 'GET /users/@me';
    await limits.schedule(me, me, async () => 'first');
    limits.pauseRoute(me, 5_000);
    const waiting = [limits.schedule(me, me, async () => 'a'), limits.schedule(me, me, async () => 'b')];
    await expect(limits.schedule(me, me, async () => 'c')).rejects.toBeInstanceOf(QueueFullError);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(Promise.all(waiting)).resolves.toEqual(['a', 'b']);
  });

  it.each([
    {
      case: 'messagesPerSecond NaN',
      options: { messagesPerSecond: Number.NaN },
      field: 'rateLimits.messagesPerSecond',
    },
    { case: 'messagesPerSecond 0', options: { messagesPerSecond: 0 }, field: 'rateLimits.messagesPerSecond' },
    { case: 'concurrency 0', options: { concurrency: 0 }, field: 'rateLimits.concurrency' },
    { case: 'concurrency 2.5', options: { concurrency: 2.5 }, field: 'rateLimits.concurrency' },
    {
      case: 'a window limit of 0',
      options: { routes: { [MESSAGES]: { limit: 0, interval: 1000 } } },
      field: `rateLimits.routes['${MESSAGES}'].limit`,
    },
    {
      case: 'a negative window interval',
      options: { routes: { [MESSAGES]: { limit: 2, interval: -1 } } },
      field: `rateLimits.routes['${MESSAGES}'].interval`,
    },
    {
      case: 'a NaN window interval',
      options: { routes: { [MESSAGES]: { limit: 2, interval: Number.NaN } } },
      field: `rateLimits.routes['${MESSAGES}'].interval`,
    },
  ])('refuses $case, naming the option', ({ options, field }) => {
    expect(() => new RateLimitManager(options)).toThrow(ValidationError);
    expect(() => new RateLimitManager(options)).toThrow(expect.objectContaining({ field }));
  });

  it('takes an infinite concurrency, the default', () => {
    expect(() => new RateLimitManager({ concurrency: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a maxQueued of %s', (maxQueued) => {
    limits = new RateLimitManager();
    expect(() => new RateLimitManager({ maxQueued })).toThrow(ValidationError);
  });

  it('holds more than ten waiting tasks without a listener-leak warning', async () => {
    limits = new RateLimitManager();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const waiting = burst(20, key('c1'));
      await vi.advanceTimersByTimeAsync(0);
      expect(waiting.started).toHaveLength(5);
      // A warning is emitted on the tick after the listener that crossed the limit was added.
      await new Promise((resolve) => process.nextTick(resolve));
      await vi.advanceTimersByTimeAsync(3 * WINDOW);
      await waiting.done;
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('destroy() fails every queued and paused task at once, and later ones, leaving no timer', async () => {
    limits = new RateLimitManager();
    const queued = burst(7, key('c1'));
    limits.pauseGlobal(30_000);
    const paused = limits.schedule('GET /users/@me', 'GET /users/@me', async () => 'never');
    await vi.advanceTimersByTimeAsync(0);
    expect(queued.started).toHaveLength(5);
    const reason = new Error('closing');
    limits.destroy(reason);
    await expect(queued.done).rejects.toBe(reason);
    await expect(paused).rejects.toBe(reason);
    await expect(limits.schedule(key('c2'), MESSAGES, async () => 'x')).rejects.toBe(reason);
    expect(queued.started).toHaveLength(5);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('RateLimitManager on the real clock', () => {
  it('names a pause that outlasts a deadline in whole milliseconds, though the steady clock reads fractions', async () => {
    const limits = new RateLimitManager();
    try {
      limits.pauseRoute(key('c1'), 5_000, 22009);
      await new Promise((resolve) => setTimeout(resolve, 3));
      const error = await limits
        .schedule(key('c1'), MESSAGES, async () => 'sent', undefined, steadyNow() + 1_000)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PauseTooLongError);
      const { wait } = error as PauseTooLongError;
      expect(Number.isInteger(wait)).toBe(true);
      expect(wait).toBeGreaterThan(4_900);
      expect(wait).toBeLessThanOrEqual(5_000);
    } finally {
      limits.destroy();
    }
  });
});
