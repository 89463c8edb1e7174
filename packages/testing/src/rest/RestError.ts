import { ErrorCode } from './errorCodes.js';

/**
 * An error answer of the emulated REST API: HTTP status plus the platform's `{code, message}` body.
 * Route handlers throw it; the REST service turns it into the response.
 */
export class RestError extends Error {
  override readonly name = 'RestError';

  /**
   * @param status HTTP status
   * @param code API error code (see `ErrorCode`)
   * @param message human-readable message naming what was wrong
   * @param data extra `data` carried in the body
   * @param headers extra response headers (e.g. Retry-After)
   */
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly data?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A 400 RequestInvalid naming the offending field. */
export function invalidField(field: string, expectation: string): RestError {
  return new RestError(400, ErrorCode.RequestInvalid, `field "${field}" ${expectation}`);
}
