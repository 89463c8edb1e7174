import type { BotLogger, GatewayPayload } from '@bot/core';
import type { RateLimitedEvent, RestAttemptEvent } from '@bot/http';
import type { Context } from '../context/Context.js';
import type { ClientError } from '../errors/ClientError.js';
import { HandlerError } from '../errors/HandlerError.js';
import { printableError } from '../util/printableError.js';
import type {
  EventHandler,
  EventMethod,
  ShardStatusEvent,
  ShardsReadyEvent,
} from '../events/EventHandler.js';

// The handler methods that are not events: `error()` and the lifecycle hooks, each called on every
// handler in registration order and isolated from the others; and how errors name events and
// handlers.

/** The lifecycle hooks and the argument each is called with. */
export interface HookEvents {
  /** The REST client was rate limited. */
  ratelimit: RateLimitedEvent;
  /** An attempt of a REST request went to the wire and got an answer or failed there. */
  restAttempt: RestAttemptEvent;
  /** A shard changed state. */
  shardStatus: ShardStatusEvent;
  /** Every shard of the process is ready. */
  shardsReady: ShardsReadyEvent;
}

/**
 * Reports an error to the `error()` method of every handler; failures there are logged, and so
 * is the error when no handler has an `error()`, with the stack of its cause (what the handler
 * threw) or its own.
 *
 * @param handlers - the handlers, in call order
 * @param log - where failing `error()` methods are logged
 * @param error - what went wrong
 * @param ctx - the context it happened in, when there is one
 */
export async function reportToHandlers(
  handlers: readonly EventHandler[],
  log: BotLogger,
  error: ClientError,
  ctx: Context | undefined,
): Promise<void> {
  let handled = false;
  for (const handler of handlers) {
    if (!handler.error) continue;
    handled = true;
    try {
      await handler.error(error, ctx);
    } catch (failure) {
      const which = describeHandler(handler, handlers);
      log.error(`error() of ${which} threw while handling an error`, printableError(failure));
    }
  }
  // The cause carries the stack of the user's throw, which the message alone loses; an error
  // without one (or a thrown non-Error) is logged with its own stack. Either without its fields.
  if (!handled) log.error(error.message, printableError(error.cause instanceof Error ? error.cause : error));
}

/**
 * Hooks told of each request: every handler is called at once, none waits for another's promise,
 * or one slow metrics sink would hold up every other handler's news, request after request.
 */
const UNORDERED_HOOKS: ReadonlySet<keyof HookEvents> = new Set(['restAttempt']);

/**
 * Calls a lifecycle hook on every handler that has it, in registration order, each after the
 * previous one's promise settled (`restAttempt`: all at once); a throw or rejection becomes a
 * {@link HandlerError} for `error()`, and the next handler is called all the same.
 *
 * @param handlers - the handlers, in call order
 * @param log - where failing `error()` methods are logged
 * @param hook - the method name
 * @param event - its argument
 */
export async function callHook<K extends keyof HookEvents>(
  handlers: readonly EventHandler[],
  log: BotLogger,
  hook: K,
  event: HookEvents[K],
): Promise<void> {
  if (UNORDERED_HOOKS.has(hook)) {
    await Promise.all(handlers.map((handler) => callOneHook(handlers, handler, log, hook, event)));
    return;
  }
  for (const handler of handlers) await callOneHook(handlers, handler, log, hook, event);
}

async function callOneHook<K extends keyof HookEvents>(
  handlers: readonly EventHandler[],
  handler: EventHandler,
  log: BotLogger,
  hook: K,
  event: HookEvents[K],
): Promise<void> {
  const method = handler[hook] as ((arg: unknown) => unknown) | undefined;
  if (!method) return;
  try {
    await method.call(handler, event);
  } catch (error) {
    const failure = new HandlerError(hook, undefined, describeHandler(handler, handlers), error);
    await reportToHandlers(handlers, log, failure, undefined);
  }
}

/** One handler's implementation of one event method, resolved ahead of the events. */
export interface HandlerCall {
  /** The handler, `this` of the call. */
  readonly handler: EventHandler;
  /** Its implementation of the method. */
  readonly method: (ctx: Context, model: unknown) => unknown;
  /** `Bot#0.messageCreate`, for errors. */
  readonly label: string;
}

/**
 * The handlers implementing `method`, in registration order.
 *
 * @param handlers - every handler, in call order
 * @param method - the event method
 */
export function handlerCallsOf(handlers: readonly EventHandler[], method: EventMethod): HandlerCall[] {
  return handlers.flatMap((handler) => {
    const implementation = handler[method] as HandlerCall['method'] | undefined;
    return typeof implementation === 'function'
      ? [{ handler, method: implementation, label: `${describeHandler(handler, handlers)}.${method}` }]
      : [];
  });
}

/**
 * How errors name a raw handler: by its place among the raw handlers (`raw handler #0`).
 *
 * @param index - its registration index among the raw handlers
 */
export function rawHandlerLabel(index: number): string {
  return `raw handler #${index}`;
}

/**
 * The event name errors are filed under: `t`, or the opcode for a frame without one.
 *
 * @param payload - the event
 */
export function eventName(payload: GatewayPayload): string {
  return payload.t ?? `op ${payload.op}`;
}

/**
 * `Bot#0`: a handler's class name and its registration index, to tell handlers apart in errors.
 *
 * @param handler - the handler
 * @param all - every handler, in registration order
 */
export function describeHandler(handler: object, all: readonly object[]): string {
  // `Object.create(null)` handlers have no constructor at all.
  const type = (handler as { constructor?: { name?: unknown } }).constructor;
  const name =
    type === undefined || type === Object || typeof type.name !== 'string' || type.name === ''
      ? 'handler'
      : type.name;
  return `${name}#${all.indexOf(handler)}`;
}
