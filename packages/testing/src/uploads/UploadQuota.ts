import { emulatorNow } from '../util/emulatorClock.js';
import { PeriodicWindow } from '../util/PeriodicWindow.js';

/** The upload quota as `emulator.uploads.quota` and `GET /__emulator/uploads` report it. */
export interface UploadQuotaSnapshot {
  /** Uploads allowed per period; `null` for unlimited (the default). */
  limit: number | null;
  /** Uploads prepared in the current period. */
  used: number;
  /** Uploads left in the current period; `null` for unlimited. */
  remaining: number | null;
  /**
   * Milliseconds left until the current period ends and `used` starts again from 0 (the period's
   * length is the `quotaPeriodMs` setting).
   */
  resetAfter: number;
}

/** What the quota reads of the upload settings (see `ChunkedUploadSettings`). */
export interface UploadQuotaSettings {
  /** Uploads allowed per period (a day unless `quotaPeriodMs` says otherwise). */
  readonly dailyQuota: number;
  /** Length of a period in ms. */
  readonly quotaPeriodMs: number;
}

/**
 * The allowance of chunked uploads (`upload_prepare` calls) per period, past which the platform
 * answers 40093002 (docs/protocol.md §8.8). The protocol notes record no reset time, so it
 * follows the emulator's session start budget: periods of `quotaPeriodMs` (24 h by default)
 * counted from the emulator's start on the emulator's clock (`emulatorNow`, steady), so a wall clock
 * stepped forward empties no period early, and fake timers that fake `performance` move it.
 */
export class UploadQuota {
  readonly #settings: () => UploadQuotaSettings;
  readonly #window: PeriodicWindow;
  #used = 0;

  /**
   * @param settings - the limit and period now in force (read at each call, so changes apply at once)
   * @param now - the start of the first period
   */
  constructor(settings: () => UploadQuotaSettings, now: number = emulatorNow()) {
    this.#settings = settings;
    this.#window = new PeriodicWindow(() => settings().quotaPeriodMs, now);
  }

  /** Counts one upload, or returns false when the period's allowance is used up. */
  tryTake(now: number = emulatorNow()): boolean {
    this.#roll(now);
    if (this.#used >= this.#settings().dailyQuota) return false;
    this.#used++;
    return true;
  }

  /** Limit, use and time to the reset now. */
  snapshot(now: number = emulatorNow()): UploadQuotaSnapshot {
    this.#roll(now);
    const { dailyQuota } = this.#settings();
    const unlimited = dailyQuota === Infinity;
    return {
      limit: unlimited ? null : dailyQuota,
      used: this.#used,
      remaining: unlimited ? null : Math.max(0, dailyQuota - this.#used),
      resetAfter: this.#window.msLeft(now),
    };
  }

  #roll(now: number): void {
    if (this.#window.roll(now)) this.#used = 0;
  }
}
