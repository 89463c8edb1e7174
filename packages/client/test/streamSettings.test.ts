/**
 * A stream's timing settings become Node timers, whose delay is at most 2^31 − 1 ms: a longer one
 * fires after about 1 ms, which would end a stream as idle at once. Such settings are refused.
 */
import { MAX_TIMER_DELAY, ValidationError } from '@bot/core';
import { describe, expect, it } from 'vitest';
import { streamSettings } from '../src/models/reply/streamSettings.js';

describe('streamSettings', () => {
  it('fills in the defaults', () => {
    expect(streamSettings({})).toEqual({ intervalMs: 500, maxLength: 20_000, idleTimeoutMs: 60_000 });
  });

  it('takes the longest delay a timer can wait', () => {
    expect(streamSettings({ idleTimeoutMs: MAX_TIMER_DELAY, intervalMs: MAX_TIMER_DELAY })).toMatchObject({
      idleTimeoutMs: MAX_TIMER_DELAY,
      intervalMs: MAX_TIMER_DELAY,
    });
  });

  it.each([
    ['idleTimeoutMs', { idleTimeoutMs: 2 ** 31 }],
    ['intervalMs', { intervalMs: 2 ** 31 }],
  ])('refuses a %s a timer cannot wait, naming the option and the limit', (name, options) => {
    expect(() => streamSettings(options)).toThrow(ValidationError);
    expect(() => streamSettings(options)).toThrow(new RegExp(`options\\.${name}.*${MAX_TIMER_DELAY}`));
  });
});
