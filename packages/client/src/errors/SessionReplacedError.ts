import { GatewayError } from '@bot/gateway';

/**
 * Why the session ended, from the reason of the shard's `close` event (or the client's own), in a
 * sentence that ends with what to do about it. Ordered: a reason may name several things (an op 9
 * that answered a resume with a fresh token names both).
 */
const CAUSES: readonly (readonly [RegExp, string])[] = [
  [
    /new session answered the resume/,
    'The platform answered the resume with a new session; reconcile from its API if those events matter',
  ],
  [
    /4004|authentication failed/,
    'The platform refused the access token, a freshly fetched one too (revoked, or the credentials ' +
      "changed); reconcile from the platform's API if those events matter, and check the bot's " +
      'credentials if this repeats',
  ],
  [
    /soon after the session started/,
    "The platform ended the session right after it started (an incident, or the bot's standing); " +
      "reconcile from the platform's API if those events matter",
  ],
  [
    /reset by resume|4902/,
    'Another connection resumed this session, likely a second process running this shard; run each ' +
      "shard in one process, and reconcile from the platform's API if those events matter",
  ],
  [
    /no answer to Resume/,
    "The platform did not answer the resume; reconcile from the platform's API if those events matter",
  ],
  [
    /maxPayload/,
    "A frame larger than maxPayload ended the connection again; raise maxPayload, and reconcile from the platform's API",
  ],
  [
    /op 9|4006/,
    'The session was likely gone because the process or its connection was away longer than the ' +
      "platform keeps a session resumable; reconcile from the platform's API if those events matter, " +
      'and restart sooner (stop with client.shutdown()) to keep the gap short',
  ],
];

/** The sentence for {@link CAUSES} that fits `why`, or a plain one. */
function causeOf(why: string): string {
  const found = CAUSES.find(([pattern]) => pattern.test(why));
  return found?.[1] ?? "The resume failed; reconcile from the platform's API if those events matter";
}

/**
 * A shard could not go on with its session and identifies a new one: the platform refused to
 * resume it (op 9, the session is gone) or the shard gave up resuming it. The platform replays
 * missed events only to a resume of the same session, so what it sent the old session after `seq`
 * and this process had not received never reaches a handler; how many is not known here.
 *
 * The message says why the session ended, from `why`: the process away longer than the platform
 * keeps a session resumable (op 9 on resume; not documented, the emulator keeps 5 min), a token
 * refused even when fresh (4004), a second process resuming the session (4902), and others.
 * Reconcile from the platform's API if those events matter. Still a `GatewayError` (`kind`
 * `'gateway'`, `shardId`).
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
        `handler. ${causeOf(why)}`,
      shardId,
    );
  }
}
