import type { Redis } from 'ioredis';
import { steadyNow } from '@bot/core';

/** `TIME` round trips per measurement. */
const SAMPLES = 3;

/**
 * A measurement of the server's clock: how far it runs ahead of the local wall clock, and when
 * (on the wall and steady clocks) it was taken, so a step of the wall clock since can be noticed.
 */
export interface ClockReading {
  offsetMs: number;
  wallMs: number;
  steadyMs: number;
}

/**
 * Time as the Redis server sees it: the local wall clock plus an offset measured with `TIME` (the
 * quickest of a few samples, half its round trip taken off: the shorter the round trip, the less
 * an uneven path can skew it). Every process of a bot thus measures windows against one clock,
 * even on machines whose clocks disagree. The wall clock counts the time a machine spends
 * suspended, as the server's clock does, so a suspend needs no new measurement; a step of the wall
 * clock moves the estimate by the step until the next measurement (see `ResyncedClock`). Round
 * trips are timed on the steady clock: a wall step during a sample cannot make it look quick.
 */
export class RedisClock {
  readonly #redis: Redis;
  readonly #maxRoundTripMs: number;
  #reading: ClockReading | undefined;
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
   * Reads the server's clock, keeping the sample with the shortest round trip. Resolves only when
   * that sample became the reading; the first reading takes the best sample however slow (it is
   * better than none).
   *
   * @throws `Error` when every sample took longer than `maxRoundTripMs` and a reading was kept, or
   *   when another measurement started meanwhile (one given up after a timeout must neither
   *   overwrite a later one nor pass for a measurement)
   */
  public async sync(): Promise<void> {
    const sync = ++this.#syncs;
    let best: (ClockReading & { roundTripMs: number }) | undefined;
    for (let sample = 0; sample < SAMPLES; sample++) {
      const wallSent = Date.now();
      const sent = steadyNow();
      const [seconds, micros] = await this.#redis.time();
      const roundTripMs = steadyNow() - sent;
      const serverMs = Number(seconds) * 1_000 + Number(micros) / 1_000;
      if (best === undefined || roundTripMs < best.roundTripMs) {
        const wallMs = wallSent + roundTripMs / 2;
        best = { roundTripMs, offsetMs: serverMs - wallMs, wallMs, steadyMs: sent + roundTripMs / 2 };
      }
    }
    if (sync !== this.#syncs) throw new Error('a later measurement of the server clock superseded this one');
    if (best === undefined) return;
    if (this.#reading !== undefined && best.roundTripMs > this.#maxRoundTripMs) {
      throw new Error(
        `the quickest TIME round trip took ${Math.round(best.roundTripMs)} ms, more than ${this.#maxRoundTripMs} ms`,
      );
    }
    this.#reading = { offsetMs: best.offsetMs, wallMs: best.wallMs, steadyMs: best.steadyMs };
  }

  /** The last measurement, if one was taken. */
  public reading(): ClockReading | undefined {
    return this.#reading;
  }

  /**
   * Milliseconds since the epoch on the server's clock, whole; the local wall clock until the
   * first measurement.
   */
  public now(): number {
    return Math.floor(Date.now() + (this.#reading?.offsetMs ?? 0));
  }
}
