import { messageOf, type BotLogger } from '@bot/core';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import type { DurableSeq } from './messages.js';
import type { WorkerShard } from './WorkerShard.js';

/**
 * A session a thread asks to store, its seq capped at what crossed to the main thread (or, with a
 * handler module, at what the thread's handler finished): the store then never holds a resume
 * point past what the handlers were given (at least once). A session not seen there yet resumes
 * from its start.
 *
 * @param shard - the shard's stand-in on the main thread, if it still has one
 * @param session - the session as the thread has it
 */
export function deliverableSession(shard: WorkerShard | undefined, session: SessionInfo): SessionInfo {
  const status = shard?.status();
  const delivered = status?.sessionId === session.sessionId ? (status.seq ?? 0) : 0;
  return { ...session, seq: Math.min(session.seq, delivered) };
}

/**
 * Writes each shard's session as delivered to the main thread (or forgets an invalidated one), so
 * the next thread, or the next run, resumes from there. Never rejects: a failed write is logged.
 */
export function saveSessions(
  shards: Iterable<WorkerShard>,
  store: SessionStore,
  log: BotLogger,
): Promise<void> {
  const saves = [...shards].map(async (shard) => {
    const invalidating = shard.invalidating;
    const session = shard.session;
    try {
      if (invalidating) await store.delete(shard.id);
      else if (session !== undefined) await store.set(shard.id, session);
    } catch (error) {
      log.error(`shard ${shard.id}: could not save its session after the thread exited: ${messageOf(error)}`);
    }
  });
  return Promise.all(saves).then(() => undefined);
}

/** What {@link DurableSeqTold} reads of a shard's stand-in on the main thread. */
export type CrossedStatus = Pick<WorkerShard, 'id' | 'status'>;

/**
 * How far the store holds each shard's session durably (`SessionStore.durableSeq`), capped at what
 * crossed to the main thread, as last told to the thread: only what moved is told again.
 */
export class DurableSeqTold {
  readonly #told = new Map<number, { sessionId: string; seq: number }>();

  /**
   * What to tell the thread about `shards`: those whose durable seq moved since it was last told.
   * Never more than crossed: the thread acknowledges what it is told until told again, a round trip
   * later, and reads on meanwhile. A store that answers for every seq (a client's handled point with
   * its lane drained: `Infinity`) would have it acknowledge events this thread has not received, and
   * a crash then stores the shard behind them (a strict platform refuses that resume).
   */
  public moved(shards: readonly CrossedStatus[], store: SessionStore): DurableSeq[] {
    const seqs: DurableSeq[] = [];
    for (const shard of shards) {
      const { sessionId, seq: crossed } = shard.status();
      const durable = sessionId === undefined ? undefined : store.durableSeq?.(shard.id, sessionId);
      if (sessionId === undefined || durable === undefined) continue;
      const seq = Math.min(durable, crossed ?? 0);
      const told = this.#told.get(shard.id);
      if (told?.sessionId === sessionId && told.seq === seq) continue;
      this.#told.set(shard.id, { sessionId, seq });
      seqs.push([shard.id, sessionId, seq]);
    }
    return seqs;
  }

  /**
   * Whether the thread was told less of one of `shards` than crossed to this thread: its session
   * has dispatches here past the durable seq last told (or none was told of it), so that seq may
   * still move with nothing more read or stored.
   */
  public behind(shards: Iterable<CrossedStatus>): boolean {
    for (const shard of shards) {
      const { sessionId, seq } = shard.status();
      if (sessionId === undefined || seq === null) continue;
      const told = this.#told.get(shard.id);
      if (told?.sessionId !== sessionId || told.seq < seq) return true;
    }
    return false;
  }

  /** The thread no longer knows anything of shard `id` (or, without `id`, of any shard). */
  public forget(id?: number): void {
    if (id === undefined) this.#told.clear();
    else this.#told.delete(id);
  }
}
