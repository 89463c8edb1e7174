import { GatewayError, type SessionInfo, type SessionStore } from '@bot/gateway';

/**
 * How far a shard's events of one session may count as handled (`Dispatcher.handledCap`): a seq,
 * or `undefined` when every event of it read is.
 */
export type HandledCap = (shardId: number, sessionId: string) => number | undefined;

/** What a {@link HandledSessionStore} learns from the client about its shards' events. */
export interface HandledPoint {
  /** How far each shard's events are handled. */
  readonly cap: HandledCap;
  /** Resolves once the shard holds no event unhandled (`Dispatcher.shardIdle`). */
  readonly drained: (shardId: number) => Promise<void>;
  /** A write the store made of its own accord (after a drain) failed: for `error()`. */
  readonly writeFailed: (error: GatewayError) => void;
}

/** One shard's writes through the store. */
interface ShardWrites {
  /** The session last asked to be written, while what was written of it is below its seq. */
  held: SessionInfo | undefined;
  /** The seq last written of the session last asked for. */
  writtenSeq: number;
  /** Settles once the writes under way have been answered; `undefined` when none is. */
  writing: Promise<void> | undefined;
  /** Whether a write waits for the shard's events to drain. */
  awaitingDrain: boolean;
}

const noop = (): void => undefined;

/**
 * The session store a client's shards are given when their events are handled in this process
 * (shards in process, or on worker threads with the handlers here): the user's store, with every
 * session written capped at how far its shard's events are handled, and `durableSeq` capped there
 * too, so heartbeats and resumes acknowledge no further. A shard reads its events ahead of the
 * handlers (they queue in its lane); without the cap, a process killed with a backlog, or a
 * shutdown that gave up on one, left a session that resumes after events no handler finished, and
 * the next process never got them. With it, the next process resumes from the handled point and
 * the platform replays what was queued (at least once: an event handled after the last write is
 * handled again).
 *
 * A shard writes its session only as it reads (within its `seqFlushDelayMs`) and as it closes. A
 * write held back by a backlog would stay behind until the next event, for as long as the bot is
 * quiet, and a crash meanwhile replayed events that were all handled: so once the shard's events
 * have drained, the store writes the session it was last asked for once more, at the new handled
 * point. One such write per held-back write at most, none while the shard keeps events queued
 * (its own writes go on then), and no timer: it waits on the lane.
 */
export class HandledSessionStore implements SessionStore {
  readonly #store: SessionStore;
  readonly #point: HandledPoint;
  readonly #shards = new Map<number, ShardWrites>();

  /**
   * @param store - where the sessions live
   * @param point - how far each shard's events are handled, when they drain, and where a failed
   *   write of the store's own goes
   */
  public constructor(store: SessionStore, point: HandledPoint) {
    this.#store = store;
    this.#point = point;
  }

  /** {@inheritDoc SessionStore.get} */
  public get(shardId: number): Promise<SessionInfo | undefined> {
    return this.#store.get(shardId);
  }

  /**
   * {@inheritDoc SessionStore.set}; its seq capped at the last event handled when the write starts
   * (after a write of the store's own under way, if any).
   */
  public set(shardId: number, session: SessionInfo): Promise<void> {
    const shard = this.#shardOf(shardId);
    return this.#queue(shard, () => {
      const cap = this.#point.cap(shardId, session.sessionId);
      const seq = cap === undefined || session.seq <= cap ? session.seq : Math.max(0, cap);
      shard.writtenSeq = seq;
      shard.held = seq < session.seq ? session : undefined;
      if (shard.held !== undefined) this.#catchUpAfterDrain(shardId, shard);
      return this.#store.set(shardId, seq === session.seq ? session : { ...session, seq });
    });
  }

  /** {@inheritDoc SessionStore.delete} */
  public delete(shardId: number): Promise<void> {
    const shard = this.#shardOf(shardId);
    return this.#queue(shard, () => {
      shard.held = undefined;
      return this.#store.delete(shardId);
    });
  }

  /**
   * {@inheritDoc SessionStore.durableSeq}
   *
   * The store's own answer (every seq, for a store that cannot tell) capped at the last event
   * handled; `Infinity` when neither limits it. Always offered, whatever the store: shards in
   * process ask it as they beat, and the main thread tells shards on worker threads its answers.
   */
  public durableSeq(shardId: number, sessionId: string): number | undefined {
    const store = this.#store;
    const durable =
      store.durableSeq === undefined ? Number.POSITIVE_INFINITY : store.durableSeq(shardId, sessionId);
    if (durable === undefined) return undefined;
    const cap = this.#point.cap(shardId, sessionId);
    return cap === undefined ? durable : Math.min(durable, Math.max(0, cap));
  }

  #shardOf(shardId: number): ShardWrites {
    let shard = this.#shards.get(shardId);
    if (shard === undefined) {
      shard = { held: undefined, writtenSeq: 0, writing: undefined, awaitingDrain: false };
      this.#shards.set(shardId, shard);
    }
    return shard;
  }

  /**
   * Runs `write` now, or once the writes under way are answered: the store gets one shard's writes
   * in order, so a write of its own never lands over a newer one of the shard's.
   */
  #queue(shard: ShardWrites, write: () => Promise<void>): Promise<void> {
    const before = shard.writing;
    const written = before === undefined ? write() : before.then(write);
    const settled = written.then(noop, noop);
    shard.writing = settled;
    void settled.then(() => {
      if (shard.writing === settled) shard.writing = undefined;
    });
    return written;
  }

  /** Once the shard's events drain, the held-back session is written at the new handled point. */
  #catchUpAfterDrain(shardId: number, shard: ShardWrites): void {
    if (shard.awaitingDrain) return;
    shard.awaitingDrain = true;
    void this.#point.drained(shardId).then(() => {
      shard.awaitingDrain = false;
      if (shard.held === undefined) return;
      this.#queue(shard, () => this.#catchUp(shardId, shard)).catch((error: unknown) =>
        this.#point.writeFailed(
          new GatewayError(
            'writing the session at the handled point after the events drained failed; the store keeps the earlier point (a resume from it handles those events again) until the shard writes next, as it reads another event or closes',
            shardId,
            { cause: error },
          ),
        ),
      );
    });
  }

  /** Writes the held-back session as far as it is handled now, when that is further than written. */
  #catchUp(shardId: number, shard: ShardWrites): Promise<void> {
    const held = shard.held;
    if (held === undefined) return Promise.resolve();
    const cap = this.#point.cap(shardId, held.sessionId);
    const seq = cap === undefined ? held.seq : Math.min(held.seq, Math.max(0, cap));
    // Not further (a shutdown's abandon point holds it): nothing to write, and no new wait, which
    // an empty lane would answer at once, over and over.
    if (seq <= shard.writtenSeq) return Promise.resolve();
    shard.writtenSeq = seq;
    if (seq === held.seq) shard.held = undefined;
    return this.#store.set(shardId, seq === held.seq ? held : { ...held, seq });
  }
}
