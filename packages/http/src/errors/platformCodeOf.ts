import { ApiError, type KnownApiError } from './ApiError.js';
import { AuthenticationError } from './AuthenticationError.js';
import { DuplicateSendError } from './DuplicateSendError.js';
import { isPlatformCode, type PlatformCode } from './platformCodes.js';
import { RateLimitedError } from './RateLimitedError.js';

/**
 * The known platform code an error carries, wherever the client surfaced it: an {@link ApiError}
 * (a refusal), a {@link RateLimitedError} (`22009`, `620006`), an {@link AuthenticationError}
 * (`11244` still refused after a refresh) or a {@link DuplicateSendError} (`40054005`).
 *
 * ```ts
 * switch (platformCodeOf(error)) {
 *   case PlatformCode.ReplyMarkdownNotPermitted: return sendPlain();
 *   case PlatformCode.MsgIdInvalid: return; // the window passed
 *   case undefined: throw error;
 * }
 * ```
 *
 * @param error - anything caught
 * @returns the code, or `undefined` when the error carries none of the known codes
 */
export function platformCodeOf(error: unknown): PlatformCode | undefined {
  const code =
    error instanceof ApiError || error instanceof RateLimitedError || error instanceof AuthenticationError
      ? error.code
      : error instanceof DuplicateSendError
        ? error.refusal.code
        : undefined;
  return isPlatformCode(code) ? code : undefined;
}

/**
 * Whether an error is an {@link ApiError} with one of the known codes; narrowed to
 * {@link KnownApiError}, whose `code` a `switch` narrows further.
 *
 * @param error - anything caught
 */
export function isKnownApiError(error: unknown): error is KnownApiError {
  return error instanceof ApiError && isPlatformCode(error.code);
}

/**
 * Whether an error is an {@link ApiError} carrying one given code.
 *
 * @param error - anything caught
 * @param code - the code, one of {@link PlatformCode}
 */
export function hasPlatformCode<C extends PlatformCode>(error: unknown, code: C): error is ApiError<C> {
  return error instanceof ApiError && error.code === code;
}
