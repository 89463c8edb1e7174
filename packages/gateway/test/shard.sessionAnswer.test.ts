/**
 * A gateway that acknowledges heartbeats but never answers an Identify or a Resume must not hold a
 * shard in `identifying` or `resuming` for good: past `timeouts.sessionAnswerMs` the shard reports
 * it and tries again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY, ValidationError } from '@bot/core';
import { GatewayError, type Shard } from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard, reach, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;
/** The gateway of the running test, closed after it; none for the option checks. */
let opened: FakeGateway | undefined;

async function startGateway(options: Parameters<typeof FakeGateway.start>[0] = {}): Promise<FakeGateway> {
  opened = await FakeGateway.start(options);
  return opened;
}

beforeEach(() => {
  useFakeClock();
});

afterEach(async () => {
  vi.useRealTimers();
  await opened?.close();
  opened = undefined;
});

function collectErrors(shard: Shard): Error[] {
  const errors: Error[] = [];
  shard.on('error', (error) => errors.push(error));
  return errors;
}

const unanswered = (errors: Error[]): Error[] => errors.filter((each) => /no answer to/.test(each.message));

/** Starts a shard and brings it to READY on a gateway that answers. */
async function readyShard(options: Parameters<typeof makeShard>[1] = {}): Promise<Shard> {
  const { shard } = makeShard(gateway.url, options);
  const started = shard.start();
  await advanceUntil(() => shard.state === 'ready', 10_000);
  await started;
  return shard;
}

describe('an Identify the gateway never answers', () => {
  it('is reported after sessionAnswerMs, identified again, and the shard ends ready', async () => {
    gateway = await startGateway({ swallowIdentify: true });
    const { shard } = makeShard(gateway.url);
    const errors = collectErrors(shard);
    const started = shard.start();
    await advanceUntil(() => gateway.received(2).length === 1, 5_000);
    gateway.options.swallowIdentify = false;
    await advanceBy(14_000);
    expect(unanswered(errors)).toEqual([]);
    expect(shard.state).toBe('identifying');

    await advanceUntil(() => shard.state === 'ready', 30_000);
    await started;
    expect(unanswered(errors).map((each) => each.message)).toEqual([
      'shard 0: no answer to Identify within 15000 ms while the connection stayed open; reconnecting (raise timeouts.sessionAnswerMs if the platform answers this slowly)',
    ]);
    expect(unanswered(errors)[0]).toBeInstanceOf(GatewayError);
    expect(gateway.received(2)).toHaveLength(2);
    expect(gateway.connections).toHaveLength(2);
    await shard.close();
  });

  it('waits as long as the option says', async () => {
    gateway = await startGateway({ swallowIdentify: true });
    const { shard } = makeShard(gateway.url, { timeouts: { sessionAnswerMs: 3_000 } });
    const errors = collectErrors(shard);
    void shard.start();
    await advanceUntil(() => gateway.received(2).length === 1, 5_000);
    await advanceBy(2_500);
    expect(unanswered(errors)).toEqual([]);
    await advanceUntil(() => unanswered(errors).length === 1, 2_000);
    expect(unanswered(errors)[0]?.message).toContain('within 3000 ms');
    await shard.close();
  });
});

describe('a Resume the gateway never answers', () => {
  it('is resumed again, keeping the session', async () => {
    gateway = await startGateway();
    const shard = await readyShard();
    const errors = collectErrors(shard);
    const sessionId = shard.status().sessionId;
    gateway.options.swallowResume = true;
    gateway.last.close(4009);
    await advanceUntil(() => gateway.received(6).length === 1, 10_000);
    gateway.options.swallowResume = false;
    expect(shard.state).toBe('resuming');

    await advanceUntil(() => shard.state === 'ready', 60_000);
    expect(unanswered(errors).map((each) => each.message)).toEqual([
      'shard 0: no answer to Resume within 15000 ms while the connection stayed open; reconnecting (raise timeouts.sessionAnswerMs if the platform answers this slowly)',
    ]);
    expect(gateway.received(6)).toHaveLength(2);
    expect(gateway.received(2)).toHaveLength(1);
    expect(shard.status().sessionId).toBe(sessionId);
    await shard.close();
  });

  it('twice in a row: the shard identifies, as after any failed resume', async () => {
    gateway = await startGateway();
    const shard = await readyShard();
    const errors = collectErrors(shard);
    gateway.options.swallowResume = true;
    gateway.last.close(4009);
    await advanceUntil(() => gateway.received(2).length === 2 && shard.state === 'ready', 120_000);

    expect(unanswered(errors)).toHaveLength(2);
    expect(gateway.received(6)).toHaveLength(2);
    expect(shard.status().sessionId).toBe('session-2');
    await shard.close();
  });
});

describe('the answer deadline while reading is paused', () => {
  it('does not fire for an answer held unread, sent while reading was paused', async () => {
    gateway = await startGateway();
    const { shard } = makeShard(gateway.url);
    const errors = collectErrors(shard);
    const pauseAtIdentify = (state: string): void => {
      if (state !== 'identifying') return;
      shard.off('state', pauseAtIdentify);
      shard.pause();
    };
    shard.on('state', pauseAtIdentify);
    const started = shard.start();
    await advanceUntil(() => gateway.received(2).length === 1, 5_000);
    await advanceBy(60_000);
    expect(unanswered(errors)).toEqual([]);
    expect(shard.state).toBe('identifying');

    shard.resume();
    await advanceUntil(() => shard.state === 'ready', 5_000);
    await started;
    expect(unanswered(errors)).toEqual([]);
    expect(gateway.received(2)).toHaveLength(1);
    await shard.close();
  });

  it('stops while paused and runs out the time left once reading resumes', async () => {
    gateway = await startGateway({ swallowIdentify: true });
    const { shard } = makeShard(gateway.url);
    const errors = collectErrors(shard);
    void shard.start();
    await advanceUntil(() => gateway.received(2).length === 1, 5_000);
    await advanceBy(10_000);
    shard.pause();
    await advanceBy(60_000);
    expect(unanswered(errors)).toEqual([]);

    shard.resume();
    await advanceBy(4_000);
    expect(unanswered(errors)).toEqual([]);
    await advanceUntil(() => unanswered(errors).length === 1, 2_000);
    await shard.close();
  });
});

describe('a shutdown while waiting for the answer', () => {
  it('reports nothing and leaves no timer', async () => {
    gateway = await startGateway({ swallowIdentify: true });
    const { shard } = makeShard(gateway.url);
    const errors = collectErrors(shard);
    void shard.start();
    await advanceUntil(() => gateway.received(2).length === 1, 5_000);
    const closed = shard.close();
    await advanceUntil(() => shard.state === 'closed', 10_000);
    await closed;
    await reach(shard, 'closed');
    expect(vi.getTimerCount()).toBe(0);
    await advanceBy(60_000);
    expect(errors).toEqual([]);
  });
});

describe('timeouts.sessionAnswerMs', () => {
  it.each([0, -1, Number.NaN, MAX_TIMER_DELAY + 1])('refuses %s with a ValidationError naming it', (ms) => {
    const build = () => makeShard('ws://127.0.0.1:1', { timeouts: { sessionAnswerMs: ms } });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(/^timeouts\.sessionAnswerMs must be a positive number of milliseconds/);
  });
});
