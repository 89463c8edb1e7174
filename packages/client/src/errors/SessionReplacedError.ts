import { GatewayError, type ShardCloseEvent } from '@bot/gateway';

/**
 * How the session ended, as the shard's `close` event says it (`ending`, `code`), or
 * `'newSession'`: a READY with a new session answered the resume (the client sees that itself).
 */
export interface SessionReplacedCause {
  /** The `close` event's `ending`, or `'newSession'`; absent when the shard did not say. */
  readonly ending?: NonNullable<ShardCloseEvent['ending']> | 'newSession' | undefined;
  /** The close code that ended the connection, if any. */
  readonly code?: number | undefined;
}

const RECONCILE = "reconcile from the platform's API if those events matter";

/** The session expired on the platform while the process or its connection was away. */
const AWAY =
  'The session was likely gone because the process or its connection was away longer than the ' +
  `platform keeps a session resumable; ${RECONCILE}, and restart sooner (stop with client.shutdown()) ` +
  'to keep the gap short';

/**
 * The sentence that says why the session ended and what to do, chosen from the structured cause,
 * never from the reason text: a number in it (a timeout of 40040 ms) is no close code.
 */
function causeOf(cause: SessionReplacedCause): string {
  switch (cause.ending) {
    case 'newSession':
      return `The platform answered the resume with a new session; ${RECONCILE}`;
    case 'tokenRefused':
      return (
        'The platform refused the access token, a freshly fetched one too (revoked, or the credentials ' +
        `changed); ${RECONCILE}, and check the bot's credentials if this repeats`
      );
    case 'refreshedResumeInvalidated':
      return (
        'The platform refused the access token (4004), and the resume with a freshly fetched one was ' +
        `answered with op 9: the session did not outlive the revoked token; ${RECONCILE}, and check ` +
        "the bot's credentials if tokens keep being revoked"
      );
    case 'invalidSessionSoon':
      return `The platform ended the session right after it started (an incident, or the bot's standing); ${RECONCILE}`;
    case 'resumeUnanswered':
      return `The platform did not answer the resume; ${RECONCILE}`;
    case 'resumeFailed':
      return `The connection ended before the platform answered the resume; ${RECONCILE}`;
    case 'oversizedFrame':
      return `A frame larger than maxPayload ended the connection again; raise maxPayload, and ${RECONCILE}`;
    case 'invalidSession':
      return AWAY;
    case 'closed':
      if (cause.code === 4902) {
        return (
          'Another connection resumed this session (4902), likely a second process running this shard; ' +
          `run each shard in one process, and ${RECONCILE}`
        );
      }
      if (cause.code === 4006) return AWAY;
      break;
  }
  return `The resume failed; ${RECONCILE}`;
}

/**
 * A shard could not go on with its session and identifies a new one: the platform refused to
 * resume it (op 9, the session is gone) or the shard gave up resuming it. The platform replays
 * missed events only to a resume of the same session, so what it sent the old session after `seq`
 * and this process had not received never reaches a handler; how many is not known here.
 *
 * The message quotes `why` and says why the session ended from the structured `how` (the close
 * event's `ending` and `code`), never from the text: the process away longer than the platform
 * keeps a session resumable (op 9 on resume; not documented, the emulator keeps 5 min), a token
 * refused even when fresh (4004), a resume with a fresh token answered with op 9, a second process
 * resuming the session (4902), and others; without it, a plain sentence. Reconcile from the
 * platform's API if those events matter. Still a `GatewayError` (`kind` `'gateway'`, `shardId`).
 */
export class SessionReplacedError extends GatewayError {
  /** How the session ended, as the `close` event said it; `undefined` when it did not say. */
  public readonly ending: SessionReplacedCause['ending'];
  /** The close code that ended the connection, if any. */
  public readonly closeCode: number | undefined;

  /**
   * @param shardId - the shard
   * @param sessionId - the session that ended
   * @param seq - the last seq of it this process received (or resumed from), `null` before any
   * @param why - why it ended, as the shard's `close` event says (`invalid session (op 9)`)
   * @param how - how it ended, as the `close` event says it (the event itself will do)
   */
  public constructor(
    shardId: number,
    public readonly sessionId: string,
    public readonly seq: number | null,
    public readonly why: string,
    how: SessionReplacedCause = {},
  ) {
    const after = seq === null ? 'since it started' : `after seq ${seq}`;
    super(
      `session ${sessionId} could not be resumed (${why}), so the shard identifies a new session. ` +
        `Events the platform sent that session ${after} and this process had not received are lost: ` +
        'the platform replays them only to a resume of the same session, and they will not reach a ' +
        `handler. ${causeOf(how)}`,
      shardId,
    );
    this.ending = how.ending;
    this.closeCode = how.code;
  }
}
