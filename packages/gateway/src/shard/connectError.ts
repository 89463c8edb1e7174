/**
 * Words for an error that kept a socket from opening (refused, DNS, TLS, handshake), with its
 * system error code: Node's message usually names it already ("connect ECONNREFUSED 127.0.0.1:443"),
 * a TLS error's does not ("self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)"). When a host has
 * several addresses, Node 20 tries each and reports an `AggregateError` with an empty message and the
 * attempts in `errors`: each is described, so the line names every address that refused.
 *
 * @param error - the socket's 'error' event before 'open'
 */
export function describeConnectError(error: Error & { code?: unknown }): string {
  const attempts = error instanceof AggregateError ? (error.errors as unknown[]) : [];
  const described = attempts
    .filter((inner): inner is Error => inner instanceof Error)
    .map(describeConnectError);
  if (described.length > 0) return [...new Set(described)].join('; ');
  const { code, message } = error;
  if (typeof code !== 'string') return message === '' ? error.name : message;
  if (message === '') return code;
  return message.includes(code) ? message : `${message} (${code})`;
}
