import { ShardManager, type SessionStore, type ShardManagerOptions } from '@bot/gateway';
import { ConfirmedSeqStore } from './ConfirmedSeqStore.js';
import { ForwardQueue, type Downstream, type ForwardedEvent } from './ForwardQueue.js';

/** Events queued per shard at which it stops reading, unless `highMark` says otherwise. */
export const DEFAULT_HIGH_MARK = 100;
/** Events queued per shard at which it reads again, unless `lowMark` says otherwise. */
export const DEFAULT_LOW_MARK = 50;

/** How a {@link GatewayProxy} is set up. */
export interface GatewayProxyOptions {
  /**
   * The manager's options; its session store is `store`, wrapped. No `strategy`: the shards run
   * in this process, where a pause stops the next event at once. On a worker thread a pause is a
   * message, and the events already on their way to the main thread (up to the strategy's
   * `maxUnacked`, 4,096 by default) still arrive, so `highMark` would not bound the queue. To use
   * more cores, run more proxy processes, each with its own shards.
   */
  manager: Omit<ShardManagerOptions, 'sessionStore' | 'onDispatch' | 'strategy'>;
  /** Where sessions live durably, so a restarted proxy resumes where the downstream stopped. */
  store: SessionStore;
  /** Where events go. */
  downstream: Downstream;
  /** Events queued per shard at which it stops reading ({@link DEFAULT_HIGH_MARK} by default). */
  highMark?: number;
  /** Events queued per shard at which it reads again ({@link DEFAULT_LOW_MARK} by default). */
  lowMark?: number;
  /** Permanent refusals of one event before it goes to `onDeadLetter` (3 by default). */
  maxRefusals?: number;
  /** Least time between two stored seqs of one shard (1,000 ms by default). */
  minWriteIntervalMs?: number;
  /**
   * Hears of forwards that failed (retried), confirmation writes that failed, a listener that
   * threw, and every {@link SessionReplacedError}. What it throws is ignored.
   */
  onError?: (error: unknown, shardId: number) => void;
  /**
   * Takes an event the downstream refused permanently (`permanent: true` on its error, as
   * `httpDownstream` marks a 4xx other than 408 and 429) `maxRefusals` times: the shard's queue
   * moves past it once this resolves, and stays on it, retrying, while this throws. By default it
   * reports a {@link DeadLetterError} through `onError` (so the event is in the log, and dropped).
   */
  onDeadLetter?: (event: ForwardedEvent, error: unknown) => void | Promise<void>;
}

/** A `strategy` was passed in the proxy's manager options; the proxy's shards run in process. */
export class ProxyStrategyError extends TypeError {
  public override readonly name = 'ProxyStrategyError';

  /** Says why, and what to do instead. */
  public constructor() {
    super(
      'GatewayProxy runs its shards in process and takes no manager strategy: on worker threads the ' +
        'events already sent to the main thread when a shard pauses would pass the high mark. ' +
        'Leave strategy out; to use more cores, run more proxy processes with shards of their own.',
    );
  }
}

/** An event the downstream refused permanently, given up (the default `onDeadLetter`). */
export class DeadLetterError extends Error {
  public override readonly name = 'DeadLetterError';

  /**
   * @param event - the event given up, whole, so a log holds it
   * @param cause - the downstream's last refusal
   */
  public constructor(
    public readonly event: ForwardedEvent,
    cause: unknown,
  ) {
    super(
      `the downstream refused ${event.payload.t} (shard ${event.shardId}, seq ${event.payload.s ?? '-'}, ` +
        `id ${event.payload.id ?? '-'}) permanently; it was given up and the shard's queue moved on. ` +
        `Pass onDeadLetter to keep such events: ${JSON.stringify(event.payload)}`,
      { cause },
    );
  }
}

/**
 * A shard started a new session in place of one it had (its resume was refused, or the platform
 * invalidated it): the platform replays events only to a resume of the same session, so whatever
 * it sent the old session and this proxy had not read is lost. The proxy cannot count those (it
 * never saw them), so it reports every replaced session; a long outage, with reading paused or the
 * connection down, makes it likely. The old session's events still queued here are forwarded.
 */
export class SessionReplacedError extends Error {
  public override readonly name = 'SessionReplacedError';

  /**
   * @param shardId - the shard
   * @param old - the session that ended, the last seq read of it, and the last one confirmed
   * @param queued - events of the old session still queued here (they are forwarded)
   */
  public constructor(
    public readonly shardId: number,
    public readonly old: { sessionId: string; readSeq: number; confirmedSeq: number | undefined },
    public readonly queued: number,
  ) {
    super(
      `shard ${shardId} identified a new session; session ${old.sessionId} ended with seq ${old.readSeq} read ` +
        `and ${old.confirmedSeq ?? 'none'} confirmed downstream. ` +
        `Events the platform sent that session after seq ${old.readSeq} and had not delivered are lost ` +
        `(it replays only to a resume); ${queued} still queued here are forwarded. Reconcile the ` +
        `downstream from the platform's API if they matter, and give the downstream more capacity ` +
        `or the proxy less downtime: a long outage outlasts the platform's replay window.`,
    );
  }
}

/** How a {@link GatewayProxy.stop} ended. */
export interface ProxyStopReport {
  /** Events read but not confirmed by the deadline; the next process resumes before them. */
  unconfirmed: number;
}

/** Holder under which {@link GatewayProxy.stop} stops every shard's reading. */
const STOPPING = 'proxy-stopping';

/**
 * A gateway proxy: `@bot/gateway`'s shards forwarding every raw dispatch to a downstream service,
 * at the downstream's pace and without losing events in a crash. The parts, each in its own file:
 *
 * - {@link ForwardQueue}: a bounded queue per shard whose high and low marks pause and resume the
 *   shard's reading, so a slow downstream holds the backlog on the platform's side, not here;
 * - {@link ConfirmedSeqStore}: the session store wrapped so that the stored resume point and what
 *   heartbeats acknowledge are the last seq the downstream confirmed, not the last one read.
 *
 * The backlog on the platform's side is kept only within its replay limits: after a long outage
 * (a downstream down, a connection lost while paused), the platform may refuse the resume and the
 * shard identifies a new session; the old one's unread events are then lost, and the proxy says
 * so through `onError` with a {@link SessionReplacedError}.
 */
export class GatewayProxy {
  /** The shards. Start them with any of its `start*` methods. */
  public readonly manager: ShardManager;
  /** The events on their way downstream. */
  public readonly queue: ForwardQueue;
  /** The session store as the shards see it. */
  public readonly store: ConfirmedSeqStore;

  /** The session and last seq each shard's events were read in, to tell a new session. */
  readonly #lastRead = new Map<number, { sessionId: string; seq: number }>();
  /** The last event each shard's downstream confirmed (the store forgets a session it deletes). */
  readonly #lastConfirmed = new Map<number, { sessionId: string; seq: number }>();
  readonly #onError: (error: unknown, shardId: number) => void;

  /**
   * @param options - manager options, store, downstream, marks, listeners
   * @throws ProxyStrategyError when `options.manager` has a `strategy`
   * @throws RangeError when the marks, `maxRefusals` or `minWriteIntervalMs` are out of range
   */
  public constructor(options: GatewayProxyOptions) {
    if ((options.manager as Partial<ShardManagerOptions>).strategy !== undefined)
      throw new ProxyStrategyError();
    const listener = options.onError ?? (() => undefined);
    const onError = (error: unknown, shardId: number): void => {
      try {
        listener(error, shardId);
      } catch {
        // A listener that throws must not stop the proxy.
      }
    };
    this.#onError = onError;
    this.store = new ConfirmedSeqStore(options.store, onError, options.minWriteIntervalMs);
    const manager = new ShardManager({ ...options.manager, sessionStore: this.store });
    this.manager = manager;
    this.queue = new ForwardQueue({
      downstream: options.downstream,
      reading: manager,
      highMark: options.highMark ?? DEFAULT_HIGH_MARK,
      lowMark: options.lowMark ?? DEFAULT_LOW_MARK,
      maxRefusals: options.maxRefusals,
      onConfirmed: ({ shardId, sessionId, payload }) => {
        if (sessionId !== undefined && typeof payload.s === 'number') {
          this.#lastConfirmed.set(shardId, { sessionId, seq: payload.s });
          this.store.confirm(shardId, sessionId, payload.s);
        }
      },
      onError: (error, event) => onError(error, event.shardId),
      onDeadLetter:
        options.onDeadLetter ?? ((event, error) => onError(new DeadLetterError(event, error), event.shardId)),
    });
    manager.on('dispatch', (payload, shardId) => {
      // The session the event's seq counts in: after a READY, already the new one.
      const sessionId = manager.shards.get(shardId)?.status().sessionId;
      if (sessionId !== undefined) this.#noteRead(shardId, sessionId, payload.s);
      this.queue.push({ shardId, sessionId, payload });
    });
    // A new session may start with no event to tell of it.
    manager.on('state', (state, _previous, shardId) => {
      if (state !== 'ready') return;
      const sessionId = manager.shards.get(shardId)?.status().sessionId;
      if (sessionId !== undefined) this.#noteRead(shardId, sessionId, undefined);
    });
  }

  /** Records how far the shard read; reports a session replaced by a new one. */
  #noteRead(shardId: number, sessionId: string, seq: number | undefined): void {
    // Before this process read anything: the session an earlier one stored.
    const last = this.#lastRead.get(shardId) ?? this.store.loadedSession(shardId);
    if (last !== undefined && last.sessionId !== sessionId) {
      const confirmed = this.#lastConfirmed.get(shardId);
      const confirmedSeq =
        confirmed?.sessionId === last.sessionId
          ? confirmed.seq
          : this.store.confirmedSeq(shardId, last.sessionId);
      const queued = this.queue.queued(shardId, last.sessionId);
      const old = { sessionId: last.sessionId, readSeq: last.seq, confirmedSeq };
      this.#onError(new SessionReplacedError(shardId, old, queued), shardId);
    }
    const sameSession = last?.sessionId === sessionId;
    this.#lastRead.set(shardId, {
      sessionId,
      seq: typeof seq === 'number' ? seq : sameSession ? (last?.seq ?? 0) : 0,
    });
  }

  /**
   * Stops in order: every shard stops reading; the queue has `drainMs` to get what it holds
   * confirmed, then closes, cutting a forward still under way (its answer confirms nothing); the
   * confirmations not yet stored are written; the shards close without invalidating their sessions
   * (within the manager's `shutdownTimeoutMs`), stored at the last confirmed seq; the last store
   * writes finish. Nothing is confirmed after this returns. Whatever was not confirmed in time is
   * not lost: the next process resumes before it (a cut forward may reach the downstream twice).
   *
   * @param drainMs - how long the downstream may take to confirm what is queued
   */
  public async stop(drainMs: number): Promise<ProxyStopReport> {
    for (const id of this.manager.shards.keys()) this.manager.pause(id, STOPPING);
    const unconfirmed = await this.queue.drain(drainMs);
    await this.store.close();
    await this.manager.handoff();
    await this.store.settled();
    return { unconfirmed };
  }
}
