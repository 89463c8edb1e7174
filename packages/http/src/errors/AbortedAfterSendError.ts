import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { repeatAdvice } from './delivery.js';

/**
 * The caller's `signal` aborted a POST after it may have reached the platform: its body was
 * written (or an earlier attempt of the call may have landed), so it may have taken effect. The
 * signal's own reason is its `cause`. A call the signal stops before anything could have reached
 * the platform, and any other method (repeating it posts nothing twice), rejects with the signal's
 * reason itself, as any aborted call does: this error replaces it only when the caller has
 * something to check before sending again (a message re-sent under a new `msg_seq` would be
 * posted twice).
 */
export class AbortedAfterSendError extends BotError {
  public readonly kind = 'abortedAfterSend' as const;
  /** Always `true`: the request may have reached the platform, as for a `TimeoutError` that says so. */
  public readonly mayHaveBeenSent = true as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param reason - the signal's reason, kept as `cause`
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    reason: unknown,
  ) {
    const delivery = repeatAdvice(method, route, true) ?? 'it may have reached the platform';
    super(
      `${method} ${route} was aborted by its caller's signal after it was sent: ${delivery}; ` +
        "the signal's reason is this error's cause",
      { cause: reason },
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    abortedAfterSend: AbortedAfterSendError;
  }
}
