import type { Redis } from 'ioredis';
import { messageOf, steadyNow, type BotLogger } from '@bot/core';
import { withTimeout } from '../support/retry.js';
import { LIVE_SHARDS } from './scripts.js';

/** What a {@link ShardGapWatch} works with. */
export interface ShardGapWatchSettings {
  redis: Redis;
  /** The set of the leases' shard counts (`RedisKeys.shardCounts`). */
  countsKey: string;
  /** The start of every lease key (`RedisKeys.shardPrefix`), for leases taken without a count. */
  shardPrefix: string;
  /** How long a lease lives, in milliseconds: the watch looks every TTL, and warns of a gap of 2 TTLs. */
  ttlMs: number;
  log: BotLogger;
}

/**
 * Warns when a shard of the count this process runs has had no lease, in any process, for twice
 * the lease TTL: its guilds' events reach no process. A shard missing for less is a process
 * restarting (a killed one's lease runs out first), or one not started yet. One script per process
 * and TTL, reading the live shards of one count; it runs only while this process holds leases of
 * a known count. The gap is warned once, and told again only once it changes or closes.
 */
export class ShardGapWatch {
  readonly #settings: ShardGapWatchSettings;
  /** When each shard was first seen without a lease, by count and shard id. */
  readonly #missingSince = new Map<number, Map<number, number>>();
  /** The gap last warned of, by count, so it is not repeated every TTL. */
  readonly #warned = new Map<number, string>();
  #timer: NodeJS.Timeout | undefined;
  #checking = false;

  /** @param settings - Redis, key, TTL and logger */
  public constructor(settings: ShardGapWatchSettings) {
    this.#settings = settings;
  }

  /**
   * Keeps looking while `counts()` names a shard count (the counts of this process's leases);
   * stops once it names none.
   */
  public start(counts: () => ReadonlySet<number>): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#check(counts()), this.#settings.ttlMs);
    this.#timer.unref();
  }

  /** Stops looking (this process released its last lease of a known count); `start` looks again. */
  public stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#missingSince.clear();
    this.#warned.clear();
  }

  async #check(counts: ReadonlySet<number>): Promise<void> {
    if (counts.size === 0) {
      this.stop();
      return;
    }
    if (this.#checking) return;
    this.#checking = true;
    const { redis, countsKey, shardPrefix, ttlMs, log } = this.#settings;
    try {
      for (const count of counts) {
        const live = await withTimeout(LIVE_SHARDS.run(redis, [countsKey], [count, shardPrefix]), ttlMs);
        this.#update(count, new Set((Array.isArray(live) ? (live as unknown[]) : []).map(Number)));
      }
    } catch (error) {
      // The renewals warn of an unreachable Redis already; the next look tries again.
      log.debug(`could not look for shards without a process (${messageOf(error)})`);
    } finally {
      this.#checking = false;
    }
  }

  #update(count: number, live: ReadonlySet<number>): void {
    const { ttlMs, log } = this.#settings;
    const since = this.#missingSince.get(count) ?? new Map<number, number>();
    this.#missingSince.set(count, since);
    const now = steadyNow();
    for (let id = 0; id < count; id++) {
      if (live.has(id)) since.delete(id);
      else if (!since.has(id)) since.set(id, now);
    }
    const long = [...since].filter(([, at]) => now - at >= 2 * ttlMs).map(([id]) => id);
    const text = idRanges(long.sort((a, b) => a - b));
    const before = this.#warned.get(count) ?? '';
    if (text === before) return;
    this.#warned.set(count, text);
    if (text === '') {
      log.info(`every shard of ${count} has a process again`);
    } else {
      log.warn(
        `${long.length === 1 ? 'shard' : 'shards'} ${text} of ${count} ${long.length === 1 ? 'has' : 'have'} ` +
          `had no process for ${2 * ttlMs} ms or more: the events of their guilds reach no process. ` +
          `Start the missing shards (every shard 0–${count - 1} must run in one process)`,
      );
    }
  }
}

/** `0–3, 6` for 0, 1, 2, 3, 6. */
function idRanges(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length;) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(i === j ? `${ids[i]}` : `${ids[i]}–${ids[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
