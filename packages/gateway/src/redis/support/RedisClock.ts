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
  readonly #maxRoundTripMs: number;
  #reading: Reading | undefined;
  /** Measurements started: only the latest may set the reading. */
  #syncs = 0;

  /**
   * @param redis - the server whose clock counts
   * @param maxRoundTripMs - the longest round trip a sample may take to replace a reading (half of
   *   it is the sample's uncertainty)
   */
  public constructor(redis: Redis, maxRoundTripMs = Number.POSITIVE_INFINITY) {
    this.#redis = redis;
    this.#maxRoundTripMs = maxRoundTripMs;
  }

  /**
   * Reads the server's clock, keeping the sample with the shortest round trip. The reading is
   * kept as it was when every sample took longer than `maxRoundTripMs` (the first reading takes
   * the best sample regardless: it is better than none), or when another measurement started
   * meanwhile (one given up after a timeout must not overwrite a later one).
   *
   * @throws `Error` when a reading was kept for slow samples, so the caller can tell it failed
   */
  public async sync(): Promise<void> {
    const sync = ++this.#syncs;
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
    if (best === undefined || sync !== this.#syncs) return;
    if (this.#reading !== undefined && best.roundTripMs > this.#maxRoundTripMs) {
      throw new Error(
        `the quickest TIME round trip took ${Math.round(best.roundTripMs)} ms, more than ${this.#maxRoundTripMs} ms`,
      );
    }
    this.#reading = { serverMs: best.serverMs, steadyMs: best.steadyMs };
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
