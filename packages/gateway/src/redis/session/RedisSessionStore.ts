import type { Redis } from 'ioredis';
import { childLogger, createLogger, messageOf, type BotLogger } from '@bot/core';
import type { SessionInfo, SessionStore } from '../../session/SessionStore.js';
import { RedisKeys, type RedisNamespace } from '../RedisKeys.js';
import { checkRetryPolicy, withRetries, type RetryPolicy } from '../support/retry.js';
import type { PublishedSeqSource } from './PublishedSeqSource.js';
import { parseSession } from './parseSession.js';
import { sessionTtl } from './sessionTtl.js';
import { DELETE_SESSION, STORE_SESSION } from './scripts.js';
import { fenceArgs, fencedOffText, type SessionFence } from './SessionFence.js';

/** Options of a {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions extends RedisNamespace {
  /**
   * How long a session outlives the last sign of its process, in milliseconds (15 min by default;
   * with a `publisher`, its dedupe window less one minute; from 1000 to 3 × (2^31-1), as its
   * refresh runs every third of it). While the process runs, the store
   * keeps the TTL of the sessions it wrote fresh, so a quiet shard's session does not expire under
   * it; after a crash, the replacement has this long to resume.
   */
  ttlMs?: number | undefined;
  /**
   * The event publisher fed by the same shards (`broker.publisher`). With it, a stored sequence
   * number never passes a dispatch whose publish has not been confirmed: the store writes the
   * highest seq below every publish still waiting for Redis, and writes the session again once
   * those publishes are through. A process that dies at any moment is then resumed from a point
   * whose later events are either in the stream (dropped as repeats) or replayed by the platform.
   * A TTL longer than the publisher's dedupe window (less one minute) is refused: a resume could
   * replay events whose ids the publisher has forgotten.
   */
  publisher?: PublishedSeqSource | undefined;
  /**
   * The manager's shard leases (`RedisShardLeases`): a session is then written or deleted only
   * while no other process holds the shard's lease (a refused write is logged at WARN), so a shard
   * stopped after another process took it over never overwrites that process's session.
   */
  leases?: SessionFence | undefined;
  /** Retries of each operation before it fails (3 tries, 10 s each, by default). */
  retry?: RetryPolicy | undefined;
  /** Logger; a sub-logger named `redis-sessions` is derived from it. */
  logger?: BotLogger | undefined;
}

/** A session this process wrote and still owns. */
interface OwnedSession {
  /** The session as the shard last gave it. */
  wanted: SessionInfo;
  /** The sequence number the last successful write stored, if any. */
  storedSeq: number | undefined;
  /** A write of the full seq waits for the publisher. */
  catchingUp: boolean;
}

/**
 * A {@link SessionStore} in Redis: one JSON value per shard with a TTL. A process started after
 * a crash or a deploy, given a store with the same namespace, finds the sessions and resumes
 * them instead of identifying. `ShardManager.handoff()` in one process followed by a start in
 * another loses no event: the old process writes each shard's last sequence number as it closes
 * (call `await store.close()` after the publisher is idle, so the final writes are done).
 *
 * Writes of one shard happen in call order. Failed operations are retried with back-off, then
 * rejected with a `RedisOperationError`, which the shard reports to `error` handlers; a running
 * shard keeps its socket, and the store writes the session again on its next TTL refresh.
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #ttlMs: number;
  readonly #publisher: PublishedSeqSource | undefined;
  readonly #retry: RetryPolicy;
  readonly #log: BotLogger;
  readonly #leases: SessionFence | undefined;
  readonly #owned = new Map<number, OwnedSession>();
  readonly #writes = new Map<number, Promise<unknown>>();
  /** Per shard, the session this store last read or wrote and the seq Redis confirmed holding. */
  readonly #durable = new Map<number, { sessionId: string; seq: number }>();
  #keepAlive: NodeJS.Timeout | undefined;

  /**
   * @param redis - a connected client
   * @param options - namespace, TTL, publisher and retries
   * @throws {@link ValidationError} for a TTL under one second, one the publisher's dedupe window
   *   does not cover, an invalid namespace, or a `retry` out of range (see `RetryPolicy`)
   */
  public constructor(redis: Redis, options: RedisSessionStoreOptions) {
    this.#redis = redis;
    this.#keys = new RedisKeys(options);
    this.#publisher = options.publisher;
    this.#ttlMs = sessionTtl(options.ttlMs, options.publisher?.dedupeWindowMs ?? 0);
    this.#retry = checkRetryPolicy(options.retry);
    this.#leases = options.leases;
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'redis-sessions');
  }

  /** How long a session outlives the last sign of its process, in milliseconds. */
  public get ttlMs(): number {
    return this.#ttlMs;
  }

  /** {@inheritDoc SessionStore.get} */
  public async get(shardId: number): Promise<SessionInfo | undefined> {
    const raw = await withRetries(
      { operation: `read the session of shard ${shardId}`, shardId },
      () => this.#redis.get(this.#keys.session(shardId)),
      this.#retry,
    );
    if (raw === null) return undefined;
    const session = parseSession(raw, shardId);
    // The shard resumes from here: what was read is durable, and its publishes checkpoint it.
    this.#durable.set(shardId, { sessionId: session.sessionId, seq: session.seq });
    this.#follow(shardId, session.sessionId);
    return session;
  }

  /**
   * {@inheritDoc SessionStore.durableSeq}
   *
   * The higher of what this store's writes and the linked publisher's publishes confirmed stored.
   */
  public durableSeq(shardId: number, sessionId: string): number | undefined {
    const own = this.#durable.get(shardId);
    const mine = own?.sessionId === sessionId ? own.seq : undefined;
    const published = this.#publisher?.durableSeq(shardId, sessionId);
    if (mine === undefined) return published;
    return published === undefined ? mine : Math.max(mine, published);
  }

  /** Has the publisher checkpoint the shard's session, and write it again if Redis lost it. */
  #follow(shardId: number, sessionId: string | undefined): void {
    this.#publisher?.followSession(shardId, sessionId, () => this.#restore(shardId));
  }

  /**
   * A publish found the shard's session missing. Whether it was lost is for Redis to say: the order
   * in which answers are handled here does not tell. A publish that ran before the first write
   * found no key by design, yet its answer may be handled after that write's (its chain of awaits
   * is longer, or it came on another connection). So the session is written again after the
   * writes already queued, and reported lost only when that write did not find it stored.
   */
  #restore(shardId: number): void {
    const owned = this.#owned.get(shardId);
    if (owned === undefined) return;
    this.#enqueue(shardId, () => this.#write(shardId, owned, true)).catch((error: unknown) =>
      this.#log.warn(messageOf(error)),
    );
  }

  /**
   * {@inheritDoc SessionStore.set}
   *
   * With a publisher, the stored seq may trail `session.seq` until the publishes before it are
   * confirmed; the store then writes the session again by itself.
   */
  public async set(shardId: number, session: SessionInfo): Promise<void> {
    const owned: OwnedSession = {
      wanted: { sessionId: session.sessionId, seq: session.seq, shardCount: session.shardCount },
      storedSeq: undefined,
      catchingUp: false,
    };
    this.#owned.set(shardId, owned);
    if (this.#durable.get(shardId)?.sessionId !== session.sessionId) this.#durable.delete(shardId);
    this.#follow(shardId, session.sessionId);
    this.#startKeepAlive();
    await this.#enqueue(shardId, () => this.#write(shardId, owned));
  }

  /** {@inheritDoc SessionStore.delete} */
  public async delete(shardId: number): Promise<void> {
    this.#owned.delete(shardId);
    this.#durable.delete(shardId);
    this.#follow(shardId, undefined);
    if (this.#owned.size === 0) this.#stopKeepAlive();
    const key = this.#keys.session(shardId);
    const fence = fenceArgs(this.#leases, shardId);
    const holder = await this.#enqueue(shardId, () =>
      withRetries(
        { operation: `delete the session of shard ${shardId}`, shardId },
        () =>
          this.#leases === undefined
            ? this.#redis.del(key)
            : DELETE_SESSION.run(this.#redis, [key, ...fence.keys], fence.args),
        this.#retry,
      ),
    );
    if (typeof holder === 'string' && holder !== '') this.#log.warn(fencedOffText(shardId, holder, 'delete'));
  }

  /**
   * Stops keeping TTLs fresh and resolves once the writes under way are done, including those the
   * publisher's last confirmations started (call it after `publisher.idle()`). The stored sessions
   * stay, and expire after the TTL unless another process takes them over. Call it after
   * `ShardManager.handoff()` or `shutdownAll()`.
   */
  public async close(): Promise<void> {
    this.#stopKeepAlive();
    await Promise.allSettled([...this.#writes.values()]);
    this.#owned.clear();
  }

  /** Runs a write after the earlier writes of the same shard. */
  #enqueue<T>(shardId: number, write: () => Promise<T>): Promise<T> {
    const previous = this.#writes.get(shardId) ?? Promise.resolve();
    const next = previous.then(write);
    const settled = next.catch(() => undefined);
    this.#writes.set(shardId, settled);
    void settled.then(() => {
      if (this.#writes.get(shardId) === settled) this.#writes.delete(shardId);
    });
    return next;
  }

  /**
   * Stores the session as far as its events are published (skipped if it was replaced meanwhile).
   * `restoring`: a publish found it missing; warns if Redis indeed no longer held it.
   */
  async #write(shardId: number, owned: OwnedSession, restoring = false): Promise<void> {
    if (this.#owned.get(shardId) !== owned) return;
    const { wanted } = owned;
    const seq = this.#publisher?.publishedUpTo(shardId, wanted.seq, wanted.sessionId) ?? wanted.seq;
    const fence = fenceArgs(this.#leases, shardId);
    const stored = await withRetries(
      { operation: `store the session of shard ${shardId}`, shardId },
      () =>
        STORE_SESSION.run(
          this.#redis,
          [this.#keys.session(shardId), ...fence.keys],
          [wanted.sessionId, seq, wanted.shardCount, this.#ttlMs, ...fence.args],
        ),
      this.#retry,
    );
    if (typeof stored === 'string') return this.#lostTo(shardId, owned, stored);
    const [storedNow, found] = Array.isArray(stored) ? stored.map(Number) : [];
    // Stored before and not found now: lost (a session never stored was reported when its write failed).
    if (restoring && found === 0 && owned.storedSeq !== undefined) {
      this.#log.warn(`the session of shard ${shardId} was no longer in Redis; wrote it again`);
    }
    owned.storedSeq = seq;
    if (this.#owned.get(shardId) === owned && storedNow !== undefined && Number.isFinite(storedNow)) {
      const known = this.#durable.get(shardId);
      const higher = known?.sessionId === wanted.sessionId ? Math.max(known.seq, storedNow) : storedNow;
      this.#durable.set(shardId, { sessionId: wanted.sessionId, seq: higher });
    }
    if (seq < wanted.seq) this.#catchUpLater(shardId, owned);
  }

  /** Writes the session again once the publishes holding its seq back are confirmed. */
  #catchUpLater(shardId: number, owned: OwnedSession): void {
    const publisher = this.#publisher;
    if (publisher === undefined || owned.catchingUp) return;
    owned.catchingUp = true;
    void publisher.whenPublished(shardId, owned.wanted.seq, owned.wanted.sessionId).then(() => {
      owned.catchingUp = false;
      this.#rewrite(shardId, owned);
    });
  }

  /** Writes an owned session again in the background; a failure waits for the next refresh. */
  #rewrite(shardId: number, owned: OwnedSession): void {
    if (this.#owned.get(shardId) !== owned) return;
    this.#enqueue(shardId, () => this.#write(shardId, owned)).catch((error: unknown) =>
      this.#log.warn(messageOf(error)),
    );
  }

  /** Another process runs the shard now: its session is not this store's to write, now or later. */
  #lostTo(shardId: number, owned: OwnedSession, holder: string): void {
    if (this.#owned.get(shardId) === owned) this.#owned.delete(shardId);
    this.#durable.delete(shardId);
    this.#follow(shardId, undefined);
    this.#log.warn(fencedOffText(shardId, holder, 'store'));
  }

  #startKeepAlive(): void {
    if (this.#keepAlive !== undefined) return;
    this.#keepAlive = setInterval(() => void this.#refresh(), this.#ttlMs / 3);
    this.#keepAlive.unref();
  }

  #stopKeepAlive(): void {
    if (this.#keepAlive !== undefined) clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  /**
   * Pushes the TTL of every stored session forward. A session whose last write failed, or whose
   * key is gone (Redis lost its data), is written again instead.
   */
  async #refresh(): Promise<void> {
    const stored: [number, OwnedSession][] = [];
    for (const [shardId, owned] of this.#owned) {
      const behind = owned.storedSeq === undefined || owned.storedSeq < owned.wanted.seq;
      if (behind && !owned.catchingUp) this.#rewrite(shardId, owned);
      else if (owned.storedSeq !== undefined) stored.push([shardId, owned]);
    }
    if (stored.length === 0) return;
    const batch = this.#redis.pipeline();
    for (const [shardId] of stored) batch.pexpire(this.#keys.session(shardId), this.#ttlMs);
    try {
      const results = (await batch.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed?.[0]) throw failed[0];
      results.forEach(([, existed], index) => {
        const entry = stored[index];
        if (existed === 0 && entry !== undefined) this.#rewrite(...entry);
      });
    } catch (error) {
      // The next refresh tries again; the TTL leaves room for two misses.
      this.#log.warn(`could not refresh session TTLs: ${messageOf(error)}`);
    }
  }
}
