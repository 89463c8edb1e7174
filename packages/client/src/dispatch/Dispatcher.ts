import type { BotLogger, GatewayPayload } from '@bot/http';
import type { ClientError } from '../events/ClientError.js';
import type { Context } from '../context/Context.js';
import type {
  EventHandler,
  RawEventHandler,
  ShardStatusEvent,
  ShardsReadyEvent,
} from '../events/EventHandler.js';
import { routeOf } from '../events/eventTable.js';
import { HandlerError } from '../events/HandlerError.js';
import type { RateLimitedEvent } from '@bot/http';
import type { ModelBinding } from '../models/ModelBinding.js';
import { DedupeWindow } from './DedupeWindow.js';
import type { DispatchPolicy } from './DispatchPolicy.js';
import { ShardLane } from './ShardLane.js';

/** Lane key of events that arrive without a shard (webhook deliveries). */
const WEBHOOK_LANE = -1;

/** What a {@link Dispatcher} runs events against. */
export interface DispatcherOptions {
  /** Typed handlers, called in this order for each event. */
  handlers: readonly EventHandler[];
  /** Raw handlers, called before the typed ones with the parsed payload. */
  rawHandlers: readonly RawEventHandler[];
  /** Per-shard ordering. */
  policy: DispatchPolicy;
  /** API and reply numbering the models are bound to. */
  binding: ModelBinding;
  /** The context handed to handlers for a shard (`undefined`: webhook). */
  contextFor: (shardId: number | undefined) => Context;
  /** Logger for dropped duplicates and failing `error()` handlers. */
  log: BotLogger;
  /** How many recent event ids to remember for de-duplication. */
  dedupeCapacity?: number;
}

/**
 * The client's one path from a parsed payload to handler calls: drop repeats by event id, run raw
 * handlers, build the model once, call each handler's method in registration order. Every call is
 * isolated: a throw or rejection becomes a {@link HandlerError} for `error()`, and the next handler,
 * the next event and the connection carry on.
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #dedupe: DedupeWindow;
  readonly #lanes = new Map<number, ShardLane>();
  #dropped = 0;

  /** @param options - handlers, policy, binding and context factory */
  public constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#dedupe = new DedupeWindow(options.dedupeCapacity);
  }

  /** Number of events dropped as duplicates so far. */
  public get duplicatesDropped(): number {
    return this.#dropped;
  }

  /**
   * Queues one dispatch payload for the handlers. Never rejects.
   *
   * @param shardId - the shard that received it, or `undefined` for a webhook or broker delivery
   * @param payload - the parsed payload
   * @returns settles once every handler has finished with this event (at once for a duplicate),
   *   which is when a broker may acknowledge it
   */
  public dispatch(shardId: number | undefined, payload: GatewayPayload): Promise<void> {
    if (payload.id !== undefined && payload.id !== '' && this.#dedupe.check(payload.id)) {
      this.#dropped += 1;
      this.#options.log.debug(`dropped duplicate ${payload.t ?? 'event'} ${payload.id}`);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#laneFor(shardId).push(() => this.#run(shardId, payload).finally(resolve));
    });
  }

  /**
   * Reports an error to the `error()` method of every handler; failures there are logged.
   *
   * @param error - what went wrong
   * @param ctx - the context it happened in, when there is one
   */
  public async reportError(error: ClientError, ctx?: Context): Promise<void> {
    let handled = false;
    for (const handler of this.#options.handlers) {
      if (!handler.error) continue;
      handled = true;
      try {
        await handler.error(error, ctx);
      } catch (failure) {
        this.#options.log.error(
          `error() of ${describe(handler, this.#options.handlers)} threw while handling an error`,
          failure,
        );
      }
    }
    if (!handled) this.#options.log.error(error.message);
  }

  /**
   * Calls a lifecycle hook (`ratelimit`, `shardStatus`, `shardsReady`) on every handler, isolated.
   *
   * @param hook - the method name
   * @param event - its argument
   */
  public hook(hook: 'ratelimit', event: RateLimitedEvent): Promise<void>;
  public hook(hook: 'shardStatus', event: ShardStatusEvent): Promise<void>;
  public hook(hook: 'shardsReady', event: ShardsReadyEvent): Promise<void>;
  public async hook(hook: 'ratelimit' | 'shardStatus' | 'shardsReady', event: unknown): Promise<void> {
    for (const handler of this.#options.handlers) {
      const method = handler[hook] as ((arg: unknown) => unknown) | undefined;
      if (!method) continue;
      try {
        await method.call(handler, event);
      } catch (error) {
        await this.reportError(
          new HandlerError(hook, undefined, describe(handler, this.#options.handlers), error),
        );
      }
    }
  }

  /** Resolves once every queued event has been handled. */
  public async onIdle(): Promise<void> {
    await Promise.all([...this.#lanes.values()].map((lane) => lane.onIdle()));
  }

  #laneFor(shardId: number | undefined): ShardLane {
    const key = shardId ?? WEBHOOK_LANE;
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = new ShardLane(this.#options.policy);
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  async #run(shardId: number | undefined, payload: GatewayPayload): Promise<void> {
    const { handlers, rawHandlers, binding } = this.#options;
    const event = payload.t ?? `op ${payload.op}`;
    const ctx = this.#options.contextFor(shardId);

    for (const [index, raw] of rawHandlers.entries()) {
      try {
        await raw.raw(ctx, payload);
      } catch (error) {
        await this.reportError(new HandlerError(event, shardId, `raw handler #${index}`, error), ctx);
      }
    }

    const route = routeOf(payload.t);
    if (!route) return;
    let model: unknown;
    try {
      model = route.toModel(payload.d as never, binding, payload.id);
    } catch (error) {
      // A payload the platform shaped differently than documented: say which, keep going.
      await this.reportError(new HandlerError(event, shardId, `model for ${event}`, error), ctx);
      return;
    }
    for (const handler of handlers) {
      const method = handler[route.method] as ((ctx: Context, model: unknown) => unknown) | undefined;
      if (!method) continue;
      try {
        await method.call(handler, ctx, model);
      } catch (error) {
        await this.reportError(
          new HandlerError(event, shardId, `${describe(handler, handlers)}.${route.method}`, error),
          ctx,
        );
      }
    }
  }
}

/** `Bot#0`: a handler's class name and its registration index, to tell handlers apart in errors. */
function describe(handler: object, all: readonly object[]): string {
  const name = handler.constructor === Object ? 'handler' : handler.constructor.name;
  return `${name}#${all.indexOf(handler)}`;
}
