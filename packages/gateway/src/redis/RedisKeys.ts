import { ValidationError } from '@bot/core';

/** Where a bot's keys live: `<prefix>:{<appId>}:…`. */
export interface RedisNamespace {
  /** The bot's AppID; every key of one bot carries it, so several bots can share a server. */
  appId: string;
  /** First part of every key (`qqbot` by default); separates environments or deployments. */
  prefix?: string | undefined;
}

/** Default first part of every key. */
export const DEFAULT_KEY_PREFIX = 'qqbot';

const FORBIDDEN = /[{}\s]/;

/**
 * Names every Redis key the distributed pieces use. The AppID sits in a `{hash tag}`, so all keys
 * of one bot map to one Redis Cluster slot and the Lua scripts may touch several of them.
 *
 * | key | type | holds |
 * |---|---|---|
 * | `qqbot:{app}:identify` | hash | budget (`total`, `remaining`, `resetAt`, `periodMs`), `maxConcurrency`, `windowMs`, ticket counter |
 * | `qqbot:{app}:identify:queue:<bucket>` | sorted set | waiting shards in arrival order |
 * | `qqbot:{app}:identify:leases` | sorted set | lease expiry of every waiting shard |
 * | `qqbot:{app}:identify:next:<bucket>` | string | when the bucket may identify again |
 * | `qqbot:{app}:identify:grant:<ticket>` | hash | a recent grant, so a repeated call or a release can find it |
 * | `qqbot:{app}:session:<shard>` | string | JSON `{sessionId, seq, shardCount}` with a TTL |
 * | `qqbot:{app}:shard:<shard>:owner` | string | the process running the shard (its lease), with a TTL |
 * | `qqbot:{app}:shard:counts` | set | the shard counts that have (or recently had) leases |
 * | `qqbot:{app}:shard:counts:<count>` | sorted set | the shards of that count with leases, scored by expiry (Redis time, ms) |
 * | `qqbot:{app}:events` | stream | published dispatches, fields `shard`, `shards` and `payload` |
 * | `qqbot:{app}:events:dead` | stream | events that could not be published, with why (dead letters) |
 * | `qqbot:{app}:events:seen:<event id>` | string | marks an event id as published (dedupe `eventId`) |
 * | `qqbot:{app}:events:ahead:<shard>:<session>` | sorted set | seqs appended above the stored seq (dedupe `sequence`) |
 * | `qqbot:{app}:events:publish:<token>` | string | marks a publish of an event without id (makes its retries safe) |
 */
export class RedisKeys {
  /** `<prefix>:{<appId>}`, the start of every key. */
  public readonly base: string;

  /**
   * @param namespace - AppID and prefix
   * @throws {@link ValidationError} for an empty AppID or prefix, or one containing braces or spaces
   */
  public constructor(namespace: RedisNamespace) {
    const prefix = namespace.prefix ?? DEFAULT_KEY_PREFIX;
    if (namespace.appId === '' || FORBIDDEN.test(namespace.appId)) {
      throw new ValidationError(
        'appId',
        `must be non-empty without braces or spaces (got "${namespace.appId}")`,
      );
    }
    if (prefix === '' || FORBIDDEN.test(prefix)) {
      throw new ValidationError('prefix', `must be non-empty without braces or spaces (got "${prefix}")`);
    }
    this.base = `${prefix}:{${namespace.appId}}`;
  }

  /** The identify queue's state hash; the queue's other keys extend this name. */
  public get identify(): string {
    return `${this.base}:identify`;
  }

  /** The stored session of one shard. */
  public session(shardId: number): string {
    return `${this.base}:session:${shardId}`;
  }

  /** The lease of one shard: which process runs it (see `RedisShardLeases`). */
  public shardOwner(shardId: number): string {
    return `${this.base}:shard:${shardId}:owner`;
  }

  /**
   * The shard counts of the leases (a set); each count's leases are in `…:shard:counts:<count>`, a
   * sorted set of shard ids scored by expiry (see `RedisShardLeases`).
   */
  public get shardCounts(): string {
    return `${this.base}:shard:counts`;
  }

  /** The start of every lease key, `…:shard:` (a lease is `…:shard:<id>:owner`). */
  public get shardPrefix(): string {
    return `${this.base}:shard:`;
  }

  /** The event stream. */
  public get events(): string {
    return `${this.base}:events`;
  }

  /** The dead-letter stream: events the publisher could not append, with the reason. */
  public get deadLetters(): string {
    return `${this.base}:events:dead`;
  }

  /** Start of the keys marking published event ids (`…:events:seen:<id>`). */
  public get seenPrefix(): string {
    return `${this.base}:events:seen:`;
  }

  /**
   * Sequence numbers of one session's dispatches appended above the session's stored seq (out of
   * order), until the stored seq passes them: how dedupe by sequence knows them.
   */
  public publishedAhead(shardId: number, sessionId: string): string {
    return `${this.base}:events:ahead:${shardId}:${sessionId}`;
  }

  /** Start of the keys marking publishes of events without an id (`…:events:publish:<token>`). */
  public get publishPrefix(): string {
    return `${this.base}:events:publish:`;
  }
}
