import { GatewayError } from '@bot/gateway';

/**
 * A shard could not go on with its session and identifies a new one: the platform refused to
 * resume it (op 9, the session is gone) or the shard gave up resuming it. The platform replays
 * missed events only to a resume of the same session, so what it sent the old session after `seq`
 * and this process had not received never reaches a handler; how many is not known here.
 *
 * Typical cause: the process (or its connection) was away longer than the platform keeps a session
 * resumable (not documented; the emulator keeps 5 min). Reconcile from the platform's API if those
 * events matter; restarting sooner, and stopping with `client.shutdown()`, keeps the gap short.
 * Still a `GatewayError` (`kind` `'gateway'`, `shardId`).
 */
export class SessionReplacedError extends GatewayError {
  /**
   * @param shardId - the shard
   * @param sessionId - the session that ended
   * @param seq - the last seq of it this process received (or resumed from), `null` before any
   * @param why - why it ended, as the shard's `close` event says (`invalid session (op 9)`)
   */
  public constructor(
    shardId: number,
    public readonly sessionId: string,
    public readonly seq: number | null,
    public readonly why: string,
  ) {
    const after = seq === null ? 'since it started' : `after seq ${seq}`;
    super(
      `session ${sessionId} could not be resumed (${why}), so the shard identifies a new session. ` +
        `Events the platform sent that session ${after} and this process had not received are lost: ` +
        'the platform replays them only to a resume of the same session, and they will not reach a ' +
        'handler. The session was likely gone because the process or its connection was away longer ' +
        "than the platform keeps a session resumable; reconcile from the platform's API if those " +
        'events matter, and restart sooner (stop with client.shutdown()) to keep the gap short',
      shardId,
    );
  }
}
