import type { Redis } from 'ioredis';

/**
 * Time as the Redis server sees it, read through the local clock: the offset between the two is
 * measured once with `TIME` (half the round trip taken off), then `now()` is `Date.now()` plus
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

  /** Measures the offset to the server's clock. */
  public async sync(): Promise<void> {
    const sent = Date.now();
    const [seconds, micros] = await this.#redis.time();
    const received = Date.now();
    const server = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
    this.#offset = server - Math.round((sent + received) / 2);
  }

  /** Milliseconds since the epoch on the server's clock. */
  public now(): number {
    return Date.now() + this.#offset;
  }
}
