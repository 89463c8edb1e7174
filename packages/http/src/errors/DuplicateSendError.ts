import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import type { ApiError } from './ApiError.js';
import { PlatformCode } from './platformCodes.js';

/**
 * Platform code of "this `msg_seq` was already used for this `msg_id`/`event_id`": a group or C2C
 * reply repeating the number of an earlier reply to the same message is refused with it.
 */
export const DUPLICATE_MSG_SEQ_CODE = PlatformCode.DuplicateMsgSeq;

/**
 * A message send was re-sent after a failure that may have reached the platform (a 5xx answer, a
 * connection lost after sending), and the platform refused the re-send as a duplicate (code
 * `40054005`): the earlier attempt was most probably delivered. Do not send the message again —
 * a send with a new `msg_seq` would post it twice. The id of the delivered message is not known.
 *
 * Compare a plain {@link ApiError} with code `40054005` on the first attempt: there another sender
 * took that `msg_seq` first, and nothing of this call was delivered.
 */
export class DuplicateSendError extends BotError {
  public readonly kind = 'duplicateSend' as const;
  /** HTTP method of the request. */
  public readonly method: HttpMethod;
  /** Route template of the request, such as `/v2/groups/{group_openid}/messages`. */
  public readonly route: string;
  /** Which send was refused: 2 or more (the first send is attempt 1). */
  public readonly attempt: number;
  /** The platform's refusal of the re-send (code `40054005`). */
  public readonly refusal: ApiError;
  /**
   * Always `true`: the refusal says an earlier attempt took the `msg_seq`, so that attempt most
   * probably landed. Do not send the message again.
   */
  public readonly mayHaveBeenSent = true as const;

  /**
   * @param refusal - the platform's duplicate answer to the re-send
   * @param attempt - the number of the refused send (2 or more)
   * @param earlierFailure - the failure that made the client re-send (kept as `cause`)
   */
  public constructor(refusal: ApiError, attempt: number, earlierFailure: Error) {
    super(
      `${refusal.method} ${refusal.route}: attempt ${attempt} was refused as a duplicate ` +
        `(code ${refusal.code}${refusal.traceId ? `, trace ${refusal.traceId}` : ''}) after an earlier ` +
        `attempt failed with "${earlierFailure.message}": the message was probably delivered; do not send it again`,
      { cause: earlierFailure },
    );
    this.method = refusal.method;
    this.route = refusal.route;
    this.attempt = attempt;
    this.refusal = refusal;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    duplicateSend: DuplicateSendError;
  }
}
