import { messageOf, msUntil, sleepUnlessAborted, steadyNow } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { ReadingPause } from './ReadingPause.js';
import type { ReconnectLog } from './ReconnectLog.js';
import type { ReconnectPlanner } from './ReconnectPlanner.js';
import type { Recovery } from './recovery.js';
import { RESUMABLE_CLOSE_CODE } from './closePolicy.js';
import { SessionAttempt, type AttemptEvents, type AttemptSetup, type AttemptStep } from './SessionAttempt.js';
import type { SessionPosition } from './SessionPosition.js';
import type { ShardNotifier } from './ShardNotifier.js';
import type { IdentifyPause, ShardCloseEvent, ShardCloseSession, ShardState } from './ShardState.js';
import { STORE_CALLS, type StoreDeadline } from './StoreDeadline.js';
import type { TokenSource } from './TokenSource.js';

/** How a report of a session a stop could not end on the platform opens, and how it ends. */
const COULD_NOT_END = 'could not end the session on the platform';
const STAYS = '; it stays resumable there until it expires';
const LONGER_GRACE = ' (give close() a longer graceMs)';

/** A request to stop, from `Shard.close`. */
export interface StopRequest {
  invalidateSession: boolean;
  /** When the closing handshake and the session write must be over, on the steady clock. */
  deadline: number;
}

/**
 * Why a {@link ShardLoop} ended: the user stopped it, or a plan said to give up. A stop that ends
 * the session on the platform through a connection of its own (see `Shard.close`) carries that
 * work as `platformEnd`, under way: the store forgets the session meanwhile, within the same grace.
 */
export type LoopEnd =
  | { reason: 'stopped'; stop: StopRequest; platformEnd?: Promise<void> }
  | { reason: 'fatal'; plan: Recovery & { action: 'fatal' }; code: number | undefined };

/**
 * The session `position` holds, as a `close` event names it, or `undefined` when there is none.
 * Read before the session is forgotten (op 9), so the event still names what ended.
 */
export function closedSession(position: SessionPosition): ShardCloseSession | undefined {
  const session = position.session;
  return session === undefined ? undefined : { sessionId: session.sessionId, seq: position.seq };
}

/** The parts of its shard a loop works with. */
export interface LoopParts {
  readonly setup: AttemptSetup;
  readonly events: AttemptEvents;
  readonly planner: ReconnectPlanner;
  readonly position: SessionPosition;
  readonly reading: ReadingPause;
  readonly tokens: TokenSource;
  readonly notify: ShardNotifier;
  readonly reconnectLog: ReconnectLog;
  /** Bounds every wait on the session store. */
  readonly storeDeadline: StoreDeadline;
  /** Moves the shard to `state`. */
  setState(state: ShardState): void;
}

/**
 * One run of a shard, from `start` to its stop or fatal end: connection attempts one after the
 * other, each followed by the planner's verdict, the back-off wait and the session bookkeeping
 * the verdict asks for.
 */
export class ShardLoop {
  readonly #parts: LoopParts;
  #attempt: SessionAttempt | undefined;
  #stop: StopRequest | undefined;
  #wake: AbortController | undefined;
  /** The stored session is being read: a restart must not cut that short (the shard would identify). */
  #loading = false;
  /**
   * A restart came between attempts with no wait yet to cut short (from a listener of the report
   * or `close` event of the attempt that ended, whose wait is already planned): the next wait is
   * skipped, or, when that attempt's plan is fatal, the shard starts again (see
   * {@link ShardLoop.restartOwed}).
   */
  #hurried = false;
  /** {@link ShardLoop.run} has returned. */
  #done = false;
  /** The long pause before the next Identify, while the loop waits it out. */
  #identifyPause: IdentifyPause | undefined;
  /**
   * The shard itself left the session without a connection while the platform keeps it: a restart
   * dropped the connection serving it (closed with 4000) or cut short the wait for one, or a stop
   * that did not invalidate closed it with 4000; and no connection has served it since. A stop
   * that invalidates the session then has no socket of it to close with 1000, and ends it on the
   * platform by resuming it first (see `#endSessionOnPlatform`).
   */
  #sessionLeftOpen = false;
  /** The loop has read its stop for the last time: a later change to it comes too late. */
  #stopFinal = false;
  /** A request to invalidate that came after {@link ShardLoop.#stopFinal} was reported. */
  #lateReported = false;

  /** @param parts - the shard's parts */
  public constructor(parts: LoopParts) {
    this.#parts = parts;
  }

  /** The attempt running now, if one is. */
  public get attempt(): SessionAttempt | undefined {
    return this.#attempt;
  }

  /** The long pause the loop waits out before its next Identify, if it is in one (see `ShardStatus.identifyPause`). */
  public get identifyPause(): IdentifyPause | undefined {
    return this.#identifyPause;
  }

  /**
   * Ends the run at the next opportunity: a wait is cut short, a running attempt closed. A request
   * that invalidates the session, coming while one that does not is under way, upgrades it (with
   * the later of the two deadlines) until the loop has read its stop for the last time; past that
   * it is reported as too late, once per run. Other later requests change nothing.
   */
  public stop(request: StopRequest): void {
    const current = this.#stop;
    if (current === undefined) this.#stop = request;
    else if (request.invalidateSession && !current.invalidateSession) this.#upgrade(current, request);
    this.#identifyPause = undefined;
    this.#wake?.abort();
    this.#attempt?.finish({ reason: 'stopped' });
  }

  /** A stop that invalidates the session came while `current`, which does not, was under way. */
  #upgrade(current: StopRequest, request: StopRequest): void {
    if (this.#stopFinal) {
      // Once: the report reaches `error` listeners inside close(), and one that closes with
      // invalidateSession again would otherwise be told again, without end.
      if (this.#lateReported) return;
      this.#lateReported = true;
      const { notify, setup } = this.#parts;
      notify.report(
        new GatewayError(
          'close({ invalidateSession: true }) came after a close() without it had already closed the socket with 4000 and was writing the session to the store; the store forgets the session once that write ends, and the platform keeps it resumable until it expires there (close with invalidateSession first to end it on the platform)',
          setup.introduction.shardId,
        ),
      );
      return;
    }
    this.#stop = { invalidateSession: true, deadline: Math.max(current.deadline, request.deadline) };
  }

  /**
   * Drops the current connection and resumes at once, or cuts a back-off wait short (the op 9
   * pause included). One that comes as an attempt has just ended, before the next is planned,
   * skips the next wait. Does nothing once the loop is stopping: the stop wins.
   */
  public restart(): void {
    if (this.#stop !== undefined) return;
    this.#sessionLeftOpen = true;
    const attempt = this.#attempt;
    if (attempt !== undefined && !attempt.over) {
      // The loop closes the socket once the attempt is over: a stop that comes before then
      // closes it with its own code (1000 for a close that invalidates the session), not 4000.
      attempt.finish({ reason: 'restart' });
      return;
    }
    this.#parts.planner.hurry();
    this.#identifyPause = undefined;
    // Reading the stored session, there is no wait to cut short: the connection follows at once.
    if (this.#loading) return;
    this.#hurried = true;
    this.#wake?.abort();
  }

  /** Whether {@link ShardLoop.run} has ended: a restart no longer reaches it. */
  public get done(): boolean {
    return this.#done;
  }

  /**
   * Whether the run ended fatal with a restart still owed: one came as the last attempt ended,
   * before its plan, with no wait left to skip. Its shard starts again; a stop since then wins.
   */
  public get restartOwed(): boolean {
    return this.#done && this.#hurried && this.#stop === undefined;
  }

  /** Connects, and reconnects, until stopped or told to give up. */
  public async run(): Promise<LoopEnd> {
    try {
      return await this.#run();
    } finally {
      this.#done = true;
    }
  }

  async #run(): Promise<LoopEnd> {
    const { setup, events, planner, position, reading, notify, reconnectLog } = this.#parts;
    let mode = await this.#initialMode();
    let delayMs = 0;
    while (this.#stop === undefined) {
      if (delayMs > 0 || reading.paused) {
        await this.#waitToConnect(delayMs);
        if (this.#stop !== undefined) break;
      }
      this.#parts.setState('connecting');
      // A 'connecting' listener may have closed the shard a moment ago: there is nothing to stop yet.
      if (this.#stop !== undefined) break;
      // This attempt is the one a restart asked for: a later wait is not cut short by it.
      this.#hurried = false;
      const attempt = new SessionAttempt(setup, events, mode);
      this.#attempt = attempt;
      // A 'connecting' listener may have paused the shard a moment ago.
      if (reading.paused) attempt.pause();
      const end = await attempt.ended;
      this.#attempt = undefined;
      planner.ended(end, steadyNow());
      // A stop that raced a restart wins: the restart left the socket open for it to close.
      if (end.reason === 'stopped' || (end.reason === 'restart' && this.#stop !== undefined)) {
        // The stop's own code reaches the session through this socket; 4000 leaves it open there.
        if (attempt.reachedReady) this.#sessionLeftOpen = false;
        const code = await this.#closeConnection(attempt);
        if (attempt.reachedReady && code === RESUMABLE_CLOSE_CODE) this.#sessionLeftOpen = true;
        break;
      }
      // Lost otherwise than by a restart, the session is in the ordinary gap between connections.
      if (attempt.reachedReady && end.reason !== 'restart') this.#sessionLeftOpen = false;
      if (end.reason === 'restart') void attempt.close(RESUMABLE_CLOSE_CODE, setup.closeGraceMs);
      const plan = planner.plan(
        end,
        attempt,
        position.resumable,
        attempt.msUntilSendWindowReset(),
        setup.introduction.shardCount,
      );
      const code = end.reason === 'closed' ? end.code : undefined;
      if (plan.action === 'fatal') return { reason: 'fatal', plan, code };
      if (plan.report !== undefined) notify.report(plan.report(setup.introduction.shardId));
      const session = closedSession(position);
      delayMs = await this.#prepareReconnect(plan, attempt);
      mode = plan.mode;
      // Before the close event and the `reconnecting` state: their listeners read it in the status.
      if (plan.identifyPause !== undefined && this.#stop === undefined && !this.#hurried) {
        this.#identifyPause = { ...plan.identifyPause, ms: delayMs, until: Date.now() + delayMs };
      }
      const connectError = end.reason === 'closed' ? end.connectError : undefined;
      const closed: ShardCloseEvent = { code, reason: plan.why, next: plan.mode, delayMs };
      if (connectError !== undefined) closed.connectError = connectError;
      if (session !== undefined) closed.session = session;
      if (plan.mode === 'identify') closed.ending = plan.ending ?? 'other';
      notify.emit('close', closed);
      const lost = { why: plan.why, next: plan.mode, delayMs, wasReady: attempt.reachedReady };
      reconnectLog.lost(lost, steadyNow());
      if (this.#stop === undefined) this.#parts.setState('reconnecting');
    }
    const stop = this.#stop ?? { invalidateSession: false, deadline: steadyNow() + setup.closeGraceMs };
    this.#stopFinal = true;
    const held = stop.invalidateSession && this.#sessionLeftOpen ? position.detached() : undefined;
    if (held === undefined) return { reason: 'stopped', stop };
    // Taken before the shard forgets the session in the store, which it does meanwhile: the
    // store's delete must not wait behind a Resume the platform may never answer.
    const platformEnd = this.#endSessionOnPlatform(held, stop.deadline).catch((error: unknown) =>
      notify.report(
        new GatewayError(`${COULD_NOT_END}: ${messageOf(error)}${STAYS}`, setup.introduction.shardId, {
          cause: error,
        }),
      ),
    );
    return { reason: 'stopped', stop, platformEnd };
  }

  /**
   * Ends on the platform the session the shard left without a connection: resumes it on a
   * connection of its own, taking none of its events, and closes that with 1000 once the platform
   * answers, all before `deadline`. The platform ends a session only through a socket it serves
   * on; closing one that has not resumed it ends nothing. Reports when the session could not be
   * reached: it then stays resumable there until it expires. Never rejects.
   *
   * @param held - a detached copy of the session's position: nothing this connection reads (a
   *   replay, a READY) reaches the shard's position or the store
   */
  async #endSessionOnPlatform(held: SessionPosition, deadline: number): Promise<void> {
    const { setup, notify } = this.#parts;
    const shardId = setup.introduction.shardId;
    const graceMs = msUntil(deadline);
    if (graceMs <= 0) {
      notify.report(
        new GatewayError(
          `${COULD_NOT_END}: no time left of the close's grace${STAYS}${LONGER_GRACE}`,
          shardId,
        ),
      );
      return;
    }
    let attempt: SessionAttempt | undefined = undefined;
    let answer: AttemptStep | undefined;
    const quit = (): void => attempt?.finish({ reason: 'stopped' });
    const events: AttemptEvents = {
      // Any step past the Resume is the answer, or (an Identify) one this connection must not
      // take: it would spend a session start on a shard that is closing.
      progress: (step) => {
        if (step === 'resuming') return;
        answer = step;
        quit();
      },
      dispatch: () => undefined,
      heartbeat: () => undefined,
      debug: (message) => notify.debug(message),
      // What went wrong on the way is in the one report below.
      report: (error) => notify.debug(error.message),
    };
    notify.debug('resuming the session the shard left open on the platform, to end it with 1000');
    attempt = new SessionAttempt({ ...setup, position: held }, events, 'resume');
    const timer = setTimeout(quit, graceMs);
    const end = await attempt.ended;
    clearTimeout(timer);
    await attempt.close(1000, msUntil(deadline));
    if (answer === 'resumed') {
      notify.debug('ended the session on the platform');
      return;
    }
    if (answer === 'identified') {
      // The platform no longer had the session; the one it started in its place is ended too.
      notify.debug('the platform answered the Resume with READY: the session had ended there');
      return;
    }
    // op 9 saying the session cannot be resumed: the platform has no such session to end.
    if (end.reason === 'invalidSession' && !end.resumable) return;
    const how =
      end.reason === 'closed'
        ? `the connection closed with ${end.code}${end.connectError === undefined ? '' : ` (${end.connectError})`}`
        : end.reason === 'stopped'
          ? `no RESUMED within ${graceMs} ms`
          : end.reason === 'invalidSession'
            ? 'op 9 (Invalid Session) saying it may be resumed later'
            : `the attempt ended (${end.reason})`;
    // A longer grace helps a slow answer, not the platform's refusal to resume now.
    const remedy = end.reason === 'invalidSession' ? '' : LONGER_GRACE;
    notify.report(
      new GatewayError(
        `${COULD_NOT_END}: resuming it to close it with 1000 got ${how}${STAYS}${remedy}`,
        shardId,
      ),
    );
  }

  async #initialMode(): Promise<'resume' | 'identify'> {
    const { position, notify, setup, storeDeadline } = this.#parts;
    // Set before the store is called: a close() right after start() must cut this wait short.
    const wake = (this.#wake = new AbortController());
    this.#loading = true;
    try {
      const loaded = await storeDeadline.wait(STORE_CALLS.load, (abandoned) => position.load(abandoned), {
        stop: wake.signal,
      });
      const stored = loaded?.value;
      if (stored !== undefined) {
        notify.debug(`found a stored session (seq ${stored.seq}); resuming`);
        return 'resume';
      }
    } catch (error) {
      notify.report(
        new GatewayError('could not read the stored session; identifying', setup.introduction.shardId, {
          cause: error,
        }),
      );
    } finally {
      this.#wake = undefined;
      this.#loading = false;
    }
    return 'identify';
  }

  /**
   * The back-off delay, then for as long as reading is paused; both cut short by a stop, the delay
   * also by a restart (skipped when one came before it began).
   */
  async #waitToConnect(delayMs: number): Promise<void> {
    const { reading, notify } = this.#parts;
    this.#wake = new AbortController();
    if (!this.#hurried) await sleepUnlessAborted(delayMs, this.#wake.signal);
    this.#hurried = false;
    // The pause is over: a wait for reading to resume holds the connection, not the Identify.
    this.#identifyPause = undefined;
    while (reading.paused && this.#stop === undefined) {
      notify.debug('reading paused; connecting once resumed');
      this.#wake = new AbortController();
      await reading.whenResumed(this.#wake.signal);
    }
    this.#wake = undefined;
  }

  /** Counts the reconnect and does the bookkeeping `plan` asks for; returns the wait before it. */
  async #prepareReconnect(
    plan: Recovery & { action: 'reconnect' },
    attempt: SessionAttempt,
  ): Promise<number> {
    const { planner, position, tokens, storeDeadline } = this.#parts;
    const delayMs = planner.delayFor(plan);
    if (plan.refreshToken && attempt.token !== undefined) tokens.invalidate(attempt.token);
    if (plan.dropSession && position.resumable) {
      const wake = (this.#wake = new AbortController());
      // A stop that came as the attempt ended found nothing to wake: the session is dropped all the same.
      if (this.#stop !== undefined) wake.abort();
      await storeDeadline.wait(STORE_CALLS.forget, () => position.clear(), { stop: wake.signal });
      this.#wake = undefined;
    }
    return delayMs;
  }

  /** Closes the stopped attempt's socket with the stop's code, and returns that code. */
  async #closeConnection(attempt: SessionAttempt): Promise<number> {
    const stop = this.#stop;
    const code = stop?.invalidateSession ? 1000 : RESUMABLE_CLOSE_CODE;
    await attempt.close(code, stop === undefined ? 0 : msUntil(stop.deadline));
    return code;
  }
}
