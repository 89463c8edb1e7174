/** True for got's timeout errors, and for a passed deadline (`DeadlineExceededError`), which looks the same. */
export function isGotTimeout(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'TimeoutError' || (error as { code?: unknown }).code === 'ETIMEDOUT')
  );
}

/**
 * A copy of a failed request's error with only its name, code and message. got's own errors hold
 * the request options (headers with the token, the body with the secret): they never leave here.
 */
export function sanitizedCause(error: unknown): Error {
  const copy = new Error(error instanceof Error ? error.message : String(error));
  if (error instanceof Error) {
    copy.name = error.name;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
  }
  return copy;
}

/** The system error code of a failed request, or its message. */
export function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.message;
  }
  return String(error);
}
