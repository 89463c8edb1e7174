import { Deferred, isThenable, type GatewayPayload, wireName } from '@bot/core';
import type { ClientError } from '../errors/ClientError.js';
import type { Context } from '../context/Context.js';
import { HandlerError } from '../errors/HandlerError.js';
import { MalformedEventError } from '../errors/MalformedEventError.js';
import type { AbandonedEventsError } from '../errors/AbandonedEventsError.js';
import { abandonLanes } from './abandonLanes.js';
import { DedupeWindow } from './DedupeWindow.js';
import { laneFlowOf, type DispatcherOptions } from './DispatcherOptions.js';
import { EventPlans } from './EventPlans.js';
import { HandledCaps } from './HandledCaps.js';
import { DEFAULT_HANDLER_TIMEOUT_MS } from './handlerTimeout.js';
import { AwaitedEvent, payloadOf, type LaneEvent } from './LaneEvent.js';
import {
  callHook,
  eventName,
  rawHandlerLabel,
  reportToHandlers,
  type HandlerCall,
  type HookEvents,
} from './handlerHooks.js';
import { RunningHandlers } from './RunningHandlers.js';
import { afterFailure, runInOrder, settleOne, type Completion } from './runInOrder.js';
import { ShardLane } from './ShardLane.js';
import { timedOutEvent } from './timedOutEvent.js';
import { printableError } from '../util/printableError.js';

export type { DispatcherFlow, DispatcherOptions } from './DispatcherOptions.js';

/** Lane key of events that arrive without a shard (webhook deliveries). */
const WEBHOOK_LANE = -1;

/**
 * The client's one path from a parsed payload to handler calls: drop repeats by event id, run raw
 * handlers, build the model once, call each handler's method in registration order. Every call is
 * isolated: a throw or rejection becomes a {@link HandlerError} for `error()`, a payload the model
 * refuses a {@link MalformedEventError}, and the next handler, the next event and the connection
 * carry on. An event whose handlers outlive the handler deadline stops holding its lane: a
 * `HandlerTimeoutError` for `error()`, and the shard's next event runs.
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #dedupe: DedupeWindow;
  readonly #lanes = new Map<number, ShardLane<LaneEvent>>();
  /** The lane of the last event, and its key: consecutive events mostly share a shard. */
  #lastLane: ShardLane<LaneEvent> | undefined;
  #lastLaneKey = Number.NaN;
  readonly #plans: EventPlans;
  readonly #running = new RunningHandlers();
  readonly #handlerTimeoutMs: number;
  /** Events a shutdown gave up on: a handler of one failing later says so (see #handlerFailed). */
  readonly #abandoned = new WeakSet<GatewayPayload>();
  /** Per shard: where its latest session starts, its last valid cap, its abandon point (see handledCap). */
  readonly #caps = new HandledCaps();
  /**
   * The completion of each event of `dispatch()` still being handled, by id: a copy of one is
   * answered with it. Only awaited events (`deliver()`'s cost nothing here); as many as their lanes
   * hold, which their high-water marks bound (a webhook's are refused above it): an event whose
   * handlers outlive the handler deadline is settled then, and leaves the map.
   */
  readonly #awaitedById = new Map<string, Promise<void>>();
  #dropped = 0;

  /** @param options - handlers, policy, binding and context factory */
  public constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#dedupe = new DedupeWindow(options.dedupeCapacity);
    this.#plans = new EventPlans(options.handlers);
    this.#handlerTimeoutMs = options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  }

  /** Number of events dropped as duplicates so far. */
  public get duplicatesDropped(): number {
    return this.#dropped;
  }

  /**
   * Queues one dispatch payload for the handlers and says when they are done with it: for a
   * broker, which acknowledges an event once it is handled, and for a shard's READY, which counts
   * towards `shardsReady` once handled. Every other event, which nobody waits for, goes through
   * {@link Dispatcher.deliver}: a RESUMED too, as it counts at once unless a READY of its shard is
   * still being handled (the backlog the platform replays ahead of it is not waited for), while
   * keeping its place in the lane. A handler's
   * failure does not reject it: the event was handled, and the failure went to `error()`.
   *
   * @param shardId - the shard that received it, or `undefined` for a webhook or broker delivery
   * @param payload - the parsed payload
   * @returns fulfilled once every handler has finished with this event; rejected with the
   *   {@link AbandonedEventsError} of {@link Dispatcher.abandon} when a shutdown gave up on it first
   *   (a broker then leaves it unacknowledged for another worker, a webhook answers 500). For a
   *   duplicate, the promise of the original while it came through `dispatch()` and is still being
   *   handled (a webhook delivery sent again after its first connection dropped is then answered
   *   as the original is), otherwise fulfilled at once
   */
  public dispatch(shardId: number | undefined, payload: GatewayPayload): Promise<void> {
    const id = payload.id;
    const keyed = typeof id === 'string' && id !== '';
    const original = keyed ? this.#awaitedById.get(id) : undefined;
    if (original !== undefined) {
      // A copy of an event still being handled (its first sender gave up waiting and sent it
      // again): told what the original is, so it is not acknowledged before it is handled.
      this.#dropped += 1;
      this.#options.log.debug(
        `dropped duplicate ${wireName(payload.t ?? 'event')} ${wireName(id ?? '')}, answered with the original`,
      );
      return original;
    }
    const done = new Deferred<void>();
    if (this.#accept(shardId, payload, done) && keyed) {
      const promise = done.promise;
      this.#awaitedById.set(id, promise);
      const settled = (): void => {
        // An abandoned event may have come back since, under the same id: that entry stays.
        if (this.#awaitedById.get(id) === promise) this.#awaitedById.delete(id);
      };
      promise.then(settled, settled);
    }
    return done.promise;
  }

  /**
   * Queues one dispatch payload for the handlers, without a promise to say when they are done:
   * the path of every socket frame but READY (a RESUMED included), and of every webhook delivery.
   * A handler's failure never surfaces here: it goes to `error()`.
   *
   * @param shardId - the shard that received it, or `undefined` for a webhook delivery
   * @param payload - the parsed payload
   */
  public deliver(shardId: number | undefined, payload: GatewayPayload): void {
    this.#accept(shardId, payload, undefined);
  }

  /**
   * Reports an error to the `error()` method of every handler; failures there are logged.
   *
   * @param error - what went wrong
   * @param ctx - the context it happened in, when there is one
   */
  public reportError(error: ClientError, ctx?: Context): Promise<void> {
    return reportToHandlers(this.#options.handlers, this.#options.log, error, ctx);
  }

  /**
   * Calls a lifecycle hook (`ratelimit`, `restAttempt`, `shardStatus`, `shardsReady`) on every handler, isolated.
   *
   * @param hook - the method name
   * @param event - its argument
   */
  public hook<K extends keyof HookEvents>(hook: K, event: HookEvents[K]): Promise<void> {
    return callHook(this.#options.handlers, this.#options.log, hook, event);
  }

  /** Resolves once every queued event has been handled. */
  public async onIdle(): Promise<void> {
    await Promise.all([...this.#lanes.values()].map((lane) => lane.onIdle()));
  }

  /** Resolves once the lane of `shardId` holds no event (at once when it holds none). */
  public shardIdle(shardId: number): Promise<void> {
    return this.#lanes.get(shardId)?.onIdle() ?? Promise.resolve();
  }

  /**
   * Whether the lane of `shardId` is above its high-water mark (and not yet back down to its
   * low-water mark): its source should not send more for now.
   *
   * @param shardId - the shard, or `undefined` for webhook deliveries
   */
  public isSaturated(shardId: number | undefined): boolean {
    return this.#lanes.get(shardId ?? WEBHOOK_LANE)?.paused ?? false;
  }

  /**
   * A shard of `shardId` is connecting, perhaps a new one replacing a shard that was shut down:
   * when its lane is above its high-water mark, that shard is paused too, so the lane's bound
   * holds across the replacement. Pausing a shard that is paused already does nothing.
   *
   * @param shardId - the shard
   */
  public shardConnecting(shardId: number): void {
    this.#lanes.get(shardId)?.repause();
  }

  /**
   * How far the events of shard `shardId` may count as handled, by sequence number: just below
   * the oldest event its lane has not finished (every earlier one has), and never past where a
   * shutdown gave up on events ({@link Dispatcher.abandon}). The shard's stored session and its
   * heartbeats must go no further, so the events queued or running here are replayed to whoever
   * resumes the session after a crash or a shutdown (at least once). Answered for the session
   * asked about: while the lane still holds events of an earlier session (a READY started a new
   * one, numbered from 1), the new session is handled no further than its READY. An event whose
   * seq is not a valid one leaves the cap where it last was. Computed when asked, from what the
   * lane holds: handling an event costs nothing more.
   *
   * @param shardId - the shard
   * @param sessionId - the session asked about; `undefined` for the shard's latest
   * @returns a non-negative integer, or `undefined` when nothing read of that session is left
   *   unhandled (every seq read counts)
   */
  public handledCap(shardId: number, sessionId?: string): number | undefined {
    const lane = this.#lanes.get(shardId);
    const arrival = lane?.oldestUnfinishedArrival();
    const seq = arrival === undefined ? undefined : payloadOf(lane!.oldestUnfinished()!).s;
    return this.#caps.capOf(shardId, { arrival, seq }, sessionId);
  }

  /**
   * A failed shutdown lets the shards read again: the cap kept at its abandon point
   * ({@link Dispatcher.abandon}) is lifted, or their sessions would stay there for good. The events
   * it gave up on were reported; the session going on past them, nobody gets them again.
   */
  public readingAgain(): void {
    this.#caps.readingAgain();
  }

  /**
   * Gives up on every event not handled yet: waiting events are dropped, running handlers are no
   * longer waited for (they cannot be stopped). For a shutdown that has run out of time. The
   * `dispatch()` promise of each such event rejects with the returned error, and the duplicate
   * filter forgets their ids: their senders are told to deliver them again.
   *
   * @param deadlineMs - the shutdown deadline that ran out, for the error
   * @returns the error listing each event given up on (running ones of a lane before its waiting
   *   ones), or `undefined` when nothing was left
   */
  public abandon(deadlineMs: number): AbandonedEventsError | undefined {
    // Their lanes forget them: how far each shard got is kept, so no session is written past them.
    for (const key of this.#lanes.keys()) {
      const cap = key === WEBHOOK_LANE ? undefined : this.handledCap(key);
      if (cap !== undefined) this.#caps.abandoned(key, cap);
    }
    const abandoned = abandonLanes(this.#lanes, WEBHOOK_LANE, this.#abandoned, deadlineMs);
    // Their senders hear "deliver it again" (a webhook's 500, a broker's missing ack): a delivery
    // that comes back to this client, its shutdown having failed, must not be dropped as a repeat.
    for (const event of abandoned?.events ?? []) {
      this.#dedupe.forget(event.id);
      // Now, not once its rejection is seen: a copy arriving meanwhile is a new delivery.
      if (event.id !== undefined) this.#awaitedById.delete(event.id);
    }
    return abandoned;
  }

  /** Queues `payload` unless it is a duplicate; `true` when queued. */
  #accept(shardId: number | undefined, payload: GatewayPayload, done: Deferred<void> | undefined): boolean {
    const id = payload.id;
    if (id !== undefined && id !== '' && this.#dedupe.check(id)) {
      this.#dropped += 1;
      this.#options.log.debug(`dropped duplicate ${wireName(payload.t ?? 'event')} ${wireName(id)}`);
      done?.resolve();
      return false;
    }
    const lane = this.#laneFor(shardId);
    lane.push(done === undefined ? payload : new AwaitedEvent(payload, done));
    // A new session starts here: what arrived before it belongs to an earlier one.
    if (payload.t === 'READY' && shardId !== undefined) {
      this.#caps.sessionStarted(shardId, lane.arrivals - 1, payload);
    }
    return true;
  }

  #laneFor(shardId: number | undefined): ShardLane<LaneEvent> {
    const key = shardId ?? WEBHOOK_LANE;
    if (key === this.#lastLaneKey) return this.#lastLane!;
    const lane = this.#lanes.get(key) ?? this.#newLane(shardId, key);
    this.#lastLane = lane;
    this.#lastLaneKey = key;
    return lane;
  }

  /**
   * The lane of a shard's first event. Its closures are made here, not in #laneFor: a function
   * that makes a closure allocates the variables it captures on every call, whichever branch runs.
   */
  #newLane(shardId: number | undefined, key: number): ShardLane<LaneEvent> {
    // A shard's context is the same for all its events: asked for once, on the lane's first.
    let ctx: Context | undefined;
    const lane = new ShardLane<LaneEvent>(
      this.#options.policy,
      (event) => this.#runEvent(shardId, (ctx ??= this.#options.contextFor(shardId)), event),
      (error) =>
        this.#options.log.error(`an event job escaped its isolation on lane ${key}`, printableError(error)),
      laneFlowOf(this.#options.flow, shardId),
      (event, error) =>
        this.#handlerRejected(error, payloadOf(event), shardId, (ctx ??= this.#options.contextFor(shardId))),
      {
        timeoutMs: this.#handlerTimeoutMs,
        onTimeout: (event, ranMs) =>
          void this.reportError(
            timedOutEvent(
              event,
              shardId,
              ranMs,
              this.#handlerTimeoutMs,
              this.#running.of(payloadOf(event), this.#plans),
            ),
            (ctx ??= this.#options.contextFor(shardId)),
          ),
      },
    );
    this.#lanes.set(key, lane);
    return lane;
  }

  /** One event through the handlers; an awaited one is settled once they have all finished. */
  #runEvent(shardId: number | undefined, ctx: Context, event: LaneEvent): Completion {
    return event instanceof AwaitedEvent
      ? this.#runAwaited(shardId, ctx, event)
      : this.#run(shardId, event, ctx);
  }

  /** An awaited event through the handlers, its sender told once they have all finished. */
  #runAwaited(shardId: number | undefined, ctx: Context, event: AwaitedEvent): Completion {
    const { payload, done } = event;
    const handled = (): void => done.resolve();
    let running: Completion;
    try {
      running = this.#run(shardId, payload, ctx);
    } catch (error) {
      handled();
      throw error;
    }
    if (running === undefined) {
      handled();
      return undefined;
    }
    // Settled once a rejection has been reported too, as for any handled event.
    const reported = settleOne(running, (error) => this.#handlerRejected(error, payload, shardId, ctx));
    void reported.then(handled, handled);
    return reported;
  }

  /**
   * Raw handlers, then the model, then each typed handler, in order. Synchronous for as long as
   * the handlers are: only a handler that returns a promise makes the rest wait for a microtask.
   */
  #run(shardId: number | undefined, payload: GatewayPayload, ctx: Context): Completion {
    return this.#options.rawHandlers.length === 0
      ? this.#runTyped(shardId, payload, ctx)
      : this.#runRaw(shardId, payload, ctx);
  }

  /** {@link Dispatcher.#run} with raw handlers: they run first, then the typed ones. */
  #runRaw(shardId: number | undefined, payload: GatewayPayload, ctx: Context): Completion {
    const rawHandlers = this.#options.rawHandlers;
    const raw = runInOrder(
      rawHandlers.length,
      (index) => {
        this.#running.raw(payload, index);
        return rawHandlers[index]!.raw(ctx, payload);
      },
      (error, index) => this.#handlerFailed(error, payload, shardId, rawHandlerLabel(index), ctx),
    );
    if (raw === undefined) return this.#runTyped(shardId, payload, ctx);
    const typed = (): Completion => this.#runTyped(shardId, payload, ctx);
    return raw.then(typed, typed);
  }

  #runTyped(shardId: number | undefined, payload: GatewayPayload, ctx: Context): Completion {
    const plan = this.#plans.of(payload.t);
    // Not modelled, or nobody listens: no model to build, and a payload shaped oddly bothers no one.
    if (plan === undefined) return undefined;
    const calls = plan.calls;
    let model: unknown;
    try {
      model = plan.toModel(payload.d as never, this.#options.binding, payload.id);
    } catch (error) {
      // A payload the platform shaped differently than documented: say which, skip it, keep going.
      return this.#malformed(error, payload, shardId, ctx);
    }
    if (calls.length === 1) {
      // One handler, the usual case: called directly, a closure made only for a returned promise.
      const call = calls[0]!;
      // After raw handlers, the deadline must name this one, not the last of them.
      if (this.#options.rawHandlers.length > 0) this.#running.typed(payload, call.label);
      let result: unknown;
      try {
        result = call.method.call(call.handler, ctx, model);
      } catch (error) {
        return afterFailure(this.#handlerFailed(error, payload, shardId, call.label, ctx));
      }
      if (!isThenable(result)) return undefined;
      // Handed to the lane as it is, with no promise of our own per event: the lane passes a
      // rejection to #handlerRejected, and frees the event's slot once that has been reported.
      return (result instanceof Promise ? result : Promise.resolve(result)) as Promise<void>;
    }
    return this.#runSeveral(calls, shardId, payload, ctx, model);
  }

  /** Several typed handlers of one event, one after another (see {@link runInOrder}). */
  #runSeveral(
    calls: readonly HandlerCall[],
    shardId: number | undefined,
    payload: GatewayPayload,
    ctx: Context,
    model: unknown,
  ): Completion {
    return runInOrder(
      calls.length,
      (index) => {
        const call = calls[index]!;
        this.#running.typed(payload, call.label);
        return call.method.call(call.handler, ctx, model);
      },
      (error, index) => this.#handlerFailed(error, payload, shardId, calls[index]!.label, ctx),
    );
  }

  /**
   * The promise of an event's only handler rejected (see #runTyped): a {@link HandlerError} for
   * `error()`. Any other rejection reaching a lane escaped the isolation: thrown back for the lane
   * to log as a bug.
   */
  #handlerRejected(
    error: unknown,
    payload: GatewayPayload,
    shardId: number | undefined,
    ctx: Context,
  ): Promise<void> {
    const calls = this.#plans.of(payload.t)?.calls;
    if (calls?.length !== 1) throw error;
    return this.#handlerFailed(error, payload, shardId, calls[0]!.label, ctx);
  }

  /**
   * The model refused the payload: a {@link MalformedEventError} for `error()` (marked `abandoned`
   * as a handler's failure is, see #handlerFailed); no handler sees the event.
   */
  #malformed(
    error: unknown,
    payload: GatewayPayload,
    shardId: number | undefined,
    ctx: Context,
  ): Promise<void> {
    const abandoned = this.#abandoned.has(payload);
    return this.reportError(
      new MalformedEventError(eventName(payload), shardId, payload.id, error, abandoned),
      ctx,
    );
  }

  /**
   * A handler threw or rejected: a {@link HandlerError} for `error()`, marked
   * `abandoned` when a shutdown gave up on the event first. Still reported after the shutdown, so no
   * failure goes unseen; the mark tells it from one of an event the client waited for.
   */
  #handlerFailed(
    error: unknown,
    payload: GatewayPayload,
    shardId: number | undefined,
    label: string,
    ctx: Context,
  ): Promise<void> {
    const abandoned = this.#abandoned.has(payload);
    return this.reportError(new HandlerError(eventName(payload), shardId, label, error, abandoned), ctx);
  }
}
