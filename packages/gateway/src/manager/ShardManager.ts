import { type BotLogger, childLogger, createLogger, typedEventEmitter, ValidationError } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { ShutDownBeforeStartError } from '../errors/ShutDownBeforeStartError.js';
import type { StartClashError } from '../errors/StartClashError.js';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import { InMemorySessionStore } from '../session/InMemorySessionStore.js';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import type { PauseHolder } from '../shard/PauseHolders.js';
import { intentBits } from '../shard/ShardOptions.js';
import type { ShardStatus } from '../shard/ShardState.js';
import { createAllOrNone } from './createAllOrNone.js';
import { Launcher, type CheckedLaunch } from './Launcher.js';
import { LeaseWatch } from './leaseWatch.js';
import type { ShardRange } from './shardIds.js';
import { releaseAll } from './ShardLeases.js';
import { RunningGroups } from './ShardGroup.js';
import type { ShardHandle } from './ShardHandle.js';
import { ShardFailures } from './ShardFailures.js';
import type { ShardManagerEvents } from './ShardManagerEvents.js';
import type { ShardManagerOptions } from './ShardManagerOptions.js';
import { ShardRoster } from './ShardRoster.js';
import { inProcessShards, type ShardContext, type ShardStrategy } from './ShardStrategy.js';
import { ShardShutdowns } from './ShardShutdowns.js';
import type { ShutdownOptions } from './shutdown.js';
import { idsOfStartCall, startCalls, type StartCall } from './StartCall.js';
import { logReadyLine } from './readyLine.js';
import { dispatchSinkOf, forwardShardEvents } from './shardEvents.js';
import { onListenerRejection } from '../shard/listenerRejections.js';

export type { ShardManagerEvents } from './ShardManagerEvents.js';

/**
 * Runs the shards of one bot: validates what to start against the session budget, paces
 * identifies through one {@link IdentifyQueue}, keeps sessions in one {@link SessionStore},
 * forwards every shard event with its id, and reports how each `start*` call ends. Dispatches go
 * straight from each shard to {@link ShardManagerOptions.onDispatch} when set, and to `dispatch`
 * listeners while there are any.
 *
 * Each `start*` promise resolves once the user has shut down all of its shards and rejects with
 * a `FatalGatewayError` on a fatal close (see {@link ShardManagerOptions.onFatal}), or with a
 * `WorkerRestartsExhaustedError` when the worker thread running its shards keeps exiting (see
 * {@link ShardManagerOptions.strategy}). A shutdown
 * that comes while the call is still checking (before its shards exist) cancels it: the promise
 * rejects with a {@link ShutDownBeforeStartError} and no shard of it is ever created. A strategy
 * that throws creating a shard fails the call with a `GatewayError` naming the shard (the thrown
 * error as `cause`), after closing the shards of the call it had created; none of them started.
 * A call clashing with the running shards (an id already running, another shard count) rejects
 * with a {@link StartClashError} before anything starts.
 */
export class ShardManager extends typedEventEmitter<ShardManagerEvents>() {
  readonly #options: ShardManagerOptions;
  readonly #roster = new ShardRoster();
  readonly #groups = new RunningGroups();
  readonly #launcher: Launcher;
  readonly #shutdowns: ShardShutdowns;
  readonly #store: SessionStore;
  readonly #logger: BotLogger;
  readonly #log: BotLogger;
  readonly #strategy: ShardStrategy;
  readonly #failures: ShardFailures;
  readonly #leases = new LeaseWatch(this.#roster, (id, error) => this.#failures.leaseLost(id, error));

  /**
   * @param options - credentials, sources, intents and shard behaviour
   * @throws {@link ValidationError} for wrong intents
   */
  public constructor(options: ShardManagerOptions) {
    // An async listener's rejection is reported on `error` like a throw, not left unhandled.
    super({ captureRejections: true });
    const intents = intentBits(options.intents);
    if (!Number.isSafeInteger(intents) || intents < 0) {
      throw new ValidationError('intents', `must be a non-negative integer (got ${intents})`);
    }
    this.#options = options;
    this.#store = options.sessionStore ?? new InMemorySessionStore();
    this.#launcher = new Launcher(options, this.#store, this.#roster, (report) =>
      this.#failures.forward(report, report.shardId),
    );
    this.#shutdowns = new ShardShutdowns(this.#roster, this.#launcher, this.#graceMs());
    this.#logger = options.logger ?? createLogger('gateway');
    this.#log = childLogger(this.#logger, 'shards');
    const onFatal = options.onFatal ?? 'stopAll';
    this.#failures = new ShardFailures(this, this.#roster, this.#groups, this.#log, onFatal);
    onListenerRejection(this, (cause, event, args) => this.#failures.listenerRejected(cause, event, args));
    this.#strategy = options.strategy ?? inProcessShards;
    this.#strategy.check?.(options);
  }

  /** The running shards by id: each a `Shard`, or its stand-in when it runs on a worker thread. */
  public get shards(): ReadonlyMap<number, ShardHandle> {
    return new Map([...this.#roster.running].map(([id, managed]) => [id, managed.shard]));
  }

  /** Starts shard 0 of 1: an unsharded bot. */
  public start(): Promise<void> {
    return this.#startRange(startCalls.start(), { from: 0, to: 0 }, 1);
  }

  /**
   * Starts one shard.
   *
   * @param id - shard id, `0 ≤ id < total`
   * @param total - shard count
   */
  public startShard(id: number, total: number): Promise<void> {
    return this.#startRange(startCalls.startShard(id, total), { from: id, to: id }, total);
  }

  /**
   * Starts shards `0 … total - 1`.
   *
   * @param total - shard count
   */
  public startShards(total: number): Promise<void> {
    return this.#startRange(startCalls.startShards(total), { from: 0, to: total - 1 }, total);
  }

  /**
   * Starts shards `from … to`, both ends included, out of `total`: `{ from: 4, to: 7 }, 10` starts
   * shards 4, 5, 6 and 7 of 10.
   *
   * Every misuse is refused with a {@link ValidationError} (as a rejection, before anything
   * connects) that quotes the call and names the argument as written, with what to do instead:
   * negative or non-integer ids, `from > to`, `to ≥ total`, a count above `MAX_SHARD_COUNT`, ids
   * already running, a count different from the running shards', or more identifies than the
   * session budget has left.
   *
   * @param range - first and last shard id, both included
   * @param total - shard count
   */
  public startShardRange(range: ShardRange, total: number): Promise<void> {
    return this.#startRange(startCalls.startShardRange(range, total), range, total);
  }

  /** Starts as many shards as `/gateway/bot` recommends. */
  public async startAutosharded(): Promise<void> {
    return this.#launcher.launchAutosharded(startCalls.startAutosharded(), this.#createShards);
  }

  /**
   * Reconnects one shard at once, resuming its session (starts it again if it had failed).
   *
   * @throws {@link ValidationError} when no such shard runs here, or it is being shut down
   * @throws {@link GatewayError} when the shard (in-process) is being closed by its own `close()`
   */
  public restart(id: number): void {
    const { shard } = this.#roster.get(id);
    // Started again now, a shard on its way out would outlive its shutdown, with nobody to stop it.
    if (this.#shutdowns.isClosing(id)) {
      throw new ValidationError(
        'id',
        `names shard ${id}, which is shutting down: start it again once shutdown(${id}) has resolved`,
      );
    }
    shard.restart();
  }

  /**
   * Stops reading one shard's events for back-pressure under `holder`; heartbeats go on. Same as
   * `manager.shards.get(id).pause(holder)`, in-process or on a worker thread (see `Shard.pause`):
   * the shard reads again only once every holder has resumed.
   *
   * @example
   * ```ts
   * manager.pause(0, 'audit');
   * manager.pause(0); // the default holder, which a resume(0) without one lifts
   * manager.resume(0); // still paused: 'audit' holds it
   * manager.resume(0, 'audit'); // reads again, held events first
   * ```
   *
   * @param id - the shard
   * @param holder - who holds the pause; the default holder (`DEFAULT_PAUSE_HOLDER`) without one
   * @throws {@link ValidationError} when no such shard runs here
   */
  public pause(id: number, holder?: PauseHolder): void {
    this.#roster.get(id).shard.pause(holder);
  }

  /**
   * Releases `holder`'s pause of one shard; once no holder is left it reads again, held events
   * first (see `Shard.resume`). A holder that is not holding releases nothing.
   *
   * @param id - the shard
   * @param holder - whose pause to release; the default holder without one
   * @throws {@link ValidationError} when no such shard runs here
   */
  public resume(id: number, holder?: PauseHolder): void {
    this.#roster.get(id).shard.resume(holder);
  }

  /**
   * Shuts one shard down. Its `start*` promise resolves once all of that call's shards are down.
   * Calls for a shard already shutting down share that shutdown. A shard whose `start*` call is
   * still checking cancels that call, with every shard of it (see the class).
   *
   * @returns the session left behind (resumable), or `undefined` when invalidated or never started
   * @throws {@link ValidationError} (as a rejection) when no such shard runs or starts here
   */
  public shutdown(id: number, options: ShutdownOptions = {}): Promise<SessionInfo | undefined> {
    return this.#shutdowns.shutdown(id, options);
  }

  /**
   * Shuts every shard down in parallel, all against one deadline; then waits for what the
   * strategy ran for them to end (worker threads, whose handler module may finish first).
   */
  public async shutdownAll(options: ShutdownOptions = {}): Promise<void> {
    await this.#shutdowns.shutdownEach(options);
    await this.#strategy.ended?.();
  }

  /**
   * Closes every shard without invalidating its session and returns the sessions, for another
   * process to resume (they are in the session store as well).
   */
  public async handoff(): Promise<Map<number, SessionInfo>> {
    const sessions = await this.#shutdowns.shutdownEach({ invalidateSessions: false });
    await this.#strategy.ended?.();
    return sessions;
  }

  /** State, latency, seq, session id, reconnects and last close code of every shard. */
  public status(): ShardStatus[] {
    return [...this.#roster.running.values()].map(({ shard }) => shard.status()).sort((a, b) => a.id - b.id);
  }

  #graceMs(): number {
    return this.#options.shutdownTimeoutMs ?? 5_000;
  }

  async #startRange(call: StartCall, range: ShardRange, total: number): Promise<void> {
    return this.#launcher.launch(call, idsOfStartCall(call, range, total), total, this.#createShards);
  }

  /**
   * Creates the shards of a checked `start*` call, all or none (see {@link createAllOrNone}), and
   * starts them; see the class for the promise.
   */
  readonly #createShards = ({
    call,
    ids,
    total,
    gatewayUrl,
    identifyQueue,
    sessionStartTotal,
    leases,
  }: CheckedLaunch): Promise<void> => {
    const where = this.#strategy === inProcessShards ? '' : ` on ${this.#strategy.name}`;
    const which = ids.length === 1 ? `shard ${ids[0]}` : `shards ${ids[0]}–${ids.at(-1)}`;
    this.#log.info(`starting ${which} of ${total}${where}`);
    const created = createAllOrNone(
      ids,
      (id) => this.#createShard({ id, total, gatewayUrl, identifyQueue, sessionStartTotal }),
      {
        call: call.text,
        strategy: this.#strategy.name,
        graceMs: this.#graceMs(),
      },
    );
    if (!Array.isArray(created)) return created.finally(() => releaseAll(leases.values()));
    const group = this.#groups.start(ids);
    let announced = false;
    const announceWhenAllReady = (id: number): void => {
      // A call that failed (a shard of it fatal) or was shut down is not announced.
      if (announced || group.settled || group.readyCount !== group.size) return;
      announced = true;
      try {
        this.emit('ready', ids, call.text);
      } catch (error) {
        this.#failures.forward(new GatewayError(`a 'ready' listener threw`, id, { cause: error }), id);
      }
    };
    for (const shard of created) {
      const id = shard.id;
      const lease = leases.get(id);
      this.#roster.add(id, { shard, group, lease });
      this.#leases.watch(id, lease);
      logReadyLine(
        shard,
        this.#log,
        () => `${group.ready(id)}/${group.size} of ${call.text}`,
        () => announceWhenAllReady(id),
      );
    }
    return group.done;
  };

  #createShard(
    given: Pick<ShardContext, 'id' | 'total' | 'gatewayUrl' | 'identifyQueue' | 'sessionStartTotal'>,
  ): ShardHandle {
    const { id } = given;
    const failures = this.#failures;
    const shard = this.#strategy.create({
      ...given,
      sessionStore: this.#store,
      logger: this.#logger,
      options: this.#options,
      onDispatch: dispatchSinkOf(
        this,
        id,
        this.#options.onDispatch,
        (each) => this.#leases.delivers(each),
        (error, shardId) => failures.forward(error, shardId),
      ),
    });
    forwardShardEvents(this, shard, id, failures.forward.bind(failures), failures.shardFatal.bind(failures));
    return shard;
  }
}
