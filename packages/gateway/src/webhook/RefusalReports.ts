import { steadyNow } from '@bot/core';
import type { WebhookRefusal, WebhookRefusedError } from './WebhookRefusedError.js';
import { WebhookRefusalsError } from './WebhookRefusalsError.js';

/** One reason being counted between two reports. */
interface Counting {
  /** The latest refusal of the reason, the one the next report names. */
  latest: WebhookRefusedError;
  check: string;
  /** Refusals since the last report. */
  count: number;
  /** When the count began, on the steady clock. */
  since: number;
  timer: NodeJS.Timeout;
}

/**
 * Rate-limits a receiver's refusal reports per reason: the first refusal of a reason is reported
 * at once; the ones within the next `intervalMs` are counted and reported together when it ends,
 * which begins another interval. An interval without a refusal ends the count, so the next one is
 * reported at once again. State is one entry per reason (there are a dozen), whatever the traffic.
 * Timers do not keep the process alive; {@link RefusalReports.flush} clears them.
 */
export class RefusalReports {
  readonly #counting = new Map<WebhookRefusal, Counting>();

  /**
   * @param intervalMs - least time between two reports of one reason
   * @param report - receives each report; must not throw
   */
  public constructor(
    private readonly intervalMs: number,
    private readonly report: (error: WebhookRefusalsError) => void,
  ) {}

  /**
   * Reports `refusal` now, or counts it for the reason's next report.
   *
   * @param refusal - what was refused
   * @param check - what the operator should check
   */
  public note(refusal: WebhookRefusedError, check: string): void {
    const counting = this.#counting.get(refusal.code);
    if (counting !== undefined) {
      counting.count += 1;
      counting.latest = refusal;
      counting.check = check;
      return;
    }
    this.#counting.set(refusal.code, {
      latest: refusal,
      check,
      count: 0,
      since: steadyNow(),
      timer: this.#startTimer(refusal.code),
    });
    this.report(new WebhookRefusalsError(refusal, check, 1, 0, this.intervalMs));
  }

  /** Reports every count still open at once and clears the timers (when the server closes). */
  public flush(): void {
    const open = [...this.#counting.values()];
    this.#counting.clear();
    for (const counting of open) {
      clearTimeout(counting.timer);
      if (counting.count > 0) this.#summarise(counting);
    }
  }

  #startTimer(code: WebhookRefusal): NodeJS.Timeout {
    const timer = setTimeout(() => this.#intervalEnded(code), this.intervalMs);
    timer.unref();
    return timer;
  }

  #intervalEnded(code: WebhookRefusal): void {
    const counting = this.#counting.get(code);
    if (counting === undefined) return;
    if (counting.count === 0) {
      this.#counting.delete(code);
      return;
    }
    this.#summarise(counting);
    counting.count = 0;
    counting.since = steadyNow();
    counting.timer = this.#startTimer(code);
  }

  #summarise({ latest, check, count, since }: Counting): void {
    const periodMs = Math.max(1, Math.round(steadyNow() - since));
    this.report(new WebhookRefusalsError(latest, check, count, periodMs, this.intervalMs));
  }
}
