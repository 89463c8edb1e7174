import { afterEach, beforeEach, vi } from 'vitest';
import type { RateLimitManager } from '../../src/rest/ratelimit/RateLimitManager.js';

/**
 * Runs each test of the enclosing block on fake timers and fake clocks (wall and steady), and after it destroys the
 * rate limiter `current()` returns (the one the test made) and gives back the real clock.
 */
export function useLimiterClock(current: () => RateLimitManager | undefined): void {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    });
  });
  afterEach(() => {
    current()?.destroy();
    vi.useRealTimers();
  });
}
