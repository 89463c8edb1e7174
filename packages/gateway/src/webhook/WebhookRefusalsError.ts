import { reportDuration } from './reportDuration.js';
import { WebhookRefusedError } from './WebhookRefusedError.js';

/**
 * A report, on a {@link WebhookReceiver}'s `error` event, of requests refused for a reason that
 * may point at something the operator can fix: signatures that do not verify (another secret), a
 * clock off, another bot's or another path's requests, bodies over the size limit, deliveries that
 * verified but cannot be read, a failure of the receiver's own. Only the last two were verified:
 * the others carry signature headers anyone can make up, so each `check` says what to fix if the
 * platform sent them, and the receiver does not report those a recently verified delivery
 * disproves (see its `error` event).
 *
 * The first refusal of a reason is reported at once (`count` 1); the ones that follow are counted
 * and reported together (`count` of them over `periodMs`) at most once per
 * `refusalReportIntervalMs`, so a flood of bad requests costs one report per reason and interval.
 * It carries the `code`, `status` and `detail` of the latest refusal it covers; `internal` and
 * `malformedDelivery` are counted per detail (a few per reason, then the rest together), so two
 * different failures are each reported.
 */
export class WebhookRefusalsError extends WebhookRefusedError {
  /** Refusals this report covers: 1 for the first of its reason, then the count since the last report. */
  public readonly count: number;
  /** Milliseconds the count covers; 0 for the report of a first refusal. */
  public readonly periodMs: number;
  /** What to check, such as the AppSecret for `badSignature`. */
  public readonly check: string;

  /**
   * @param latest - the latest refusal covered
   * @param check - what to check
   * @param count - refusals covered
   * @param periodMs - the time they were counted over, 0 for a first refusal
   * @param intervalMs - how often, at most, further refusals of the reason are reported
   */
  public constructor(
    latest: WebhookRefusedError,
    check: string,
    count: number,
    periodMs: number,
    intervalMs: number,
  ) {
    const { code, detail, retryAfterSeconds } = latest;
    super(code, detail, {
      ...(latest.cause === undefined ? {} : { cause: latest.cause }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
    this.count = count;
    this.periodMs = periodMs;
    this.check = check;
    const every = reportDuration(intervalMs);
    // Replaces the single-refusal message the base class wrote: a report says how many and what to do.
    this.message =
      periodMs === 0
        ? `webhook request refused (${code}, ${this.status}): ${detail}; ${check} (more refusals for this reason are counted and reported at most every ${every})`
        : `webhook refused ${count} more request${count === 1 ? '' : 's'} (${code}, ${this.status}) in the last ${reportDuration(periodMs)}, the latest: ${detail}; ${check}`;
  }
}
