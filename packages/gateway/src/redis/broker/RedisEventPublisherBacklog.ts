import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import { RedisOperationError } from '../RedisOperationError.js';
import type { RedisEventPublisherHealth } from './RedisEventPublisherHealth.js';
import { UnpublishedEventError } from './UnpublishedEventError.js';

/** Bounds of a {@link RedisEventPublisherBacklog}. */
export interface BacklogBounds {
  /** Most publishes waiting for Redis at once. */
  maxBacklog: number;
  /** Most bytes of entries waiting for Redis at once. */
  maxBacklogBytes: number;
}

/**
 * The publishes of a `RedisEventPublisher` waiting for Redis, bounded by count and by bytes: an
 * event beyond either bound is refused, and the fill level (the larger share of the two) is told
 * to the health, which pauses the attached shards at half of it. Tells waiters when it empties.
 */
export class RedisEventPublisherBacklog {
  readonly #bounds: BacklogBounds;
  readonly #health: RedisEventPublisherHealth;
  #count = 0;
  #bytes = 0;
  #idleWaiters: (() => void)[] = [];

  /**
   * @param bounds - `maxBacklog` and `maxBacklogBytes`
   * @param health - told the fill level on every change
   */
  public constructor(bounds: BacklogBounds, health: RedisEventPublisherHealth) {
    this.#bounds = bounds;
    this.#health = health;
  }

  /** Publishes waiting for Redis now. */
  public get count(): number {
    return this.#count;
  }

  /** Bytes of the entries waiting for Redis now. */
  public get bytes(): number {
    return this.#bytes;
  }

  /**
   * Holds a place for one publish until {@link release}.
   *
   * @param bytes - what its entry holds in memory while it waits
   * @throws {@link UnpublishedEventError} (reason `backlog-full`) when either bound would be passed
   */
  public hold(what: string, shardId: number | undefined, payload: DispatchPayload, bytes: number): void {
    const { maxBacklog, maxBacklogBytes } = this.#bounds;
    if (this.#count >= maxBacklog || this.#bytes + bytes > maxBacklogBytes) {
      throw new UnpublishedEventError(what, shardId, payload, 'backlog-full', {
        cause: new Error(
          `${this.#count} events (${this.#bytes} bytes) are already waiting for Redis ` +
            `(maxBacklog ${maxBacklog}, maxBacklogBytes ${maxBacklogBytes})`,
        ),
        outcome: 'this one is dropped',
      });
    }
    this.#count++;
    this.#bytes += bytes;
    this.#tellHealth();
  }

  /** Frees the place {@link hold} took for a publish of `bytes`, now settled. */
  public release(bytes: number): void {
    this.#count--;
    this.#bytes -= bytes;
    this.#tellHealth();
    if (this.#count === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  /**
   * Resolves once no publish is waiting for Redis.
   *
   * @param timeoutMs - the most to wait (a duration Node's timers hold), or no limit
   * @throws {@link RedisOperationError} (as a rejection) naming what still waits after `timeoutMs`
   */
  public idle(timeoutMs?: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.#idleWaiters.splice(this.#idleWaiters.indexOf(wake), 1);
              reject(this.#stillWaiting(timeoutMs));
            }, timeoutMs);
      this.#idleWaiters.push(wake);
    });
  }

  #stillWaiting(timeoutMs: number): RedisOperationError {
    const publishes = this.#count === 1 ? 'publish' : 'publishes';
    return new RedisOperationError('drain the publish backlog', undefined, {
      cause: new Error(
        `${this.#count} ${publishes} (${this.#bytes} bytes) still waiting for Redis after ${timeoutMs} ms`,
      ),
      outcome:
        'they go on retrying; call close() to give them up, each reported with its payload (UnpublishedEventError, reason closed)',
    });
  }

  #tellHealth(): void {
    const { maxBacklog, maxBacklogBytes } = this.#bounds;
    this.#health.backlog(this.#count, Math.max(this.#count / maxBacklog, this.#bytes / maxBacklogBytes));
  }
}
