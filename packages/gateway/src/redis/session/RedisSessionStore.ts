import type { Redis } from 'ioredis';
import { childLogger, createLogger, ValidationError, type BotLogger } from '@bot/http';
import type { SessionInfo, SessionStore } from '../../session/SessionStore.js';
import { RedisKeys, type RedisNamespace } from '../RedisKeys.js';
import { withRetries, type RetryPolicy } from '../support/retry.js';

/** Options of a {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions extends RedisNamespace {
  /**
   * How long a session outlives the last sign of its process, in milliseconds (15 min by default).
   * While the process runs, the store keeps the TTL of the sessions it wrote fresh, so a quiet
   * shard's session does not expire under it; after a crash, the replacement has this long to
   * resume. Longer than the platform keeps a session gains nothing: the resume would be refused.
   */
  ttlMs?: number;
  /** Retries of each operation before it fails (3 tries, 10 s each, by default). */
  retry?: RetryPolicy;
  /** Logger; a sub-logger named `redis-sessions` is derived from it. */
  logger?: BotLogger;
}

/**
 * A {@link SessionStore} in Redis: one JSON value per shard with a TTL. A process started after
 * a crash or a deploy, given a store with the same namespace, finds the sessions and resumes
 * them instead of identifying. `ShardManager.handoff()` in one process followed by a start in
 * another loses no event: the old process writes each shard's last sequence number as it closes.
 *
 * Failed operations are retried with back-off, then rejected with a `RedisOperationError`,
 * which the shard reports to `error` handlers; a running shard keeps its socket.
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #ttlMs: number;
  readonly #retry: RetryPolicy;
  readonly #log: BotLogger;
  /** Shards whose sessions this process wrote and still owns: their TTLs are kept fresh. */
  readonly #owned = new Set<number>();
  #keepAlive: NodeJS.Timeout | undefined;

  /**
   * @param redis - a connected client
   * @param options - namespace, TTL and retries
   * @throws {@link ValidationError} for a TTL under one second or an invalid namespace
   */
  public constructor(redis: Redis, options: RedisSessionStoreOptions) {
    if (options.ttlMs !== undefined && !(options.ttlMs >= 1_000 && Number.isSafeInteger(options.ttlMs))) {
      throw new ValidationError('ttlMs', `must be an integer of at least 1000 ms (got ${options.ttlMs})`);
    }
    this.#redis = redis;
    this.#keys = new RedisKeys(options);
    this.#ttlMs = options.ttlMs ?? 15 * 60_000;
    this.#retry = options.retry ?? {};
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'redis-sessions');
  }

  /** {@inheritDoc SessionStore.get} */
  public async get(shardId: number): Promise<SessionInfo | undefined> {
    const raw = await withRetries(
      { operation: `read the session of shard ${shardId}`, shardId },
      () => this.#redis.get(this.#keys.session(shardId)),
      this.#retry,
    );
    return raw === null ? undefined : parseSession(raw, shardId);
  }

  /** {@inheritDoc SessionStore.set} */
  public async set(shardId: number, session: SessionInfo): Promise<void> {
    const value = JSON.stringify({
      sessionId: session.sessionId,
      seq: session.seq,
      shardCount: session.shardCount,
    });
    await withRetries(
      { operation: `store the session of shard ${shardId}`, shardId },
      () => this.#redis.set(this.#keys.session(shardId), value, 'PX', this.#ttlMs),
      this.#retry,
    );
    this.#own(shardId);
  }

  /** {@inheritDoc SessionStore.delete} */
  public async delete(shardId: number): Promise<void> {
    this.#disown(shardId);
    await withRetries(
      { operation: `delete the session of shard ${shardId}`, shardId },
      () => this.#redis.del(this.#keys.session(shardId)),
      this.#retry,
    );
  }

  /**
   * Stops keeping TTLs fresh. The stored sessions stay, and expire after the TTL unless another
   * process takes them over. Call it after `ShardManager.handoff()` or `shutdownAll()`.
   */
  public close(): void {
    this.#owned.clear();
    this.#stopKeepAlive();
  }

  #own(shardId: number): void {
    this.#owned.add(shardId);
    if (this.#keepAlive !== undefined) return;
    this.#keepAlive = setInterval(() => void this.#refresh(), this.#ttlMs / 3);
    this.#keepAlive.unref();
  }

  #disown(shardId: number): void {
    this.#owned.delete(shardId);
    if (this.#owned.size === 0) this.#stopKeepAlive();
  }

  #stopKeepAlive(): void {
    if (this.#keepAlive !== undefined) clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  /** Pushes the TTL of every owned session forward (a missing key stays missing). */
  async #refresh(): Promise<void> {
    const batch = this.#redis.pipeline();
    for (const shardId of this.#owned) batch.pexpire(this.#keys.session(shardId), this.#ttlMs);
    try {
      const results = (await batch.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed?.[0]) throw failed[0];
    } catch (error) {
      // The next refresh tries again; the TTL leaves room for two misses.
      this.#log.warn(
        `could not refresh session TTLs: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Reads a stored session, refusing anything that is not one. */
function parseSession(raw: string, shardId: number): SessionInfo {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ValidationError(`session of shard ${shardId}`, 'is not JSON');
  }
  const { sessionId, seq, shardCount } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw new ValidationError(`session of shard ${shardId}`, 'has no sessionId');
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new ValidationError(`session of shard ${shardId}`, `has an invalid seq (${String(seq)})`);
  }
  if (typeof shardCount !== 'number' || !Number.isSafeInteger(shardCount) || shardCount < 1) {
    throw new ValidationError(
      `session of shard ${shardId}`,
      `has an invalid shardCount (${String(shardCount)})`,
    );
  }
  return { sessionId, seq, shardCount };
}
