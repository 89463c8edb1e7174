import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisClock } from '../../src/redis/support/RedisClock.js';

const TRUE_OFFSET_MS = 1_000;

/**
 * A server whose clock runs `TRUE_OFFSET_MS` ahead, answering `TIME` over paths whose delays
 * (there, back) are given per call.
 */
function serverWithPaths(paths: [number, number][]): Redis {
  let call = 0;
  const time = (): Promise<[string, string]> => {
    const [there, back] = paths[call++] ?? [1, 1];
    return new Promise((resolve) =>
      setTimeout(() => {
        const server = Date.now() + TRUE_OFFSET_MS;
        setTimeout(
          () => resolve([String(Math.floor(server / 1_000)), String((server % 1_000) * 1_000)]),
          back,
        );
      }, there),
    );
  };
  return { time } as unknown as Redis;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RedisClock.sync', () => {
  it('takes the offset from the quickest of its samples, so one uneven round trip does not skew it', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    // The first round trip is slow and uneven (290 ms there, 10 ms back): alone it would put the
    // offset 140 ms off. The second is quick and even.
    const clock = new RedisClock(
      serverWithPaths([
        [290, 10],
        [5, 5],
        [100, 100],
      ]),
    );
    const synced = clock.sync();
    await vi.runAllTimersAsync();
    await synced;
    expect(clock.now() - Date.now()).toBe(TRUE_OFFSET_MS);
  });
});
