import { steadyNow } from '@bot/core';
import type { WebhookRefusal, WebhookRefusedError } from './WebhookRefusedError.js';
import { WebhookRefusalsError } from './WebhookRefusalsError.js';

/** Reasons whose refusals are told apart by their detail: each is a different failure to fix. */
const KEYED_BY_DETAIL: ReadonlySet<WebhookRefusal> = new Set(['internal', 'malformedDelivery']);
/**
 * Distinct details counted at once for one such reason; the refusals with further details are
 * counted together, so that state stays bounded whatever the details say.
 */
export const MAX_DETAILS_PER_REASON = 8;

/** One reason (or reason and detail) being counted between two reports. */
interface Counting {
  code: WebhookRefusal;
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
 * reported at once again. `internal` and `malformedDelivery` are counted per reason and detail (two
 * different bugs must not hide each other), up to {@link MAX_DETAILS_PER_REASON} details per
 * reason, then the rest together. State is bounded (a dozen reasons, a few details), whatever the
 * traffic. Timers do not keep the process alive; {@link RefusalReports.flush} clears them.
 */
export class RefusalReports {
  readonly #counting = new Map<string, Counting>();

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
    const key = this.#keyOf(refusal);
    const counting = this.#counting.get(key);
    if (counting !== undefined) {
      counting.count += 1;
      counting.latest = refusal;
      counting.check = check;
      return;
    }
    this.#counting.set(key, {
      code: refusal.code,
      latest: refusal,
      check,
      count: 0,
      since: steadyNow(),
      timer: this.#startTimer(key),
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

  /** What `refusal` is counted under: its reason, or its reason and detail (or the reason's overflow). */
  #keyOf(refusal: WebhookRefusedError): string {
    const { code, detail } = refusal;
    if (!KEYED_BY_DETAIL.has(code)) return code;
    const key = `${code}:${detail}`;
    if (this.#counting.has(key)) return key;
    let details = 0;
    for (const [counted, counting] of this.#counting)
      if (counting.code === code && counted !== code) details += 1;
    // The reason alone is the overflow's key: every detail past the first few is counted there.
    return details < MAX_DETAILS_PER_REASON ? key : code;
  }

  #startTimer(key: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.#intervalEnded(key), this.intervalMs);
    timer.unref();
    return timer;
  }

  #intervalEnded(key: string): void {
    const counting = this.#counting.get(key);
    if (counting === undefined) return;
    if (counting.count === 0) {
      this.#counting.delete(key);
      return;
    }
    this.#summarise(counting);
    counting.count = 0;
    counting.since = steadyNow();
    counting.timer = this.#startTimer(key);
  }

  #summarise({ latest, check, count, since }: Counting): void {
    const periodMs = Math.max(1, Math.round(steadyNow() - since));
    this.report(new WebhookRefusalsError(latest, check, count, periodMs, this.intervalMs));
  }
}
