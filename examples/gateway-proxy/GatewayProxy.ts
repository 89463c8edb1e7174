import { ShardManager, type SessionStore, type ShardManagerOptions } from '@bot/gateway';
import { ConfirmedSeqStore } from './ConfirmedSeqStore.js';
import { ForwardQueue, type Downstream } from './ForwardQueue.js';

/** How a {@link GatewayProxy} is set up. */
export interface GatewayProxyOptions {
  /** The manager's options; its session store is `store`, wrapped. */
  manager: Omit<ShardManagerOptions, 'sessionStore' | 'onDispatch'>;
  /** Where sessions live durably, so a restarted proxy resumes where the downstream stopped. */
  store: SessionStore;
  /** Where events go. */
  downstream: Downstream;
  /** Events queued per shard at which it stops reading (100 by default). */
  highMark?: number;
  /** Events queued per shard at which it reads again (50 by default). */
  lowMark?: number;
  /** Hears of forwards that failed (retried) and confirmation writes that failed. */
  onError?: (error: unknown, shardId: number) => void;
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
 */
export class GatewayProxy {
  /** The shards. Start them with any of its `start*` methods. */
  public readonly manager: ShardManager;
  /** The events on their way downstream. */
  public readonly queue: ForwardQueue;
  /** The session store as the shards see it. */
  public readonly store: ConfirmedSeqStore;

  /** @param options - manager options, store, downstream, marks */
  public constructor(options: GatewayProxyOptions) {
    const onError = options.onError ?? (() => undefined);
    this.store = new ConfirmedSeqStore(options.store, onError);
    const manager = new ShardManager({ ...options.manager, sessionStore: this.store });
    this.manager = manager;
    this.queue = new ForwardQueue({
      downstream: options.downstream,
      reading: manager,
      highMark: options.highMark ?? 100,
      lowMark: options.lowMark ?? 50,
      onConfirmed: ({ shardId, sessionId, payload }) => {
        if (sessionId !== undefined && typeof payload.s === 'number') {
          this.store.confirm(shardId, sessionId, payload.s);
        }
      },
      onError: (error, event) => onError(error, event.shardId),
    });
    manager.on('dispatch', (payload, shardId) =>
      // The session the event's seq counts in: after a READY, already the new one.
      this.queue.push({ shardId, sessionId: manager.shards.get(shardId)?.status().sessionId, payload }),
    );
  }

  /**
   * Stops in order: every shard stops reading; the queue has `drainMs` to get what it holds
   * confirmed; the shards close without invalidating their sessions (within the manager's
   * `shutdownTimeoutMs`), stored at the last confirmed seq; the last store writes finish. Whatever
   * was not confirmed in time is not lost: the next process resumes before it.
   *
   * @param drainMs - how long the downstream may take to confirm what is queued
   */
  public async stop(drainMs: number): Promise<ProxyStopReport> {
    for (const id of this.manager.shards.keys()) this.manager.pause(id, STOPPING);
    const unconfirmed = await this.queue.drain(drainMs);
    await this.manager.handoff();
    await this.store.settled();
    return { unconfirmed };
  }
}
