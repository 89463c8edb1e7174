import { GatewayError } from '../errors/GatewayError.js';

/** A session store write, as the store interface names it. */
export type SessionWriteOperation = 'set' | 'delete';

/**
 * A session store write was not done within its deadline (`timeouts.sessionStoreMs`, 5 s by
 * default): the store did not answer it, or an earlier write it must follow had not answered yet.
 * The shard goes on; nothing is lost while it does, since the newest session is written once the
 * store answers again. Reported on the shard's `error` event; check the store's health and
 * connection.
 */
export class SessionWriteTimeoutError extends GatewayError {
  /**
   * @param operation - the store method the write comes down to
   * @param timeoutMs - the deadline it outlasted, in milliseconds
   * @param reachedStore - whether the store had been asked at all, or the write still waited behind an earlier one
   * @param shardId - whose session it is
   */
  public constructor(
    public readonly operation: SessionWriteOperation,
    public readonly timeoutMs: number,
    public readonly reachedStore: boolean,
    shardId: number,
  ) {
    super(
      reachedStore
        ? `the session store did not answer ${operation} within ${timeoutMs} ms; ` +
            'the newest session is written once it answers (check the store and its connection)'
        : `the session ${operation} could not start within ${timeoutMs} ms: an earlier write has not answered; ` +
            'the newest session is written once it does (check the store and its connection)',
      shardId,
    );
  }
}
