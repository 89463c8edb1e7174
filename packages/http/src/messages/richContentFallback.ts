import { isPlainObject, msUntil, OpenMessageType, steadyNow, ValidationError } from '@bot/core';
import { ApiError } from '../errors/ApiError.js';
import { AuthenticationError } from '../errors/AuthenticationError.js';
import { NetworkError } from '../errors/NetworkError.js';
import type { PlatformCode } from '../errors/platformCodes.js';
import { RICH_CONTENT_REFUSALS } from '../errors/platformCodes.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { RichContentFallbackError } from '../errors/RichContentFallbackError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { isEndpointCall, markEndpointCall } from '../rest/callSite.js';
import type { RequestOptions } from '../rest/RequestOptions.js';
import { renderPlainText } from './renderPlainText.js';

/** What happened when a markdown/keyboard message was refused and sent again as plain text. */
export interface RichFallbackReport {
  /** HTTP method of the send (`POST`). */
  method: string;
  /** Route template of the send, such as `/v2/groups/{group_openid}/messages`. */
  route: string;
  /** Path values of the send (the channel, group or user). */
  params: Readonly<Record<string, string>>;
  /** The refusal's code: one of the permission codes of docs/protocol.md §11. */
  code: PlatformCode;
  /** The platform's refusal of the rich message. */
  refusal: ApiError;
  /** What the message lost: its markdown, its keyboard, or both. */
  dropped: ('markdown' | 'keyboard')[];
  /** The plain text sent instead. */
  text: string;
}

/** How the fallback renders text and whom it tells. */
export interface RichFallbackOptions {
  /**
   * Called once per fallback, after the plain text was sent. The `RestClient` also emits a
   * `richContentFallback` event, and {@link richFallbackOf} finds the report from the result.
   */
  onFallback?: ((report: RichFallbackReport) => void) | undefined;
  /**
   * Renders the refused body as text; {@link renderPlainText} by default. Return an empty string
   * to send nothing (the refusal is then thrown as it is).
   */
  render?: ((body: Record<string, unknown>) => string) | undefined;
}

const REPORTS = new WeakMap<object, RichFallbackReport>();

/**
 * The fallback report of a send's result, when the message went out as plain text instead of
 * markdown/keyboard; `undefined` when it went out as sent.
 *
 * ```ts
 * const sent = await api.groups.send(groupOpenid, menu);
 * const fallback = richFallbackOf(sent);
 * if (fallback) log.warn(`menu sent as text (code ${fallback.code})`);
 * ```
 *
 * @param result - what a send resolved to
 */
export function richFallbackOf(result: unknown): RichFallbackReport | undefined {
  return typeof result === 'object' && result !== null ? REPORTS.get(result) : undefined;
}

/** The fields of a send body that say what it replies to; they go with the plain text unchanged. */
const REPLY_FIELDS = ['msg_id', 'event_id', 'msg_seq', 'message_reference'] as const;

/**
 * Sends a request; when the platform refuses a markdown/keyboard message for the bot's
 * permissions, sends it once more as plain text rendered from it, reports that through `report`,
 * and resolves with the plain send's result (which {@link richFallbackOf} recognises).
 *
 * The plain message keeps the reply fields, `msg_seq` included: the refused send posted nothing,
 * and the number the caller gave it is the one its next reply does not use [ours, unverified].
 *
 * Both sends share the call's `timeout`: the plain one gets what the refused one left of it, so
 * the call settles within its timeout as any other does.
 *
 * @param send - one call of the REST client
 * @param options - the request
 * @param timeout - the call's timeout in milliseconds (its own, or the client's)
 * @param policy - rendering and the caller's callback
 * @param report - where the report goes besides the callback (the client's event)
 * @throws the refusal when the body renders to no text, a {@link RichContentFallbackError} when the
 *   plain send fails or no time is left for it (its cause a {@link TimeoutError})
 */
export async function sendWithRichFallback<T>(
  send: (options: RequestOptions) => Promise<T>,
  options: RequestOptions,
  timeout: number,
  policy: RichFallbackOptions,
  report: (report: RichFallbackReport) => void,
): Promise<T> {
  const deadline = steadyNow() + timeout;
  try {
    return await send(options);
  } catch (error) {
    const body = options.body;
    if (!(error instanceof ApiError) || !RICH_CONTENT_REFUSALS.has(error.code) || !isRichSend(options, body))
      throw error;
    const text = (policy.render ?? renderPlainText)(body).trim();
    if (text === '') throw error;
    const plain = plainBody(options.route, body, text);
    const left = msUntil(deadline);
    const timedOut = (mayHaveBeenSent: boolean) =>
      new TimeoutError(options.method, options.route, timeout, mayHaveBeenSent);
    if (left <= 0) throw new RichContentFallbackError(error, timedOut(false), false);
    const plainSend: RequestOptions = { ...options, body: plain, timeout: left };
    // The copy is the same endpoint call: its answer is read as strictly as the original's.
    if (isEndpointCall(options)) markEndpointCall(plainSend);
    let result: T;
    try {
      result = await send(plainSend);
    } catch (failure) {
      // A timeout names the call's, not the remainder the plain send had.
      const reported = failure instanceof TimeoutError ? timedOut(failure.mayHaveBeenSent) : failure;
      throw new RichContentFallbackError(error, reported, mayHaveBeenPosted(failure));
    }
    const details: RichFallbackReport = {
      method: options.method,
      route: options.route,
      params: options.params ?? {},
      code: error.code as PlatformCode,
      refusal: error,
      dropped: (['markdown', 'keyboard'] as const).filter((field) => body[field] !== undefined),
      text,
    };
    if (typeof result === 'object' && result !== null) REPORTS.set(result, details);
    report(details);
    return result;
  }
}

/**
 * Whether a failed send may have posted its text. The errors that know say so (`mayHaveBeenSent`):
 * a refusal or a rate limit posted nothing unless an earlier attempt of the call may have landed, a
 * timeout or a network failure posted nothing when it came before the send left the machine.
 * Refused credentials and an invalid send posted nothing. Any other failure (an answer that could
 * not be read, a shutdown or an abort mid-send) may have come after the platform posted it.
 */
function mayHaveBeenPosted(failure: unknown): boolean {
  if (
    failure instanceof ApiError ||
    failure instanceof RateLimitedError ||
    failure instanceof TimeoutError ||
    failure instanceof NetworkError
  )
    return failure.mayHaveBeenSent;
  return !(failure instanceof AuthenticationError || failure instanceof ValidationError);
}

function isRichSend(options: RequestOptions, body: unknown): body is Record<string, unknown> {
  return (
    options.method === 'POST' &&
    options.route.endsWith('/messages') &&
    isPlainObject(body) &&
    (body['markdown'] !== undefined || body['keyboard'] !== undefined)
  );
}

/** The plain-text body for the same conversation: `msg_type` 0 on group and C2C routes. */
function plainBody(route: string, body: Record<string, unknown>, text: string): Record<string, unknown> {
  const plain: Record<string, unknown> = route.startsWith('/v2/')
    ? { msg_type: OpenMessageType.Text, content: text }
    : { content: text };
  for (const field of REPLY_FIELDS) if (body[field] !== undefined) plain[field] = body[field];
  return plain;
}
