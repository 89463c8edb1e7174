import { GatewayError } from '../errors/GatewayError.js';

/**
 * The session store gave back a session a shard cannot resume with: a field missing, or of the
 * wrong type (numbers stored as text, say). The shard identifies instead, and the next READY
 * writes a well-formed session over it. A store must give back what it was given: check how it
 * stores `seq` and `shardCount`.
 */
export class StoredSessionMalformedError extends GatewayError {
  /**
   * @param problem - what is wrong with it, naming the field
   * @param shardId - whose session it is
   */
  public constructor(
    public readonly problem: string,
    shardId: number,
  ) {
    super(
      `the session store gave back a malformed session (${problem}); a store must give back the ` +
        'session as it was given, numbers as numbers',
      shardId,
    );
  }
}
