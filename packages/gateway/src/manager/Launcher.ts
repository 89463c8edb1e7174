import type { GatewayBotInfo } from '@bot/core';
import { identifyLimitsFrom, type IdentifyQueue } from '../identify/IdentifyQueue.js';
import { InMemoryIdentifyQueue } from '../identify/InMemoryIdentifyQueue.js';
import type { SessionStartsUsedUpError } from '../identify/SessionStartsUsedUpError.js';
import type { SessionStore } from '../session/SessionStore.js';
import { acquireAllLeases, releaseAll, type ShardLease } from './ShardLeases.js';
import { checkGatewayBotInfo } from './checkGatewayBotInfo.js';
import { PendingLaunch } from './PendingLaunch.js';
import type { ShardManagerOptions } from './ShardManagerOptions.js';
import type { ShardRoster } from './ShardRoster.js';
import { idsOfStartCall, type StartCall } from './StartCall.js';
import { checkAgainstRunning, checkSessionBudget } from './startChecks.js';

/** A `start*` call that passed its checks: what its shards are created with. */
export interface CheckedLaunch {
  /** The call as written. */
  call: StartCall;
  /** The shards to create. */
  ids: number[];
  /** Their shard count. */
  total: number;
  /** Where they connect, from `/gateway/bot`. */
  gatewayUrl: string;
  /** The identify queue every shard of the manager shares. */
  identifyQueue: IdentifyQueue;
  /** The bot's daily session start budget, `session_start_limit.total` of `/gateway/bot` (at least 1). */
  sessionStartTotal: number;
  /** Each shard's lease, when the manager has `shardLeases`; empty otherwise. */
  leases: ReadonlyMap<number, ShardLease>;
}

/** Creates the shards of a checked call and returns the call's promise (see `ShardManager`). */
export type CreateShards = (launch: CheckedLaunch) => Promise<void>;

/**
 * The launch sequence of a `start*` call up to the creation of its shards: claim its ids and
 * count (before the first await, so a concurrent call sees them), ask `/gateway/bot` unless the
 * call already has, check the session budget, take the shards' leases (`shardLeases`), then
 * create the shards in the same step as the lease check. The budget read can be as old as the
 * lease wait (up to `2 × ttlMs`, or a longer holder's remaining TTL): a budget used up meanwhile
 * is still met by the identify queue, which holds the identifies back until the reset. Until the
 * shards exist the launch is pending, and a shutdown cancels it.
 */
export class Launcher {
  readonly #options: ShardManagerOptions;
  readonly #store: SessionStore;
  readonly #roster: ShardRoster;
  readonly #pending = new Set<PendingLaunch>();
  #queue: IdentifyQueue | undefined;
  readonly #onBudgetWait: (report: SessionStartsUsedUpError) => void;

  /**
   * @param options - the manager's options (gateway source, identify queue and window)
   * @param store - where the shards' sessions are kept, for the session budget
   * @param roster - the manager's running and claimed shard ids
   * @param onBudgetWait - told of a shard waiting for used-up session starts (default queue only)
   */
  public constructor(
    options: ShardManagerOptions,
    store: SessionStore,
    roster: ShardRoster,
    onBudgetWait: (report: SessionStartsUsedUpError) => void = () => undefined,
  ) {
    this.#onBudgetWait = onBudgetWait;
    this.#options = options;
    this.#queue = options.identifyQueue;
    this.#store = store;
    this.#roster = roster;
  }

  /**
   * Launches as many shards as `/gateway/bot` recommends.
   *
   * @param call - `startAutosharded()`, for the errors
   * @param create - creates the shards once every check passed
   */
  public async launchAutosharded(call: StartCall, create: CreateShards): Promise<void> {
    // Registered before the first await, so a shutdown while `/gateway/bot` answers cancels it.
    const launch = new PendingLaunch(call);
    this.#pending.add(launch);
    let info: GatewayBotInfo;
    try {
      info = await this.#gatewayBot(launch);
    } finally {
      this.#pending.delete(launch);
    }
    const ids = idsOfStartCall(call, { from: 0, to: info.shards - 1 }, info.shards);
    return this.launch(call, ids, info.shards, create, info, launch);
  }

  /**
   * Checks a `start*` call and has its shards created.
   *
   * @param call - the call as written, for the errors
   * @param ids - the ids it starts
   * @param total - the shard count it runs
   * @param create - creates the shards once every check passed
   * @param known - `/gateway/bot` when the call has asked already; asked here otherwise
   * @param launch - the call's pending launch when it was registered earlier
   * @throws {@link ValidationError} (as a rejection) for a misuse (see `startChecks`)
   * @throws {@link ShutDownBeforeStartError} (as a rejection) when a shutdown cancels the launch
   */
  public async launch(
    call: StartCall,
    ids: number[],
    total: number,
    create: CreateShards,
    known?: GatewayBotInfo,
    launch = new PendingLaunch(call),
  ): Promise<void> {
    checkAgainstRunning(call, ids, total, (id) => this.#roster.taken(id), this.#roster.total);
    this.#roster.claim(ids, total);
    launch.ids = ids;
    this.#pending.add(launch);
    let info: GatewayBotInfo;
    let leases: ReadonlyMap<number, ShardLease>;
    try {
      info = known ?? (await this.#gatewayBot(launch));
      const storeMs = this.#options.timeouts?.sessionStoreMs;
      await launch.guard(checkSessionBudget(call, ids, total, info, this.#store, storeMs));
      leases = await this.#takeLeases(ids, total, launch);
    } catch (error) {
      this.#roster.unclaim(ids);
      throw error;
    } finally {
      this.#pending.delete(launch);
    }
    try {
      const identifyQueue = this.#identifyQueue(info);
      // A total of 0 starts nothing anyway; the shards' pause needs a positive budget.
      const sessionStartTotal = Math.max(1, info.session_start_limit.total);
      return create({ call, ids, total, gatewayUrl: info.url, identifyQueue, sessionStartTotal, leases });
    } finally {
      this.#roster.unclaim(ids); // they run now
    }
  }

  /**
   * Cancels the pending launch that would start shard `id`, with every shard of it.
   *
   * @returns whether there was one
   */
  public cancel(id: number): boolean {
    const launch = [...this.#pending].find((each) => each.ids.includes(id));
    launch?.cancel();
    return launch !== undefined;
  }

  /** Cancels every pending launch. */
  public cancelAll(): void {
    for (const launch of this.#pending) launch.cancel();
  }

  /**
   * The leases of `ids` of a `total`-shard call, all or none; given back when the launch is
   * cancelled meanwhile.
   *
   * @throws what `shardLeases.acquire` threw, or {@link ShutDownBeforeStartError} once cancelled
   */
  async #takeLeases(
    ids: readonly number[],
    total: number,
    launch: PendingLaunch,
  ): Promise<ReadonlyMap<number, ShardLease>> {
    const leases = this.#options.shardLeases;
    if (leases === undefined) {
      launch.throwIfCancelled();
      return new Map();
    }
    const taking = acquireAllLeases(leases, ids, launch.signal, total);
    try {
      const held = await launch.guard(taking);
      launch.throwIfCancelled();
      return held;
    } catch (error) {
      void taking.then(
        (held) => releaseAll(held.values()),
        () => undefined,
      );
      throw error;
    }
  }

  async #gatewayBot(launch: PendingLaunch): Promise<GatewayBotInfo> {
    return checkGatewayBotInfo(await launch.guard(this.#options.gateway.gatewayBot()));
  }

  #identifyQueue(info: GatewayBotInfo): IdentifyQueue {
    const limits = identifyLimitsFrom(info.session_start_limit, this.#options.identifyWindowMs);
    if (this.#queue === undefined) {
      this.#queue = new InMemoryIdentifyQueue(limits, { onBudgetWait: this.#onBudgetWait });
    } else if (this.#queue instanceof InMemoryIdentifyQueue && this.#options.identifyQueue === undefined) {
      this.#queue.update(limits);
    }
    return this.#queue;
  }
}
