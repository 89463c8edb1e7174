import { emulatorNow } from '../util/emulatorClock.js';
import type { IdFactory } from '../util/ids.js';
import { DAY_MS } from '../util/time.js';

/** How a presented access token fares. */
export type TokenStatus = 'valid' | 'expired' | 'unknown';

/** A token the registry handed out. */
export interface IssuedToken {
  accessToken: string;
  /** Seconds left, as the token endpoint reports it. */
  expiresIn: number;
}

/** How long before expiry a request gets a new token instead of the current one (docs/protocol.md §1.3). */
const RENEWAL_WINDOW_MS = 60_000;

/**
 * Issues and checks access tokens with the platform's renewal rule: asking again returns the
 * same token until its last 60 s, then a new one, while the old one stays valid until it expires.
 * A token's life (`expires_in`) is a duration, counted on the steady clock: a wall clock stepped
 * forward expires none early.
 */
export class TokenRegistry {
  readonly #expiresAt = new Map<string, number>();
  #current: string | undefined;
  readonly #ids: IdFactory;
  #lifetimeMs: number;

  /** @param lifetimeSeconds how long each token lives (`expires_in`). */
  constructor(ids: IdFactory, lifetimeSeconds: number) {
    this.#ids = ids;
    this.#lifetimeMs = lifetimeSeconds * 1000;
  }

  /** The lifetime of newly issued tokens, in seconds. */
  get lifetimeSeconds(): number {
    return this.#lifetimeMs / 1000;
  }

  /** Changes the lifetime of tokens issued from now on. */
  setLifetime(seconds: number): void {
    this.#lifetimeMs = seconds * 1000;
  }

  /** Returns the current token, or a new one when there is none or it is within its last 60 s. */
  issue(now: number = emulatorNow()): IssuedToken {
    const current = this.#current;
    const expiresAt = current === undefined ? undefined : this.#expiresAt.get(current);
    if (current !== undefined && expiresAt !== undefined && expiresAt - now > RENEWAL_WINDOW_MS) {
      return { accessToken: current, expiresIn: Math.ceil((expiresAt - now) / 1000) };
    }
    const accessToken = this.#ids.accessToken();
    this.#expiresAt.set(accessToken, now + this.#lifetimeMs);
    this.#current = accessToken;
    this.#forgetExpired(now);
    return { accessToken, expiresIn: Math.ceil(this.#lifetimeMs / 1000) };
  }

  /** Whether a presented token is valid, expired or was never issued. */
  check(accessToken: string, now: number = emulatorNow()): TokenStatus {
    const expiresAt = this.#expiresAt.get(accessToken);
    if (expiresAt === undefined) return 'unknown';
    return now < expiresAt ? 'valid' : 'expired';
  }

  /** Expires every token issued so far; the next request gets a new one. */
  expireAll(now: number = emulatorNow()): void {
    for (const token of this.#expiresAt.keys()) this.#expiresAt.set(token, now);
  }

  /** Drops tokens long past expiry so the registry does not grow forever; expired ones stay known for a day. */
  #forgetExpired(now: number): void {
    for (const [token, expiresAt] of this.#expiresAt) {
      if (now - expiresAt > DAY_MS) this.#expiresAt.delete(token);
    }
  }
}
