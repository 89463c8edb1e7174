import type { ShardNotifier } from '../shard/ShardNotifier.js';
import type { ShardState } from '../shard/ShardState.js';
import type { ShardItem } from './messages.js';
import type { StatusMirror } from './StatusMirror.js';
import { shardErrorFromWire } from './wireError.js';
import type { WorkerShardFatal } from './WorkerShardFatal.js';

/** What a thread reports of its shard, but the results of its closes and sends and its op 9 count. */
export type ShardReport = Exclude<ShardItem, { 1: 'closed' | 'sent' | 'invalidated' }>;

/**
 * What a `WorkerShard`'s thread reports of it (but the results of its closes and sends), taken in
 * order: each report is kept in the shard's status and, but a `handled` one, emitted by the shard
 * as its event (a listener that throws is reported, as a `Shard`'s); an error is kept too, as the
 * reason of a `fatal` state to come.
 */
export class WorkerShardReports {
  readonly #id: number;
  readonly #notify: Pick<ShardNotifier, 'emit' | 'report'>;
  readonly #mirror: StatusMirror;
  readonly #fatal: WorkerShardFatal;
  readonly #changed: (state: ShardState, previous: ShardState) => void;

  /**
   * @param id - the shard's id
   * @param notify - emits the shard's events
   * @param mirror - its status
   * @param fatal - why it stopped for good, once it has
   * @param changed - tells the shard's listeners of a state change
   */
  public constructor(
    id: number,
    notify: Pick<ShardNotifier, 'emit' | 'report'>,
    mirror: StatusMirror,
    fatal: WorkerShardFatal,
    changed: (state: ShardState, previous: ShardState) => void,
  ) {
    this.#id = id;
    this.#notify = notify;
    this.#mirror = mirror;
    this.#fatal = fatal;
    this.#changed = changed;
  }

  /** One thing the thread reports, in order. */
  public take(item: ShardReport): void {
    switch (item[1]) {
      case 'dispatch':
        // The shard's resume point, not the highest seq: one far ahead is delivered, not resumed from.
        if (item[3] !== false) this.#mirror.sawSeq(item[2].s);
        this.#notify.emit('dispatch', item[2]);
        return;
      case 'handled':
        this.#mirror.sawSeq(item[2]);
        return;
      case 'state': {
        const previous = this.#mirror.state;
        this.#mirror.report(item[4]);
        // The previous state as seen here: after a thread restart it is `reconnecting`, not `idle`.
        if (previous !== item[2]) this.#changed(item[2], previous);
        return;
      }
      case 'heartbeat':
        this.#mirror.sawHeartbeat(item[2]);
        this.#notify.emit('heartbeat', item[2]);
        return;
      case 'close':
        this.#mirror.sawClose(item[2].code);
        this.#notify.emit('close', item[2]);
        return;
      case 'debug':
        this.#notify.emit('debug', item[2]);
        return;
      case 'error': {
        const error = shardErrorFromWire(item[2], this.#id);
        this.#fatal.reported(error);
        this.#notify.report(error);
        return;
      }
    }
  }
}
