import { DISPATCH_EVENTS } from '@bot/core';
import { ValidationError } from '@bot/http';
import type { EventHandler, LifecycleMethod, RawEventHandler } from './EventHandler.js';

/** Methods a handler may have besides the event methods; a hook missing here fails to compile. */
export const LIFECYCLE_METHODS = {
  error: true,
  ratelimit: true,
  restAttempt: true,
  shardStatus: true,
  shardsReady: true,
} as const satisfies Record<LifecycleMethod, true>;

/** Every method name a handler's methods are looked up by: the event methods and the hooks. */
export const HANDLER_METHODS: readonly string[] = [
  ...Object.values(DISPATCH_EVENTS).map((event) => event.method),
  ...Object.keys(LIFECYCLE_METHODS),
];

/**
 * Checks the handlers a client is built with: each is an object, and every handler method it has
 * is a function. The dispatcher looks a handler's methods up once, so a `messageCreate` that is a
 * string would otherwise be skipped without a word.
 *
 * @param handlers - typed handlers, in registration order
 * @param rawHandlers - raw handlers, in registration order
 * @throws {@link ValidationError} naming the handler and the method
 */
export function checkHandlers(
  handlers: readonly EventHandler[],
  rawHandlers: readonly RawEventHandler[],
): void {
  handlers.forEach((handler, index) => {
    if (typeof handler !== 'object' || handler === null)
      throw new ValidationError(`eventHandler[${index}]`, `must be an object (got ${kindOf(handler)})`);
    for (const method of HANDLER_METHODS) {
      const value = (handler as Record<string, unknown>)[method];
      if (value !== undefined && typeof value !== 'function')
        throw new ValidationError(
          `eventHandler[${index}].${method}`,
          `must be a function (got ${kindOf(value)})`,
        );
    }
  });
  rawHandlers.forEach((handler, index) => {
    const raw =
      typeof handler === 'object' && handler !== null ? (handler as { raw?: unknown }).raw : undefined;
    if (typeof raw !== 'function')
      throw new ValidationError(`rawEventHandler[${index}].raw`, `must be a function (got ${kindOf(raw)})`);
  });
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
