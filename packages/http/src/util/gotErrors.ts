import { messageOf } from '@bot/core';
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
  const copy = new Error(messageOf(error));
  if (error instanceof Error) {
    copy.name = error.name;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
  }
  return copy;
}

/**
 * A system error code (`ECONNRESET`, `EAI_AGAIN`) — not one of Node's own `ERR_…` codes — or an
 * answer the HTTP parser could not read (`HPE_…`): the failures of a connection, which another
 * attempt may not meet.
 */
const CONNECTION_FAILURE = /^(?!ERR_)E[A-Z]+(?:_[A-Z]+)*$|^HPE_/;
/**
 * Node's own codes of a failed connection: every address's connect attempt timed out (made by
 * `autoSelectFamily`, nothing sent), or the answer's stream closed before its end.
 */
const NODE_CONNECTION_FAILURES = new Set(['ERR_SOCKET_CONNECTION_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Longest message a reason quotes: a reason is one line of a log. */
const MAX_MESSAGE = 200;

/**
 * Whether a failed request failed on its connection (see {@link CONNECTION_FAILURE} and
 * {@link NODE_CONNECTION_FAILURES}), not for a reason another attempt would meet again (a TLS
 * certificate, an answer that cannot be decoded).
 */
export function isConnectionFailure(error: unknown): boolean {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (CONNECTION_FAILURE.test(code) || NODE_CONNECTION_FAILURES.has(code));
}

/**
 * The reason a request failed, for an error's message: the system error code of a connection
 * failure (`ECONNREFUSED`), otherwise the code and the message that tell what happened
 * (`Z_DATA_ERROR: incorrect header check`), on one line and bounded.
 */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return oneLine(messageOf(error));
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return oneLine(error.message);
  return isConnectionFailure(error) ? code : `${code}: ${oneLine(error.message)}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}
