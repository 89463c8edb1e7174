/**
 * Durations a shard waits for with a timer are refused past the longest delay Node's timers hold:
 * a longer one fires after 1 ms (a Hello timeout of 3e9 ms gave up after 766 ms).
 */
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_DELAY, ValidationError } from '@bot/core';
import { SendLimiter, type ShardOptions } from '@bot/gateway';
import { makeShard } from './support/harness.js';

const TOO_LONG = 2 ** 31;

describe('shard durations', () => {
  it.each<[string, Partial<ShardOptions>]>([
    ['timeouts.handshakeMs', { timeouts: { handshakeMs: TOO_LONG } }],
    ['timeouts.helloMs', { timeouts: { helloMs: TOO_LONG } }],
    ['timeouts.closeGraceMs', { timeouts: { closeGraceMs: TOO_LONG } }],
    ['timeouts.sessionStoreMs', { timeouts: { sessionStoreMs: TOO_LONG } }],
    ['seqFlushDelayMs', { seqFlushDelayMs: TOO_LONG }],
    ['backoff.baseMs', { backoff: { baseMs: TOO_LONG } }],
    ['backoff.maxMs', { backoff: { maxMs: TOO_LONG } }],
    ['backoff.stableAfterMs', { backoff: { stableAfterMs: TOO_LONG } }],
    ['sendLimit.windowMs', { sendLimit: { windowMs: TOO_LONG } }],
  ])('refuses %s past the longest timer delay with a ValidationError naming it', (field, options) => {
    const build = () => makeShard('ws://127.0.0.1:1', options);
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(new RegExp(`^${field.replace('.', '\\.')} must be .*at most ${MAX_TIMER_DELAY}`));
  });

  it('takes the longest timer delay itself', () => {
    const { shard } = makeShard('ws://127.0.0.1:1', { timeouts: { helloMs: MAX_TIMER_DELAY } });
    expect(shard.state).toBe('idle');
  });

  it('a SendLimiter built directly refuses such a window too', () => {
    expect(() => new SendLimiter(() => undefined, { windowMs: TOO_LONG })).toThrow(/windowMs/);
  });
});
