import type { Redis } from 'ioredis';
import type { BotLogger } from '@bot/core';
import type { RedisKeys } from '../RedisKeys.js';
import { ADVANCE_SESSION } from '../session/scripts.js';
import { PublishWatermark } from './PublishWatermark.js';
import { messageOf } from '@bot/core';

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

/**
 * The session a publish checkpoints, fixed when the publish begins: a try sent after the shard
 * moved on to a new session still belongs to the old one (docs/redis-deployment.md, "Durable
 * sequence"), so it can neither move the new session's seq nor count as one of its events.
 */
export interface PublishLane {
  shardId: number;
  /** The session id, `''` for none. */
  sessionId: string;
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
  /** Publishes under way, per shard and session (lane key `<shard>/<session>`). */
  readonly #watermark = new PublishWatermark<string>();

  public constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly log: BotLogger,
  ) {}

  /** The session a publish of the shard beginning now checkpoints (the one followed now). */
  public laneOf(shardId: number): PublishLane {
    return { shardId, sessionId: this.#sessions.get(shardId)?.id ?? '' };
  }

  /** A publish of `seq` in `lane` began. */
  public began(lane: PublishLane, seq: number): void {
    this.#watermark.begin(laneKey(lane), seq);
    const session = this.#sessions.get(lane.shardId);
    if (session?.id === lane.sessionId && (session.highest === undefined || seq > session.highest)) {
      session.highest = seq;
    }
  }

  /** A publish of `seq` in `lane` settled; stores what is now published. */
  public settled(lane: PublishLane, seq: number): void {
    this.#watermark.settle(laneKey(lane), seq);
    this.catchUp(lane.shardId);
  }

  /**
   * How far the session's dispatches up to `seq` are published (see `PublishWatermark`).
   * Publishes begun before any session was followed count for every session of the shard.
   */
  public publishedUpTo(shardId: number, seq: number, sessionId = this.laneOf(shardId).sessionId): number {
    const own = this.#watermark.publishedUpTo(laneKey({ shardId, sessionId }), seq);
    if (sessionId === '') return own;
    return Math.min(own, this.#watermark.publishedUpTo(laneKey({ shardId, sessionId: '' }), seq));
  }

  /** Resolves once {@link RedisEventPublisherCheckpoints.publishedUpTo} is `seq`. */
  public async whenPublished(
    shardId: number,
    seq: number,
    sessionId = this.laneOf(shardId).sessionId,
  ): Promise<void> {
    await this.#watermark.whenPublished(laneKey({ shardId, sessionId: '' }), seq);
    await this.#watermark.whenPublished(laneKey({ shardId, sessionId }), seq);
  }

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

  /**
   * What a try of a publish of `seq` in `lane` checkpoints: the lane's session, fixed for every
   * try, and the durable seq worked out anew (publishes before this one may have landed since).
   */
  public argsFor(lane: PublishLane | undefined, seq: number | undefined): CheckpointArgs {
    if (lane === undefined || seq === undefined) return { key: this.keys.events, sessionId: '', durable: 0 };
    const own = this.#watermark.durableWith(laneKey(lane), seq);
    const unfollowed =
      lane.sessionId === '' ? own : this.#watermark.publishedUpTo(laneKey({ ...lane, sessionId: '' }), seq);
    return {
      key: this.keys.session(lane.shardId),
      sessionId: lane.sessionId,
      durable: Math.min(own, unfollowed),
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
  private catchUp(shardId: number): void {
    const session = this.#sessions.get(shardId);
    if (session === undefined || session.advancing || session.highest === undefined) return;
    const upTo = this.publishedUpTo(shardId, session.highest, session.id);
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
        this.log.debug(`could not checkpoint shard ${shardId}: ${messageOf(error)}`);
      },
    );
  }
}

/** The watermark key of a lane. */
function laneKey(lane: PublishLane): string {
  return `${lane.shardId}/${lane.sessionId}`;
}
