/**
 * A kept file_info expires by the time that has passed since the platform gave it, not by the wall
 * clock: a clock stepped back (a time sync, a resumed VM) must not hand out a file_info the
 * platform has already expired, which would make the message that carries it fail.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileInfoCache } from '@bot/http';

const HOUR = 3_600_000;
const media = { file_uuid: 'uuid', file_info: 'info', ttl: 120 };

describe('FileInfoCache when the wall clock steps', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops an entry at its expiry (less the margin) though the clock was stepped back meanwhile', () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const cache = new FileInfoCache();
    cache.set('key', media);
    vi.setSystemTime(Date.now() - HOUR);

    vi.advanceTimersByTime(30_000);
    expect(cache.get('key')).toMatchObject({ file_info: 'info', ttl: 90 });
    vi.advanceTimersByTime(31_000);
    expect(cache.get('key')).toBeUndefined();
  });

  it('keeps an entry its ttl long though the clock was stepped forward meanwhile', () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const cache = new FileInfoCache();
    cache.set('key', media);
    vi.setSystemTime(Date.now() + HOUR);

    vi.advanceTimersByTime(30_000);
    expect(cache.get('key')).toMatchObject({ file_info: 'info', ttl: 90 });
  });
});
