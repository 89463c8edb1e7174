import type { DispatchEventMethod, DispatchEventName } from '@bot/core';
import type { GatewayPayload, RateLimitedEvent, RestAttemptEvent } from '@bot/http';
import type { ClientError } from '../errors/ClientError.js';
import type { Context } from '../context/Context.js';
import type { ModelOf } from '../models/eventModels.js';

/** What a handler method may return: nothing, or a promise the client awaits (per the dispatch policy). */
export type HandlerResult = void | Promise<void>;

/** A shard changed state (`shardStatus`). */
export interface ShardStatusEvent {
  /** The shard. */
  shardId: number;
  /** Its new state (`connecting`, `ready`, `reconnecting`, `fatal`, …). */
  state: string;
  /** Its previous state. */
  previous: string;
}

/** Every started shard is READY (`shardsReady`). */
export interface ShardsReadyEvent {
  /** Ids of the shards that are ready. */
  shardIds: readonly number[];
  /** Total shard count of the bot. */
  total: number;
}

/**
 * A handler method for an event whose model is `Model`: `(ctx, model)`, or `(ctx)` when the event
 * has no model (`resumed`). Declared as a method so that, as with any method, an implementation
 * may take a parameter of a narrower type.
 */
export type HandlerMethod<Model> = [Model] extends [undefined]
  ? { method(ctx: Context): HandlerResult }['method']
  : { method(ctx: Context, model: Model): HandlerResult }['method'];

/**
 * One optional method per dispatch event, derived from the catalogue of `@bot/core`
 * (`DISPATCH_EVENTS`: the method's name) and `EventModels` (its model): `messageCreate?(ctx:
 * Context, message: Message)` for `AT_MESSAGE_CREATE`, and so on.
 */
export type DispatchEventHandlers = {
  [Name in DispatchEventName as DispatchEventMethod<Name>]?: HandlerMethod<ModelOf<Name>>;
};

/**
 * Your bot's reactions to events. Implement the methods you need; each is optional. Register any
 * number of handlers with `ClientBuilder.eventHandler`; for each event they are called in
 * registration order. A method that throws or rejects is reported to `error()` (of every handler)
 * and never stops other handlers, other events or the connection.
 *
 * There is one method per dispatch event ({@link DispatchEventHandlers}; the README's event table
 * lists them), plus the hooks below.
 *
 * ```ts
 * class Bot implements EventHandler {
 *   async messageCreate(ctx: Context, msg: Message) {
 *     if (msg.cleanContent === '!ping') await msg.reply('Pong!');
 *   }
 * }
 * ```
 */
export interface EventHandler extends DispatchEventHandlers {
  /** Something failed: a handler, a request, the gateway. `switch (error.kind)` narrows it to its class. */
  error?(error: ClientError, ctx?: Context): HandlerResult;
  /** A REST request was rate limited and is waiting. */
  ratelimit?(event: RateLimitedEvent): HandlerResult;
  /**
   * An attempt of one of this client's REST requests went to the wire and got an answer or failed
   * there (a call that retries makes one per attempt): its method, route template, status or
   * failure, attempt number, whether it is retried and where its time went, for metrics. Called
   * as the attempt ends, before the call settles; what it returns is not awaited by the call,
   * and every handler is told at once, none waiting for another's promise.
   * Only when a handler has this method does the client listen for attempts, so a bot without
   * it builds no event per request.
   *
   * ```ts
   * class Metrics implements EventHandler {
   *   restAttempt({ method, route, status, failure, platformMs }: RestAttemptEvent) {
   *     histogram.observe({ method, route, outcome: String(status ?? failure) }, platformMs);
   *   }
   * }
   * ```
   */
  restAttempt?(event: RestAttemptEvent): HandlerResult;
  /** A shard changed state. */
  shardStatus?(event: ShardStatusEvent): HandlerResult;
  /**
   * Every started shard is ready, and the `ready()` handlers of each fresh session have finished;
   * fires once per start call. A resumed session counts once resumed, without waiting for its
   * replayed events or `resumed()` handlers, which are handled in order after it.
   */
  shardsReady?(event: ShardsReadyEvent): HandlerResult;
}

/** Names of the {@link EventHandler} methods that receive dispatch events. */
export type EventMethod = DispatchEventMethod;

/** Names of the {@link EventHandler} methods that are not dispatch events (`error`, `shardStatus`, …). */
export type LifecycleMethod = Exclude<keyof EventHandler, EventMethod>;

/**
 * Sees every dispatch, known or not, parsed once, before model conversion. Useful for metrics,
 * logging, or events this framework does not model yet.
 */
export interface RawEventHandler {
  /** Called for every dispatch payload (`{ id, op, d, s, t }`). */
  raw(ctx: Context, payload: GatewayPayload): HandlerResult;
}
