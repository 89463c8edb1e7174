import { steadyNow, ValidationError } from '@bot/core';
import {
  ACCESS_TOKEN_ROUTE,
  ApiError,
  AuthenticationError,
  FileImageTooLargeError,
  NetworkError,
  RateLimitedError,
  RichContentFallbackError,
  TimeoutError,
} from '@bot/http';
import { ReplyAlreadySentError } from '../../errors/ReplyAlreadySentError.js';
import { REPLY_RULES, WINDOW_CLOSED_CODES, type ReplyScene, type ReplyWindowPolicy } from './replyRules.js';
import { ReplyWindowClosedError, type ReplyWindowClosedReason } from './ReplyWindowClosedError.js';

/**
 * When a message arrived, read on both clocks in the same instant (`arrivalTime` and
 * `steadyArrivalTime` of the client's models).
 */
export interface ArrivalStamps {
  /** On the wall clock, in ms since the epoch. */
  readonly wall: number;
  /** On the steady clock (`steadyNow` of core), in ms. */
  readonly steady: number;
}

/**
 * The passive-reply window of one inbound message (docs/protocol.md §8.2, §15.2): until when it
 * can be replied to, and how many replies are left. The window opens when the client receives the
 * message, never earlier than the platform's own clock started it; the platform stays the
 * authority, and a refusal from it closes the window here too.
 *
 * The window is the platform's, counted from the message's own time, and neither local clock reads
 * that time for sure once the wall clock is stepped: a clock behind at the arrival and stepped
 * forward later ends the window early on the wall clock; one ahead and stepped back ends it early
 * on the steady clock, which carries the age the message had at its arrival. So a reply is refused
 * here as expired only when both clocks say the window has passed: the wall clock (`expiresAt`)
 * and the steady clock (the window's length since it opened, counted from the arrival). A local
 * refusal that comes late costs at most one request the platform refuses, which then closes the
 * window; an early one would lose a reply the platform accepts. Time the machine spent suspended
 * counts on the wall clock only, so after a suspend the platform's refusal is what closes it.
 */
export class ReplyWindow {
  /** When the window opened, on the wall clock: the arrival, or the platform's stamp when earlier. */
  public readonly openedAt: Date;
  /**
   * When the window ends on the wall clock as it read at the arrival. After the wall clock was
   * stepped forward the window stays open past it until its length has passed on the steady clock
   * too ({@link ReplyWindow.timeLeft} says how long).
   */
  public readonly expiresAt: Date;
  /** Replies accepted per message, or `undefined` where the platform documents no count. */
  public readonly limit: number | undefined;
  /** When the window ends on the steady clock: as long after the arrival as `expiresAt` was. */
  readonly #steadyExpiresAt: number;
  #used = 0;
  #closedByPlatform: ReplyWindowClosedReason | undefined;
  /** When the platform's refusal closed the window, on the wall clock. */
  #refusedAt: Date | undefined;

  /**
   * Opens the window of one message at `openedAt`.
   *
   * @param scene - where the message was received (its rules come from {@link REPLY_RULES})
   * @param messageId - the message's id, named in errors
   * @param openedAt - when it opened, in ms since the epoch (now by default): the arrival, or
   *   earlier (`replyWindowOpenedAt`)
   * @param arrival - when the message arrived on both clocks (now by default); the window's end on
   *   the steady clock is as far from the steady arrival as its end on the wall clock is from the
   *   wall arrival
   */
  public constructor(
    public readonly scene: ReplyScene,
    public readonly messageId: string,
    openedAt: number = Date.now(),
    arrival: ArrivalStamps = { wall: Date.now(), steady: steadyNow() },
  ) {
    const rule = REPLY_RULES[scene];
    this.openedAt = new Date(openedAt);
    this.expiresAt = new Date(openedAt + rule.windowMs);
    this.#steadyExpiresAt = arrival.steady + (this.expiresAt.getTime() - arrival.wall);
    this.limit = rule.maxReplies;
  }

  /**
   * Replies sent or in flight through this client (a stream counts once), and numbers the
   * platform refused as used by another process (`ReplyAlreadySentError`): each holds a reply the
   * platform counts. With the numbering `'skipTaken'` a number taken elsewhere is skipped without
   * that error and not counted here: only the bot's own replies are, and the platform's refusal
   * as used up closes the window.
   */
  public get used(): number {
    return this.#used;
  }

  /** Replies left, or `undefined` where the platform documents no count (guild scenes). */
  public get remaining(): number | undefined {
    if (this.#closedByPlatform === 'exhausted') return 0;
    return this.limit === undefined ? undefined : Math.max(0, this.limit - this.#used);
  }

  /**
   * Why no reply would be accepted now, or `undefined` while one would: `'expired'` once both
   * clocks say the window has passed.
   *
   * @param now - the wall clock's reading (now by default)
   * @param steady - the steady clock's reading (`steadyNow()` of core, now by default)
   */
  public closedReason(
    now: number = Date.now(),
    steady: number = steadyNow(),
  ): ReplyWindowClosedReason | undefined {
    if (this.#closedByPlatform) return this.#closedByPlatform;
    if (this.timeLeft(now, steady) === 0) return 'expired';
    return this.remaining === 0 ? 'exhausted' : undefined;
  }

  /**
   * Whether a reply would be accepted now.
   *
   * @param now - the wall clock's reading (now by default)
   * @param steady - the steady clock's reading (now by default)
   */
  public isOpen(now: number = Date.now(), steady: number = steadyNow()): boolean {
    return this.closedReason(now, steady) === undefined;
  }

  /**
   * Milliseconds until the window closes here (0 once it has): until the later of its end on the
   * wall clock and its end on the steady clock.
   *
   * @param now - the wall clock's reading (now by default)
   * @param steady - the steady clock's reading (now by default)
   */
  public timeLeft(now: number = Date.now(), steady: number = steadyNow()): number {
    return Math.max(0, this.expiresAt.getTime() - now, Math.ceil(this.#steadyExpiresAt - steady));
  }

  /**
   * Throws a {@link ReplyWindowClosedError} when the window is closed and `policy` enforces it.
   *
   * @param policy - `'ignore'` never throws
   * @param alreadyCounted - the reply checked is already counted (a stream's first frame), so the
   *   local count reaching the limit does not refuse it
   */
  public check(policy: ReplyWindowPolicy, alreadyCounted = false): void {
    if (policy !== 'enforce') return;
    const reason = this.closedReason();
    const countedSelf = alreadyCounted && reason === 'exhausted' && this.#closedByPlatform === undefined;
    if (reason && !countedSelf)
      throw new ReplyWindowClosedError(
        this.scene,
        this.messageId,
        reason,
        this.expiresAt,
        this.limit,
        this.#closedByPlatform === undefined ? undefined : this.#refusedAt,
      );
  }

  /**
   * Throws a {@link ReplyWindowClosedError} (`'expired'`) when the window has passed, on both
   * clocks or by the platform's refusal, and `policy` enforces it. Used-up replies pass: this is
   * the check of a request that quotes the message without being a reply (a C2C typing notice).
   * A window the platform closed as used up is still judged on the clocks.
   *
   * @param policy - `'ignore'` never throws
   */
  public checkExpired(policy: ReplyWindowPolicy): void {
    if (policy !== 'enforce') return;
    const refused = this.#closedByPlatform === 'expired';
    if (!refused && this.timeLeft() > 0) return;
    throw new ReplyWindowClosedError(
      this.scene,
      this.messageId,
      'expired',
      this.expiresAt,
      this.limit,
      refused ? this.#refusedAt : undefined,
    );
  }

  /**
   * Counts one reply in flight. Call {@link ReplyWindow.settle} when it is over.
   *
   * @param policy - whether a closed window throws first
   */
  public reserve(policy: ReplyWindowPolicy): void {
    this.check(policy);
    this.#used += 1;
  }

  /** Gives back a reserved reply that sent nothing (a stream ended without text). */
  public release(): void {
    this.#used = Math.max(0, this.#used - 1);
  }

  /**
   * Ends a reserved reply: a failure that certainly sent nothing (see {@link certainlyNotSent})
   * gives the reply back, and a refusal saying the window is closed (§15.2) closes it here too
   * ({@link ReplyWindow.noteRefusal}). Every other failure keeps the count: a timeout, a 5xx or a
   * connection lost after the request left may have been delivered (and so may a call whose
   * re-send then failed), and a `DuplicateSendError` most probably was. A `ReplyAlreadySentError`
   * keeps the count too: this call sent nothing, but the number it was refused holds a reply
   * another process sent to the message, which the platform counts against the same limit.
   *
   * @param error - why the reply failed; omitted when it was sent
   */
  public settle(error?: unknown): void {
    if (error === undefined) return;
    this.noteRefusal(error);
    if (error instanceof ReplyAlreadySentError) return;
    if (certainlyNotSent(error)) this.release();
  }

  /**
   * Closes the window when `error` is the platform saying it is closed (a code of §15.2: expired,
   * `msg_id` invalid, replies used up), whatever the request was: a reply, a later frame of a
   * stream, a typing notice. The count is left as it is. Anything else is ignored.
   *
   * @param error - a failure of a request quoting this window's message
   */
  public noteRefusal(error: unknown): void {
    if (this.#closedByPlatform !== undefined || !(error instanceof ApiError)) return;
    const reason = WINDOW_CLOSED_CODES.get(error.code);
    if (reason === undefined) return;
    this.#closedByPlatform = reason;
    this.#refusedAt = new Date();
  }

  /**
   * Sends one reply within the window: checks it (unless `policy` is `'ignore'`), counts it, and
   * settles the count with the outcome.
   *
   * @param policy - `'enforce'` refuses a closed window with a {@link ReplyWindowClosedError}
   * @param send - the request
   */
  public async run<T>(policy: ReplyWindowPolicy, send: () => Promise<T>): Promise<T> {
    this.reserve(policy);
    try {
      const result = await send();
      this.settle();
      return result;
    } catch (error) {
      this.settle(error);
      throw error;
    }
  }

  /** What the window says, for logging and `JSON.stringify`. */
  public toJSON(): Record<string, unknown> {
    return {
      scene: this.scene,
      openedAt: this.openedAt,
      expiresAt: this.expiresAt,
      limit: this.limit,
      remaining: this.remaining,
      open: this.isOpen(),
    };
  }
}

/**
 * Whether a failed reply certainly reached no user: the platform refused it (a 4xx answer, a 401,
 * a rate limit given up on), it was invalid before sending, or the network failed or the time ran
 * out before the request left the machine (§15.2), or its `msg_seq` was refused as another
 * process's (`ReplyAlreadySentError`). A refusal or a network failure of a re-send is no such
 * certainty when an earlier attempt of the call may have landed (`mayHaveBeenSent`: a 5xx, a
 * timeout or a connection lost after sending came first).
 *
 * @param error - why the reply failed
 */
export function certainlyNotSent(error: unknown): boolean {
  // The token endpoint failed (its own error, whose flag tells of the token request): the reply
  // waited for a token and was not sent. After an attempt that may have landed, the REST client
  // fails the call with that attempt's failure instead.
  if ((error as { route?: unknown } | null)?.route === ACCESS_TOKEN_ROUTE) return true;
  if (error instanceof ApiError) return error.status < 500 && !error.mayHaveBeenSent;
  // The REST client knows more than the reason tells (a connection lost in its TLS handshake).
  if (error instanceof NetworkError) return !error.mayHaveBeenSent;
  if (error instanceof RateLimitedError) return !error.mayHaveBeenSent;
  // Time that ran out waiting for the token or a connection: nothing was sent.
  if (error instanceof TimeoutError) return !error.mayHaveBeenSent;
  // The rich message was refused; its plain-text fallback failed, certainly unposted or not.
  if (error instanceof RichContentFallbackError) return !error.mayHaveBeenSent;
  // The number was refused as another's, so this call posted nothing; as certain as the refusal.
  if (error instanceof ReplyAlreadySentError) return certainlyNotSent(error.refusal);
  return (
    error instanceof ValidationError ||
    error instanceof FileImageTooLargeError ||
    error instanceof AuthenticationError ||
    error instanceof ReplyWindowClosedError
  );
}
