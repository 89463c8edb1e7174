import type { CloseCodeRule } from '../protocol/GatewayProtocol.js';
import { Backoff, DEFAULT_STABLE_AFTER_MS, type ReconnectBackoffOptions } from './Backoff.js';
import { ConnectionStability } from './ConnectionStability.js';
import { planRecovery, type AttemptEnd, type AttemptFacts, type Recovery } from './recovery.js';

/** Settings of a {@link ReconnectPlanner}. */
export interface ReconnectPlannerSettings {
  backoff: ReconnectBackoffOptions | undefined;
  /** Close-code rule lookup, overrides applied. */
  ruleFor: (code: number) => CloseCodeRule;
  /** Authentication failures in a row that make the shard give up. */
  maxAuthFailures: number;
  /** The bot's daily session start budget; sets the op 9 pause (see `invalidatedSessionPauseMs`). */
  sessionStartTotal?: number;
}

/**
 * The shard's memory across connection attempts: the back-off, whether the last connection proved
 * stable, and the failures in a row that turn a reconnect into giving up. It feeds the pure
 * {@link planRecovery} and turns each plan into a wait. Every `now` it is given is a reading of the
 * steady clock (`steadyNow` of `@bot/core`).
 */
export class ReconnectPlanner {
  readonly #backoff: Backoff;
  readonly #stability: ConnectionStability;
  readonly #ruleFor: (code: number) => CloseCodeRule;
  readonly #maxAuthFailures: number;
  readonly #sessionStartTotal: number | undefined;
  #reconnects = 0;
  #authFailures = 0;
  #identifyRefusals = 0;
  #identifyWindowRefusals = 0;
  #unansweredResumes = 0;
  #refreshedResumes = 0;
  /** Sessions op 9 ended soon after they started, since the last stable connection. */
  #invalidatedSessions = 0;
  /** Connections ended by a frame larger than `maxPayload`, since the last stable connection. */
  #oversizedFrames = 0;
  /** The current (or last) connection stayed ready for `stableAfterMs`. */
  #connectionProven = false;
  /**
   * How far the current connection got: READY or RESUMED, then a scheduled heartbeat acknowledged
   * after it.
   */
  #progress: 'connecting' | 'ready' | 'beating' = 'connecting';
  /** When the current connection reached READY or RESUMED, on the steady clock. */
  #readyAt = 0;
  /** The last connection that ended had reached `beating` and stayed ready for the back-off's base. */
  #connectionHealthy = false;
  #lastCloseCode: number | undefined;

  /** @param settings - back-off, close-code rules and the authentication failure limit */
  public constructor(settings: ReconnectPlannerSettings) {
    this.#backoff = new Backoff(settings.backoff);
    this.#stability = new ConnectionStability(settings.backoff?.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS);
    this.#ruleFor = settings.ruleFor;
    this.#maxAuthFailures = settings.maxAuthFailures;
    this.#sessionStartTotal = settings.sessionStartTotal;
  }

  /** Attempts counted by the back-off since it last started over. */
  public get attempt(): number {
    return this.#backoff.attempt;
  }

  /** Reconnects since the shard was made. */
  public get reconnects(): number {
    return this.#reconnects;
  }

  /** Code of the last close frame received. */
  public get lastCloseCode(): number | undefined {
    return this.#lastCloseCode;
  }

  /** The shard starts (again): a fresh back-off, and refusals of an earlier run forgotten. */
  public started(): void {
    this.#identifyRefusals = 0;
    this.#identifyWindowRefusals = 0;
    this.#unansweredResumes = 0;
    this.#refreshedResumes = 0;
    this.#invalidatedSessions = 0;
    this.#oversizedFrames = 0;
    this.#backoff.reset();
  }

  /** The user asked to reconnect now: the back-off starts over. */
  public hurry(): void {
    this.#backoff.reset();
  }

  /** A connection reached READY or RESUMED at `now`: failures in a row are over. */
  public ready(now: number): void {
    // The back-off starts over only once this connection proves stable, not at READY.
    this.#stability.ready(now);
    this.#connectionProven = false;
    this.#progress = 'ready';
    this.#readyAt = now;
    this.#authFailures = 0;
    this.#identifyRefusals = 0;
    this.#identifyWindowRefusals = 0;
    this.#unansweredResumes = 0;
    this.#refreshedResumes = 0;
  }

  /**
   * A heartbeat was acknowledged at `now`. One of the schedule's after READY or RESUMED makes the
   * connection healthy once it has also stayed ready for the back-off's base (see `planRecovery`);
   * one the server asked for with op 1 does not, since a server can ask for and acknowledge a beat
   * at any moment (it would let one that closes right after RESUMED skip the back-off). Either kind
   * lets a connection ready long enough reset the back-off and the loops counted across connections.
   *
   * @param now - steady clock reading
   * @param beat - `'asked'` for the answer to the server's op 1, `'scheduled'` otherwise
   */
  public alive(now: number, beat: 'scheduled' | 'asked' = 'scheduled'): void {
    if (this.#progress === 'ready' && beat === 'scheduled') this.#progress = 'beating';
    if (this.#stability.provenAt(now)) this.#proven();
  }

  /** An attempt ended at `now`, however it ended. */
  public ended(end: AttemptEnd, now: number): void {
    // The base as a floor: reconnecting at once after such connections is never faster than the
    // back-off's first wait, even against a server that acknowledges one beat and closes.
    this.#connectionHealthy = this.#progress === 'beating' && now - this.#readyAt >= this.#backoff.baseMs;
    this.#progress = 'connecting';
    if (this.#stability.ended(now)) this.#proven();
    if (end.reason === 'closed') this.#lastCloseCode = end.code;
  }

  /** A connection stayed ready for `stableAfterMs`: whatever went wrong before is over. */
  #proven(): void {
    this.#connectionProven = true;
    this.#backoff.reset();
    // Not at READY: a session ended right after it started must not clear the counts it adds to.
    this.#invalidatedSessions = 0;
    this.#oversizedFrames = 0;
  }

  /**
   * What to do after an attempt that the shard did not stop itself.
   *
   * @param end - how it ended
   * @param attempt - what it had done
   * @param hasSession - a session id is known
   * @param sendWindowResetMs - milliseconds until its outbound window resets
   * @param shardCount - the shard count the shard identifies with; lengthens the op 9 pause
   */
  public plan(
    end: Exclude<AttemptEnd, { reason: 'stopped' }>,
    attempt: AttemptFacts,
    hasSession: boolean,
    sendWindowResetMs: number,
    shardCount = 1,
  ): Recovery {
    return planRecovery({
      end,
      attempt,
      hasSession,
      ruleFor: this.#ruleFor,
      shardCount,
      ...(this.#sessionStartTotal === undefined ? {} : { sessionStartTotal: this.#sessionStartTotal }),
      authFailures: this.#authFailures,
      refreshedResumes: this.#refreshedResumes,
      maxAuthFailures: this.#maxAuthFailures,
      identifyRefusals: this.#identifyRefusals,
      identifyWindowRefusals: this.#identifyWindowRefusals,
      unansweredResumes: this.#unansweredResumes,
      invalidatedSessions: this.#invalidatedSessions,
      oversizedFrames: this.#oversizedFrames,
      connectionProven: this.#connectionProven,
      connectionHealthy: this.#connectionHealthy,
      sendWindowResetMs,
    });
  }

  /**
   * Counts a reconnect by `plan` and says how long to wait before it.
   *
   * @returns the wait in milliseconds: the back-off's, or the plan's minimum when longer
   */
  public delayFor(plan: Recovery & { action: 'reconnect' }): number {
    this.#reconnects++;
    if (plan.identifyRefused) this.#identifyRefusals++;
    if (plan.identifyWindowRefused === true) this.#identifyWindowRefusals++;
    if (plan.resumeUnanswered === true) this.#unansweredResumes++;
    if (plan.sessionInvalidated === true) this.#invalidatedSessions++;
    if (plan.oversizedFrame === true) this.#oversizedFrames++;
    // The resume with a fresh token is the first answer to a revoked token, not a failure yet.
    if (plan.refreshedResume === true) this.#refreshedResumes++;
    else if (plan.refreshToken) this.#authFailures++;
    if (plan.resetBackoff) this.#backoff.reset();
    return Math.max(this.#backoff.next(), plan.minDelayMs);
  }
}
