import type { BotLogger } from '@bot/core';
import type { Context } from '../context/Context.js';
import type { EventHandler, RawEventHandler } from '../events/EventHandler.js';
import type { ModelBinding } from '../models/ModelBinding.js';
import type { DispatchPolicy } from './DispatchPolicy.js';
import type { DEFAULT_HANDLER_TIMEOUT_MS } from './handlerTimeout.js';
import type { LaneFlow } from './ShardLane.js';

/** Back-pressure of the dispatcher's lanes: the marks, and how to stop and restart a shard. */
export interface DispatcherFlow {
  /** Events one lane holds (running and waiting) at which its shard is paused. */
  highWaterMark: number;
  /** Events at which a paused lane's shard is resumed. */
  lowWaterMark: number;
  /** Stop reading `shardId`'s socket. */
  pause(shardId: number): void;
  /** Read `shardId`'s socket again. */
  resume(shardId: number): void;
}

/** What a `Dispatcher` runs events against. */
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
  /** Back-pressure; without it, lanes hold whatever arrives. */
  flow?: DispatcherFlow;
  /**
   * How long a lane waits for an event's handlers before it goes on without them and reports a
   * `HandlerTimeoutError`, in milliseconds; `Infinity`: as long as they take.
   *
   * @defaultValue {@link DEFAULT_HANDLER_TIMEOUT_MS} (60 s)
   */
  handlerTimeoutMs?: number;
}

/**
 * The back-pressure of one lane: its shard paused and resumed; webhook deliveries (no shard) only
 * keep count.
 *
 * @param flow - the dispatcher's back-pressure, if any
 * @param shardId - the lane's shard, or `undefined` for webhook deliveries
 */
export function laneFlowOf(
  flow: DispatcherFlow | undefined,
  shardId: number | undefined,
): LaneFlow | undefined {
  if (flow === undefined) return undefined;
  const { highWaterMark, lowWaterMark } = flow;
  if (shardId === undefined) return { highWaterMark, lowWaterMark, pause: noop, resume: noop };
  return {
    highWaterMark,
    lowWaterMark,
    pause: () => flow.pause(shardId),
    resume: () => flow.resume(shardId),
  };
}

function noop(): void {}
