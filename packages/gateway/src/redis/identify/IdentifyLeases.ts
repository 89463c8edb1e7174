import type { Redis } from 'ioredis';
import type { BotLogger } from '@bot/core';
import type { ResyncedClock } from './ResyncedClock.js';
import { RedisOperationError } from '../RedisOperationError.js';

/**
 * The leases on their places in line of one process's waiting identify tickets: renewed every
 * third of `leaseMs` while any waits, so a line moves past a dead process's waiters after at most
 * `leaseMs`. The timer runs only while a ticket is held.
 */
export class IdentifyLeases {
  readonly #waiting = new Set<string>();
  #renewal: NodeJS.Timeout | undefined;

  /**
   * @param redis - the connection
   * @param key - the sorted set of leases (`<state>:leases`)
   * @param clock - the server's clock lease expiries are written in
   * @param leaseMs - how long a lease lasts without renewal
   * @param log - where failed renewals are told
   */
  public constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly clock: Pick<ResyncedClock, 'now'>,
    private readonly leaseMs: number,
    private readonly log: BotLogger,
  ) {}

  /** Keeps the ticket's lease renewed while it waits. */
  public hold(ticket: string): void {
    this.#waiting.add(ticket);
    if (this.#renewal !== undefined) return;
    this.#renewal = setInterval(() => void this.#renew(), this.leaseMs / 3);
    this.#renewal.unref();
  }

  /** The ticket no longer waits; the timer stops with the last one. */
  public release(ticket: string): void {
    this.#waiting.delete(ticket);
    if (this.#waiting.size > 0 || this.#renewal === undefined) return;
    clearInterval(this.#renewal);
    this.#renewal = undefined;
  }

  async #renew(): Promise<void> {
    if (this.#waiting.size === 0) return;
    try {
      const expiry = this.clock.now() + this.leaseMs;
      const members = [...this.#waiting].flatMap((ticket) => [expiry, ticket]);
      if (members.length === 0) return;
      // XX: only tickets still in line; one that was granted or dropped stays gone.
      await this.redis.zadd(this.key, 'XX', ...members);
    } catch (error) {
      // Worded as every Redis failure is; the leases outlive two missed renewals.
      this.log.warn(new RedisOperationError('renew identify leases', undefined, { cause: error }).message);
    }
  }
}
