import { WebhookRefusedError } from './WebhookRefusedError.js';

/**
 * A report, on a {@link WebhookReceiver}'s `error` event, of requests refused for a reason that
 * points at something the operator can fix: deliveries signed with another secret, a clock off,
 * another bot's or another path's deliveries, bodies over the size limit, signed deliveries that
 * cannot be read, a failure of the receiver's own. Every one of them means events the platform
 * sent are not arriving.
 *
 * The first refusal of a reason is reported at once (`count` 1); the ones that follow are counted
 * and reported together (`count` of them over `periodMs`) at most once per
 * `refusalReportIntervalMs`, so a flood of bad requests costs one report per reason and interval.
 * It carries the `code`, `status` and `detail` of the latest refusal it covers.
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
    const every = duration(intervalMs);
    // Replaces the single-refusal message the base class wrote: a report says how many and what to do.
    this.message =
      periodMs === 0
        ? `webhook request refused (${code}, ${this.status}): ${detail}; ${check} (more refusals for this reason are counted and reported at most every ${every})`
        : `webhook refused ${count} more request${count === 1 ? '' : 's'} (${code}, ${this.status}) in the last ${duration(periodMs)}, the latest: ${detail}; ${check}`;
  }
}

/** A duration as a report says it: whole seconds from one second on, milliseconds below. */
function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
