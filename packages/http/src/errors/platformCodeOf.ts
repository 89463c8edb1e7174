import { BotError } from '@bot/core';
import { ApiError, type KnownApiError } from './ApiError.js';
import type { AuthenticationError } from './AuthenticationError.js';
import { DUPLICATE_MSG_SEQ_CODE, type DuplicateSendError } from './DuplicateSendError.js';
import { findInCauses } from './findInCauses.js';
import { isPlatformCode, type PlatformCode } from './platformCodes.js';
import type { RateLimitedError } from './RateLimitedError.js';

/**
 * The known platform code an error carries, wherever the client surfaced it: an {@link ApiError}
 * (a refusal), a {@link RateLimitedError} (`22009`, `620006`), an {@link AuthenticationError}
 * (`11244` still refused after a refresh) or a {@link DuplicateSendError} (`40054005`), itself or
 * as the `cause` of the error given.
 *
 * The `cause` chain is read because the code rarely arrives bare: a reply that fails inside a
 * handler reaches the client's `error()` as a `HandlerError` (kind `'handler'`) whose `cause` is the
 * refusal, a failed rich-content fallback (`RichContentFallbackError`) keeps the plain text's
 * failure as its `cause`, and a bot's own `new Error('…', { cause })` wraps the same way. Any
 * `Error`'s `cause` is followed, not only the framework's wrappers: this package cannot name the
 * client's, and a bot's wrapper means the same. The outermost code wins (a `DuplicateSendError`'s
 * `40054005`, not the earlier failure it keeps as `cause`), so an error with a code of its own is
 * never read past; at most eight errors are read, each once, so a cycle of causes ends (the walk
 * is {@link findInCauses}, which other readers of wrapped errors share). An error rebuilt from a
 * worker thread (a failure a thread's client reported to the main thread's `error()`, its causes
 * as `RemoteBotError`s of the same kind and fields) gives its code the same way.
 *
 * ```ts
 * error(error: ClientError) {
 *   switch (platformCodeOf(error)) {
 *     case PlatformCode.ReplyMarkdownNotPermitted: return; // send plain text, or turn on richContentFallback()
 *     case PlatformCode.ReplyExpired: return; // the reply window passed
 *     case undefined: console.error(error);
 *   }
 * }
 * ```
 *
 * {@link isKnownApiError} and {@link hasPlatformCode} look at the error itself only: they narrow
 * its type, which a wrapper's is not.
 *
 * @param error - anything caught, or what `error()` received
 * @returns the code, or `undefined` when neither the error nor its causes carry one of the known codes
 */
export function platformCodeOf(error: unknown): PlatformCode | undefined {
  return findInCauses(error, ownCodeOf);
}

/**
 * Kinds of the errors that carry the platform's `code`. Read by kind, not class, so that an error
 * rebuilt from a worker thread (a `BotError` of the same kind and fields, whose class did not
 * cross) gives its code too.
 */
const CODE_KINDS: ReadonlySet<string> = new Set(['api', 'rateLimited', 'authentication']);

/** The known code one error carries itself, not through its `cause`. */
function ownCodeOf(error: Error): PlatformCode | undefined {
  if (!(error instanceof BotError)) return undefined;
  // A duplicate refusal is always 40054005; its refusal did not cross a thread with it.
  if (error.kind === 'duplicateSend') return DUPLICATE_MSG_SEQ_CODE;
  const code = CODE_KINDS.has(error.kind) ? (error as { code?: unknown }).code : undefined;
  return isPlatformCode(code) ? code : undefined;
}

/**
 * Whether an error is an {@link ApiError} with one of the known codes; narrowed to
 * {@link KnownApiError}, whose `code` a `switch` narrows further. The error itself only, not its
 * `cause`: for what `error()` receives (a handler's failure wrapping the refusal) use
 * {@link platformCodeOf}.
 *
 * @param error - anything caught
 */
export function isKnownApiError(error: unknown): error is KnownApiError {
  return error instanceof ApiError && isPlatformCode(error.code);
}

/**
 * Whether an error is an {@link ApiError} carrying one given code. The error itself only, not its
 * `cause` (see {@link isKnownApiError}).
 *
 * @param error - anything caught
 * @param code - the code, one of {@link PlatformCode}
 */
export function hasPlatformCode<C extends PlatformCode>(error: unknown, code: C): error is ApiError<C> {
  return error instanceof ApiError && error.code === code;
}
