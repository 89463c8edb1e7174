import got, { type Got } from 'got';
import { ACCESS_TOKEN_URL } from '../environments.js';
import type { ApiError } from '../errors/ApiError.js';
import type { AuthenticationError } from '../errors/AuthenticationError.js';
import type { ClientDestroyedError } from '../errors/ClientDestroyedError.js';
import type { NetworkError } from '../errors/NetworkError.js';
import type { TimeoutError } from '../errors/TimeoutError.js';
import {
  BotError,
  type BotLogger,
  childLogger,
  createLogger,
  raceAbort,
  requireDuration,
  requireHttpUrl,
  sleepUnlessAborted,
  ValidationError,
  messageOf,
  msUntil,
  steadyNow,
} from '@bot/core';
import { type BothClocks, elapsedBetween } from '../util/bothClocks.js';
import { requireToken, type Token } from './Token.js';
import { MIN_LIFETIME_SECONDS, TokenEndpoint } from './TokenEndpoint.js';

/** Options of an {@link AccessTokenProvider}. */
export interface AccessTokenProviderOptions {
  /** Token endpoint; the platform's by default (override it to use an emulator). */
  tokenUrl?: string | undefined;
  /**
   * How long before expiry a cached token is replaced, in milliseconds (50 s by default; positive
   * and below 60 s, the shortest token lifetime assumed). The platform hands out a new token only
   * during the last 60 s of the current one and keeps the old one valid meanwhile, so refreshing
   * inside that window swaps tokens without a gap. A token is refreshed at half its lifetime
   * when that comes later (lifetime − `refreshMargin` and lifetime / 2, the larger): a 60 s token
   * at 30 s, so a token handed out near its expiry is not asked for again on every call.
   */
  refreshMargin?: number | undefined;
  /** Timeout of one token request in milliseconds (10 s by default). */
  timeout?: number | undefined;
  /** Logger; a sub-logger named `auth` is derived from it. */
  logger?: BotLogger | undefined;
  /** HTTP client to fetch with; a private one by default. */
  http?: Got | undefined;
  /**
   * The provider's lifetime (none by default: it lives as long as it is referenced). When it
   * aborts, a fetch in flight ends at once, its timer cleared, and every later fetch fails with a
   * final {@link ClientDestroyedError} (`destroyed: 'tokenProvider'`). A `RestClient` passes its
   * own lifetime to the provider it creates; a provider handed to several clients ends with this
   * signal only.
   */
  signal?: AbortSignal | undefined;
}

/**
 * A token and its deadlines, each in milliseconds after its request. `expires_in` is real time,
 * which goes on while the machine is suspended: each deadline is past when either clock says so
 * (see `elapsedBetween`).
 */
interface CachedToken {
  value: string;
  /** When the request that got it was sent, on both clocks. */
  requestedAt: BothClocks;
  /** `expires_in` in milliseconds, bounded to [60 s, 1 day]. */
  lifetime: number;
  /** From here on, calls still get this token while one refresh runs in the background. */
  refreshAfter: number;
  /** From here on, the token is no longer handed out: callers wait for a fresh one. */
  servedFor: number;
}

/**
 * How long before expiry a token stops being handed out, in milliseconds: a request sent with it
 * then still reaches the platform before it lapses.
 */
const EXPIRY_GUARD_MS = 5_000;
/**
 * Least time from a failed token fetch to the next, in milliseconds. Without it, an endpoint
 * that refuses the credentials (a secret reset while the bot runs) or is down would be asked
 * again as soon as it answered, by whichever call came next: at a busy bot's event rate.
 */
const FETCH_RETRY_SPACING_MS = 1_000;

/**
 * Issues the `access_token` every REST call and gateway session needs, and keeps it fresh.
 *
 * - One fetch serves every concurrent caller (single flight), however many shards ask at once.
 * - The cached token is replaced shortly before expiry (see {@link AccessTokenProviderOptions.refreshMargin}):
 *   from then on calls still get it while one refresh runs in the background, so a token endpoint
 *   that is down at that moment fails no caller while the token is valid. A failed background
 *   refresh is logged and tried again by a later call; only 5 s before expiry do callers wait for
 *   a fresh token, and get the endpoint's failure.
 *   An `expires_in` that is missing, not a number or under 60 s is taken as 60 s (the token is then
 *   kept 30 s), one over a day as a day; the first such answer is logged as a warning.
 * - A token's life counts from its request on the steady clock and on the wall clock, and each
 *   of its points (refresh, last use) is reached when either says so: time the machine spent
 *   suspended (which the steady clock does not count) is counted, and a wall clock stepped back
 *   does not stretch the life. A wall clock stepped forward only brings one fetch early, which the
 *   platform answers with the token it has already issued while over 60 s of it are left.
 * - {@link AccessTokenProvider.invalidate} forces a new fetch after the platform rejected a token
 *   (HTTP 401 or code `11244`).
 * - Wrong credentials fail with an {@link AuthenticationError} carrying the platform's code and
 *   message; an unavailable token endpoint (5xx, 429, 408, an unreadable answer, a 2xx without a usable
 *   token, an answer over 64 KiB) fails with an {@link ApiError}, which callers retry. No failure
 *   is cached, but the endpoint is asked at most once a second after one: callers in that second
 *   wait for the next fetch (their signal, and the provider's, end the wait). A redirect is never followed (it would send the secret elsewhere): it fails with
 *   an {@link ApiError} naming where it pointed, for `tokenUrl`. Neither the secret nor any token
 *   appears in errors or logs, and text the endpoint sent is quoted bounded and escaped.
 */
export class AccessTokenProvider {
  readonly #token: Token;
  readonly #refreshMargin: number;
  readonly #endpoint: TokenEndpoint;
  readonly #log: BotLogger;
  #cached: CachedToken | undefined;
  #inFlight: Promise<CachedToken> | undefined;
  /** When a fetch may go out again after one failed, on the steady clock; see FETCH_RETRY_SPACING_MS. */
  #nextFetchAt = 0;
  readonly #signal: AbortSignal | undefined;

  /**
   * @param token - the bot's credentials
   * @param options - endpoint, refresh margin, timeout, logger, lifetime signal
   * @throws {@link ValidationError} for a missing `token` or one that is not a {@link Token}, a
   *   `tokenUrl` that is not http(s), a `timeout` that is not a positive duration, or a
   *   `refreshMargin` that is not one below 60 s
   */
  public constructor(token: Token, options: AccessTokenProviderOptions = {}) {
    this.#token = requireToken(token, 'token');
    const url =
      options.tokenUrl === undefined ? ACCESS_TOKEN_URL : requireHttpUrl(options.tokenUrl, 'tokenUrl');
    this.#refreshMargin = requireDuration(options.refreshMargin ?? 50_000, 'refreshMargin');
    if (this.#refreshMargin >= MIN_LIFETIME_SECONDS * 1000)
      throw new ValidationError(
        'refreshMargin',
        `must be below ${MIN_LIFETIME_SECONDS * 1000} ms, the shortest token lifetime assumed`,
      );
    const timeout = requireDuration(options.timeout ?? 10_000, 'timeout');
    this.#log = childLogger(options.logger ?? createLogger(), 'auth');
    this.#signal = options.signal;
    this.#endpoint = new TokenEndpoint({
      token,
      url,
      timeout,
      http: options.http ?? got,
      log: this.#log,
      signal: options.signal,
    });
  }

  /** The AppID these tokens belong to. */
  public get appId(): string {
    return this.#token.appId;
  }

  /**
   * When the cached token expires, as a date (epoch ms): the wall clock's reading when its request
   * was sent plus `expires_in` bounded to [60 s, 1 day], or `undefined` before the first fetch. It
   * stays the same between fetches, whatever the wall clock does later. The provider itself takes
   * the token as expired when either this date or its lifetime counted on the steady clock has
   * passed, so a wall clock stepped back since the fetch does not keep it in use past its life.
   */
  public get expiresAt(): number | undefined {
    const cached = this.#cached;
    return cached === undefined ? undefined : cached.requestedAt.wall + cached.lifetime;
  }

  /**
   * The cached access token while it is still valid (until 5 s before expiry), without waiting;
   * `undefined` when {@link AccessTokenProvider.get} would have to wait for a fetch. Past the
   * refresh point it starts the refresh in the background, and keeps returning the cached token.
   */
  public current(): string | undefined {
    const cached = this.#cached;
    if (cached === undefined) return undefined;
    const age = elapsedBetween(cached.requestedAt);
    if (age < cached.refreshAfter) return cached.value;
    if (age >= cached.servedFor) return undefined;
    if (this.#inFlight === undefined && msUntil(this.#nextFetchAt) === 0) this.#refreshInBackground();
    return cached.value;
  }

  /**
   * Returns a valid access token (without the `QQBot ` prefix), fetching one when none is cached or
   * the cached one is about to expire. Concurrent callers share a single fetch.
   *
   * @param options - `signal` stops this caller waiting; the shared fetch goes on for the others
   * @throws {@link AuthenticationError} when the platform rejects the credentials
   * @throws {@link ApiError} when the token endpoint answers with a server error, a rate limit, no
   *   usable token or a redirect
   * @throws {@link NetworkError} or {@link TimeoutError} when the token endpoint is unreachable
   * @throws {@link ClientDestroyedError} once the provider's `signal` has aborted
   */
  public async get(options: { signal?: AbortSignal } = {}): Promise<string> {
    const current = this.current();
    if (current !== undefined) return current;
    const ownOutcome = this.#sharedFetch().catch((error: unknown) => {
      throw ownCopy(error);
    });
    const fresh = await raceAbort(ownOutcome, [options.signal]);
    return fresh.value;
  }

  /**
   * Drops the cached token if it is the one the platform just rejected, so the next
   * {@link AccessTokenProvider.get} fetches anew. Comparing first means a burst of requests that
   * all failed with the same stale token causes one refresh, not one each.
   *
   * @param rejected - the access token the platform refused
   */
  public invalidate(rejected: string): void {
    if (this.#cached?.value === rejected) {
      this.#log.debug('access token rejected by the platform; refreshing on next use');
      this.#cached = undefined;
    }
  }

  /** The token fetch in flight, started if there is none: every caller shares one. */
  #sharedFetch(): Promise<CachedToken> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /**
   * Refreshes a token that is still valid without anyone waiting for it. A failure fails no
   * caller: it is logged, and a call a second or more later tries again.
   */
  #refreshInBackground(): void {
    this.#sharedFetch().catch((error: unknown) => {
      this.#log.warn(`access token refresh failed (${messageOf(error)}); ${this.#nextStepAfterFailure()}`);
    });
  }

  /** What happens after a failed background refresh, by whether the cached token is still served. */
  #nextStepAfterFailure(): string {
    const cached = this.#cached;
    if (cached === undefined) return 'the next call fetches one';
    const left = cached.servedFor - elapsedBetween(cached.requestedAt);
    // A date a log reader can compare with the wall clock: now plus what is left (or minus what is past).
    const servedUntil = new Date(Date.now() + Math.ceil(left)).toISOString();
    return left > 0
      ? `the current token stays in use until ${servedUntil} and a later call tries again`
      : `the current token is no longer served (its time ran out at ${servedUntil}): the next call waits for a fresh one`;
  }

  /** Fetches a token and schedules its refresh; after a failed fetch, not within a second of it. */
  async #fetch(): Promise<CachedToken> {
    const spacing = msUntil(this.#nextFetchAt);
    // The provider's end stops the wait; the fetch then fails as closed (see TokenEndpoint).
    if (spacing > 0) await sleepUnlessAborted(spacing, this.#signal);
    let issued: Awaited<ReturnType<TokenEndpoint['fetch']>>;
    try {
      issued = await this.#endpoint.fetch();
    } catch (error) {
      this.#nextFetchAt = steadyNow() + FETCH_RETRY_SPACING_MS;
      throw error;
    }
    const { value, requestedAt } = issued;
    const lifetime = issued.lifetime * 1000;
    // Never schedule the next refresh in the past: a token handed out close to its expiry is used
    // for half its life before asking again, which bounds the request rate.
    const refreshAfter = Math.max(lifetime - this.#refreshMargin, lifetime / 2);
    this.#cached = { value, requestedAt, lifetime, refreshAfter, servedFor: lifetime - EXPIRY_GUARD_MS };
    return this.#cached;
  }
}

/**
 * A shared fetch's failure as one caller's own error: a built-in error of the same class with the
 * same fields (the constructor is not run again). A REST call adds its caller's frames to the
 * error it gets (`rest/callSite.ts`), once per error, so callers sharing one object would all be
 * shown the first caller's frames.
 */
function ownCopy(error: unknown): unknown {
  if (!(error instanceof BotError)) return error;
  const fields: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(error);
  // The stack as text: where the runtime keeps it behind an accessor, a copy would have none.
  fields['stack'] = { value: error.stack, writable: true, configurable: true, enumerable: false };
  // Constructed by Error itself, so runtime checks, `structuredClone` and `postMessage` see an error.
  const copy: unknown = Reflect.construct(Error, [], error.constructor);
  return Object.defineProperties(copy, fields);
}
