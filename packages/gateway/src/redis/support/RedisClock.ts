import type { Redis } from 'ioredis';

/** `TIME` round trips per measurement. */
const SAMPLES = 3;

/**
 * Time as the Redis server sees it, read through the local clock: the offset between the two is
 * measured with `TIME` (half the round trip taken off, from the quickest of a few samples: the
 * shorter the round trip, the less an uneven path can skew it), then `now()` is `Date.now()` plus
 * that offset. Every process of a bot thus measures windows against one clock, even on machines
 * whose clocks disagree, while time itself still flows through `Date.now()` (fake timers work).
 */
export class RedisClock {
  readonly #redis: Redis;
  #offset = 0;

  /** @param redis - the server whose clock counts */
  public constructor(redis: Redis) {
    this.#redis = redis;
  }

  /** Measures the offset to the server's clock, keeping the sample with the shortest round trip. */
  public async sync(): Promise<void> {
    let best: { roundTripMs: number; offset: number } | undefined;
    for (let sample = 0; sample < SAMPLES; sample++) {
      const sent = Date.now();
      const [seconds, micros] = await this.#redis.time();
      const received = Date.now();
      const server = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
      const roundTripMs = received - sent;
      if (best === undefined || roundTripMs < best.roundTripMs)
        best = { roundTripMs, offset: server - Math.round((sent + received) / 2) };
    }
    if (best !== undefined) this.#offset = best.offset;
  }

  /** Milliseconds since the epoch on the server's clock. */
  public now(): number {
    return Date.now() + this.#offset;
  }
}
