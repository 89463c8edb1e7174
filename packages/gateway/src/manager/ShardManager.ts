// Over 300 lines on purpose: the start checks (startChecks.ts, StartCall.ts), the groups of start
// calls (ShardGroup.ts), the shards' options (ShardManagerOptions.ts) and the shared shutdown
// deadline (shutdown.ts) live elsewhere; what is left is the public surface with its docs and the
// one state every method reads and changes (running shards, claimed ids, shard count), which reads
// best in one place.
import {
  type BotLogger,
  childLogger,
  createLogger,
  type GatewayBotInfo,
  typedEventEmitter,
  ValidationError,
} from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { ShutDownBeforeStartError } from '../errors/ShutDownBeforeStartError.js';
import { identifyLimitsFrom, type IdentifyQueue } from '../identify/IdentifyQueue.js';
import { InMemoryIdentifyQueue } from '../identify/InMemoryIdentifyQueue.js';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import { InMemorySessionStore } from '../session/InMemorySessionStore.js';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import { Shard } from '../shard/Shard.js';
import { intentBits } from '../shard/ShardOptions.js';
import type { ShardCloseEvent, ShardState, ShardStatus } from '../shard/ShardState.js';
import { checkGatewayBotInfo } from './checkGatewayBotInfo.js';
import { PendingLaunch } from './PendingLaunch.js';
import type { ShardRange } from './shardIds.js';
import { RunningGroups, type ShardGroup } from './ShardGroup.js';
import { shardOptionsOf, type FatalPolicy, type ShardManagerOptions } from './ShardManagerOptions.js';
import { shutdownTogether, type ShutdownOptions } from './shutdown.js';
import { idsOfStartCall, startCalls, type StartCall } from './StartCall.js';
import { checkAgainstRunning, checkSessionBudget } from './startChecks.js';

/** Every shard event, forwarded with the shard's id as the last argument. */
export type ShardManagerEvents = {
  dispatch: (payload: DispatchPayload, shardId: number) => void;
  state: (state: ShardState, previous: ShardState, shardId: number) => void;
  heartbeat: (latency: number, shardId: number) => void;
  close: (event: ShardCloseEvent, shardId: number) => void;
  debug: (message: string, shardId: number) => void;
  error: (error: Error, shardId: number) => void;
};

interface ManagedShard {
  shard: Shard;
  group: ShardGroup;
}

/**
 * Runs the shards of one bot: validates what to start against the session budget, paces
 * identifies through one {@link IdentifyQueue}, keeps sessions in one {@link SessionStore},
 * forwards every shard event with its id, and reports how each `start*` call ends.
 *
 * Each `start*` promise resolves once the user has shut down all of its shards and rejects with
 * a `FatalGatewayError` on a fatal close (see {@link ShardManagerOptions.onFatal}). A shutdown
 * that comes while the call is still checking (before its shards exist) cancels it: the promise
 * rejects with a {@link ShutDownBeforeStartError} and no shard of it is ever created.
 */
export class ShardManager extends typedEventEmitter<ShardManagerEvents>() {
  readonly #options: ShardManagerOptions;
  readonly #shards = new Map<number, ManagedShard>();
  readonly #reserved = new Set<number>();
  readonly #closing = new Map<number, Promise<SessionInfo | undefined>>();
  readonly #groups = new RunningGroups();
  /** `start*` calls still checking what to start; a shutdown cancels them. */
  readonly #launches = new Set<PendingLaunch>();
  readonly #store: SessionStore;
  readonly #logger: BotLogger;
  readonly #log: BotLogger;
  readonly #onFatal: FatalPolicy;
  #queue: IdentifyQueue | undefined;
  #total: number | undefined;

  /**
   * @param options - credentials, sources, intents and shard behaviour
   * @throws {@link ValidationError} for wrong intents
   */
  public constructor(options: ShardManagerOptions) {
    super();
    const intents = intentBits(options.intents);
    if (!Number.isSafeInteger(intents) || intents < 0) {
      throw new ValidationError('intents', `must be a non-negative integer (got ${intents})`);
    }
    this.#options = options;
    this.#queue = options.identifyQueue;
    this.#store = options.sessionStore ?? new InMemorySessionStore();
    this.#logger = options.logger ?? createLogger('gateway');
    this.#log = childLogger(this.#logger, 'shards');
    this.#onFatal = options.onFatal ?? 'stopAll';
  }

  /** The running shards by id. */
  public get shards(): ReadonlyMap<number, Shard> {
    return new Map([...this.#shards].map(([id, managed]) => [id, managed.shard]));
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
   * negative or non-integer ids, `from > to`, `to ≥ total`, ids already running, a count different
   * from the running shards', or more identifies than the session budget has left.
   *
   * @param range - first and last shard id, both included
   * @param total - shard count
   */
  public startShardRange(range: ShardRange, total: number): Promise<void> {
    return this.#startRange(startCalls.startShardRange(range, total), range, total);
  }

  /** Starts as many shards as `/gateway/bot` recommends. */
  public async startAutosharded(): Promise<void> {
    const call = startCalls.startAutosharded();
    // Registered before the first await, so a shutdown while `/gateway/bot` answers cancels it.
    const launch = new PendingLaunch(call);
    this.#launches.add(launch);
    let info: GatewayBotInfo;
    try {
      info = checkGatewayBotInfo(await launch.guard(this.#options.gateway.gatewayBot()));
    } finally {
      this.#launches.delete(launch);
    }
    const ids = idsOfStartCall(call, { from: 0, to: info.shards - 1 }, info.shards);
    return this.#launch(call, ids, info.shards, info, launch);
  }

  /**
   * Reconnects one shard at once, resuming its session (starts it again if it had failed).
   *
   * @throws {@link ValidationError} when no such shard runs here
   */
  public restart(id: number): void {
    this.#managed(id).shard.restart();
  }

  /**
   * Stops reading one shard's events for back-pressure; heartbeats go on. Same as
   * `manager.shards.get(id).pause()` (see `Shard.pause`).
   *
   * @throws {@link ValidationError} when no such shard runs here
   */
  public pause(id: number): void {
    this.#managed(id).shard.pause();
  }

  /**
   * Reads one paused shard's events again, held ones first (see `Shard.resume`).
   *
   * @throws {@link ValidationError} when no such shard runs here
   */
  public resume(id: number): void {
    this.#managed(id).shard.resume();
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
    const pending = this.#closing.get(id);
    if (pending !== undefined) return pending;
    const managed = this.#shards.get(id);
    if (managed === undefined) {
      const launch = [...this.#launches].find((each) => each.ids.includes(id));
      if (launch === undefined)
        return Promise.reject(new ValidationError('id', `names no running shard (got ${id})`));
      launch.cancel();
      return Promise.resolve(undefined);
    }
    const closing = this.#close(id, managed, options).finally(() => this.#closing.delete(id));
    this.#closing.set(id, closing);
    return closing;
  }

  /** Shuts every shard down in parallel, all against one deadline. */
  public async shutdownAll(options: ShutdownOptions = {}): Promise<void> {
    await this.#shutdownEach(options);
  }

  /**
   * Closes every shard without invalidating its session and returns the sessions, for another
   * process to resume (they are in the session store as well).
   */
  public async handoff(): Promise<Map<number, SessionInfo>> {
    return this.#shutdownEach({ invalidateSessions: false });
  }

  /** State, latency, seq, session id, reconnects and last close code of every shard. */
  public status(): ShardStatus[] {
    return [...this.#shards.values()].map(({ shard }) => shard.status()).sort((a, b) => a.id - b.id);
  }

  async #close(
    id: number,
    { shard, group }: ManagedShard,
    options: ShutdownOptions,
  ): Promise<SessionInfo | undefined> {
    const session = await shard.close({
      invalidateSession: options.invalidateSessions ?? false,
      graceMs: options.timeoutMs ?? this.#options.shutdownTimeoutMs ?? 5_000,
    });
    if (this.#shards.get(id)?.shard === shard) this.#shards.delete(id);
    shard.removeAllListeners();
    if (this.#shards.size === 0 && this.#reserved.size === 0) this.#total = undefined;
    group.stopped(id);
    return session;
  }

  #shutdownEach(options: ShutdownOptions): Promise<Map<number, SessionInfo>> {
    for (const launch of this.#launches) launch.cancel();
    const timeoutMs = options.timeoutMs ?? this.#options.shutdownTimeoutMs ?? 5_000;
    const ids = new Set([...this.#shards.keys(), ...this.#closing.keys()]);
    return shutdownTogether(ids, timeoutMs, options, (id, each) => this.shutdown(id, each));
  }

  #managed(id: number): ManagedShard {
    const managed = this.#shards.get(id);
    if (managed === undefined) throw new ValidationError('id', `names no running shard (got ${id})`);
    return managed;
  }

  async #startRange(call: StartCall, range: ShardRange, total: number): Promise<void> {
    return this.#launch(call, idsOfStartCall(call, range, total), total, undefined);
  }

  async #launch(
    call: StartCall,
    ids: number[],
    total: number,
    known: GatewayBotInfo | undefined,
    launch = new PendingLaunch(call),
  ): Promise<void> {
    const taken = (id: number): boolean => this.#shards.has(id) || this.#reserved.has(id);
    checkAgainstRunning(call, ids, total, taken, this.#total);
    // The ids and the count are claimed before the first await, so a concurrent call sees them,
    // and the launch is registered, so a shutdown cancels it.
    for (const id of ids) this.#reserved.add(id);
    this.#total = total;
    launch.ids = ids;
    this.#launches.add(launch);
    let info: GatewayBotInfo;
    try {
      info = known ?? checkGatewayBotInfo(await launch.guard(this.#options.gateway.gatewayBot()));
      await launch.guard(checkSessionBudget(call, ids, total, info, this.#store));
      launch.throwIfCancelled();
    } catch (error) {
      for (const id of ids) this.#reserved.delete(id);
      if (this.#shards.size === 0 && this.#reserved.size === 0) this.#total = undefined;
      throw error;
    } finally {
      this.#launches.delete(launch);
    }
    for (const id of ids) this.#reserved.delete(id);
    const queue = this.#identifyQueue(info);
    const group = this.#groups.start(ids);
    this.#log.info(`starting shards ${ids[0]}–${ids.at(-1)} of ${total}`);
    for (const id of ids) {
      const shard = this.#createShard(id, total, info.url, queue);
      this.#shards.set(id, { shard, group });
      shard.start().then(
        () => this.#log.info(`shard ${id} ready (${group.ready(id)}/${group.size} of ${call.text})`),
        () => undefined, // a fatal start fails the group, which reports it
      );
    }
    return group.done;
  }

  #identifyQueue(info: GatewayBotInfo): IdentifyQueue {
    const limits = identifyLimitsFrom(info.session_start_limit, this.#options.identifyWindowMs);
    if (this.#queue === undefined) {
      this.#queue = new InMemoryIdentifyQueue(limits);
    } else if (this.#queue instanceof InMemoryIdentifyQueue && this.#options.identifyQueue === undefined) {
      this.#queue.update(limits);
    }
    return this.#queue;
  }

  #createShard(id: number, total: number, gatewayUrl: string, identifyQueue: IdentifyQueue): Shard {
    const shard = new Shard(
      shardOptionsOf(this.#options, {
        id,
        total,
        gatewayUrl,
        identifyQueue,
        sessionStore: this.#store,
        logger: this.#logger,
      }),
    );
    shard.on('dispatch', (payload) => this.emit('dispatch', payload, id));
    shard.on('heartbeat', (latency) => this.emit('heartbeat', latency, id));
    shard.on('close', (event) => this.emit('close', event, id));
    shard.on('debug', (message) => this.emit('debug', message, id));
    shard.on('error', (error) => this.#forwardError(error, id));
    shard.on('state', (state, previous) => {
      this.emit('state', state, previous, id);
      if (state === 'fatal') this.#onShardFatal(shard, id);
    });
    return shard;
  }

  #forwardError(error: Error, id: number): void {
    if (this.listenerCount('error') > 0) this.emit('error', error, id);
    else this.#log.error(error.message);
  }

  #onShardFatal(shard: Shard, id: number): void {
    const error = shard.fatalError;
    if (error === undefined) return;
    this.#shards.get(id)?.group.fail(error);
    if (this.#onFatal === 'keepHealthy') return;
    this.#groups.failAll(error);
    this.#log.error(`shard ${id} failed for good; shutting every shard down`);
    void this.shutdownAll().catch((cause: unknown) =>
      this.#forwardError(new GatewayError('shutdown after a fatal close failed', id, { cause }), id),
    );
  }
}
