import type { Redis } from 'ioredis';
import type { BotLogger } from '@bot/core';
import type { RedisKeys } from '../RedisKeys.js';
import { ADVANCE_SESSION } from '../session/scripts.js';
import type { PublishWatermark } from './PublishWatermark.js';

/** The session a shard's publishes checkpoint. */
interface FollowedSession {
  id: string;
  /** The highest seq a publish confirmed stored. */
  durable: number | undefined;
  /** The highest seq a publish began with. */
  highest: number | undefined;
  /** A checkpoint of its own (no event) is under way. */
  advancing: boolean;
  onMissing: (() => void) | undefined;
  /** Whether `onMissing` was called since the session was last found. */
  missingReported: boolean;
}

/** What one publish try carries for the checkpoint. */
export interface CheckpointArgs {
  /** The session's key (the stream's when there is none: a script names every key it touches). */
  key: string;
  /** The session id, `''` for none. */
  sessionId: string;
  /** The seq below which every dispatch of the shard is in the stream once this one is. */
  durable: number;
}

/**
 * The publisher's half of "the stream is the checkpoint" (docs/redis-deployment.md, "Durable
 * sequence"): which session each shard's publishes move, the seq each publish try may store, and
 * how far Redis confirmed storing it. A burst of publishes stores only as far as was published
 * when each was sent, so once the last of them lands one more round trip stores the rest.
 */
export class RedisEventPublisherCheckpoints {
  readonly #sessions = new Map<number, FollowedSession>();

  public constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly watermark: PublishWatermark,
    private readonly log: BotLogger,
  ) {}

  /** {@inheritDoc PublishedSeqSource.followSession} */
  public follow(shardId: number, sessionId: string | undefined, onMissing?: () => void): void {
    if (sessionId === undefined) this.#sessions.delete(shardId);
    else if (this.#sessions.get(shardId)?.id !== sessionId) {
      this.#sessions.set(shardId, {
        id: sessionId,
        durable: undefined,
        highest: undefined,
        advancing: false,
        onMissing,
        missingReported: false,
      });
    }
  }

  /** {@inheritDoc PublishedSeqSource.durableSeq} */
  public durableSeq(shardId: number, sessionId: string): number | undefined {
    const session = this.#sessions.get(shardId);
    return session?.id === sessionId ? session.durable : undefined;
  }

  /** A publish of `seq` began (after the watermark heard of it). */
  public began(shardId: number, seq: number): void {
    const session = this.#sessions.get(shardId);
    if (session !== undefined && (session.highest === undefined || seq > session.highest)) {
      session.highest = seq;
    }
  }

  /** What a try of a publish of `seq` for `shardId` checkpoints, worked out when it is sent. */
  public argsFor(shardId: number | undefined, seq: number | undefined): CheckpointArgs {
    if (shardId === undefined || seq === undefined)
      return { key: this.keys.events, sessionId: '', durable: 0 };
    return {
      key: this.keys.session(shardId),
      sessionId: this.#sessions.get(shardId)?.id ?? '',
      durable: this.watermark.durableWith(shardId, seq),
    };
  }

  /** A publish's script stored `storedSeq` for session `sessionId` (-1: the session is not stored). */
  public landed(shardId: number, sessionId: string, storedSeq: number): void {
    const session = this.#sessions.get(shardId);
    if (session === undefined || session.id !== sessionId) return;
    if (storedSeq >= 0) {
      session.missingReported = false;
      if (session.durable === undefined || storedSeq > session.durable) session.durable = storedSeq;
    } else if (!session.missingReported) {
      session.missingReported = true;
      session.onMissing?.();
    }
  }

  /** After a publish settled: stores what is now published, once no publish of the shard is left. */
  public catchUp(shardId: number): void {
    const session = this.#sessions.get(shardId);
    if (session === undefined || session.advancing || session.highest === undefined) return;
    const upTo = this.watermark.publishedUpTo(shardId, session.highest);
    if (upTo < session.highest || (session.durable !== undefined && session.durable >= upTo)) return;
    session.advancing = true;
    ADVANCE_SESSION.run(this.redis, [this.keys.session(shardId)], [session.id, upTo]).then(
      (stored) => {
        session.advancing = false;
        this.landed(shardId, session.id, Number(stored));
        this.catchUp(shardId);
      },
      (error: unknown) => {
        // The next publish, or the session store's own write, stores it instead.
        session.advancing = false;
        this.log.debug(`could not checkpoint shard ${shardId}: ${String(error)}`);
      },
    );
  }
}
