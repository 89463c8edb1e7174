import { DeadlineExceededError } from '@bot/core';

/**
 * The call's deadline passed before its attempt went out (it waited for a rate-limit pause to the
 * end of its time) or while the attempt was still opening a connection (resolving the host,
 * connecting, or in the TLS handshake of a new connection): nothing of the request had been
 * written. Internal: the client reports it as a `TimeoutError` whose `mayHaveBeenSent` is `false`
 * (unless an earlier attempt of the call may have landed).
 */
export class UnsentDeadlineError extends DeadlineExceededError {
  /**
   * @param ms - the time the attempt had, in milliseconds
   * @param waitedForSocket - whether the attempt never had a socket: every connection the client
   *   may open (`maxSockets`) was taken, so its time went to waiting in this client
   */
  public constructor(
    ms: number,
    public readonly waitedForSocket = false,
  ) {
    super(ms);
  }
}
