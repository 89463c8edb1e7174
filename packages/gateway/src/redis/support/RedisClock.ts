import type { Redis } from 'ioredis';
import { steadyNow } from '@bot/core';

/** `TIME` round trips per measurement. */
const SAMPLES = 3;

/** A reading of the server's clock and the steady time at which it held. */
interface Reading {
  serverMs: number;
  steadyMs: number;
}

/**
 * Time as the Redis server sees it. A measurement reads the server's clock with `TIME` (the
 * quickest of a few samples, half its round trip taken off: the shorter the round trip, the less
 * an uneven path can skew it); `now()` is that reading plus the time elapsed since, on the steady
 * clock. Every process of a bot thus measures windows against one clock, even on machines whose
 * clocks disagree, and a step of this machine's wall clock (a time sync) moves nothing: it would
 * have shifted an estimate taken as the local time plus an offset by the whole step.
 */
export class RedisClock {
  readonly #redis: Redis;
  #reading: Reading | undefined;

  /** @param redis - the server whose clock counts */
  public constructor(redis: Redis) {
    this.#redis = redis;
  }

  /** Reads the server's clock, keeping the sample with the shortest round trip. */
  public async sync(): Promise<void> {
    let best: (Reading & { roundTripMs: number }) | undefined;
    for (let sample = 0; sample < SAMPLES; sample++) {
      const sent = steadyNow();
      const [seconds, micros] = await this.#redis.time();
      const received = steadyNow();
      const serverMs = Number(seconds) * 1_000 + Number(micros) / 1_000;
      const roundTripMs = received - sent;
      if (best === undefined || roundTripMs < best.roundTripMs)
        best = { roundTripMs, serverMs, steadyMs: (sent + received) / 2 };
    }
    if (best !== undefined) this.#reading = { serverMs: best.serverMs, steadyMs: best.steadyMs };
  }

  /**
   * Milliseconds since the epoch on the server's clock, whole; the local wall clock until the
   * first measurement.
   */
  public now(): number {
    const reading = this.#reading;
    if (reading === undefined) return Date.now();
    return Math.floor(reading.serverMs + (steadyNow() - reading.steadyMs));
  }
}
