import { describe, expect, it } from 'vitest';
import { RateLimitedError, TimeoutError } from '@bot/http';

// The advice of a call held in this client's queue until it timed out names what held it, and a
// refusal as behind a too deep queue says whose window the queue keeps.

const held = (queuedFor: 'pace' | 'pause' | 'global' | 'concurrency') =>
  new TimeoutError('POST', '/channels/{channel_id}/messages', 2_000, false, {
    tokenMs: 0,
    queueMs: 2_000,
    platformMs: 0,
    queuedFor,
  }).message;

describe('the advice of a call held in the queue until it timed out', () => {
  it('names the cap for a wait under rateLimits.concurrency', () => {
    expect(held('concurrency')).toContain('within `rateLimits.concurrency`: raise that cap');
  });

  it('says a global limit held every route', () => {
    expect(held('global')).toContain('paused every route');
    expect(held('global')).not.toContain('to that route');
  });

  it("says a route's pause held it", () => {
    expect(held('pause')).toContain('paused that route');
  });

  it("keeps the pace advice for the route's window", () => {
    expect(held('pace')).toContain('send fewer requests to that route at once');
  });
});

describe('the refusal of a call behind a too deep queue', () => {
  const refusal = (windowOf: 'platform' | 'rateLimits.messagesPerSecond' | 'rateLimits.routes') =>
    new RateLimitedError(
      'POST',
      '/channels/{channel_id}/pins',
      3_000,
      429,
      undefined,
      'timeout',
      false,
      0,
      false,
      {
        depth: 10,
        limit: 5,
        intervalMs: 1_000,
        windowOf,
      },
    ).message;

  it('says whose window the queue keeps', () => {
    expect(refusal('platform')).toContain("(the platform's limit)");
    expect(refusal('rateLimits.routes')).toContain('set by your `rateLimits.routes` for that route');
    expect(refusal('rateLimits.routes')).not.toContain("platform's limit");
    expect(refusal('rateLimits.messagesPerSecond')).toContain('set by your `rateLimits.messagesPerSecond`');
  });
});
