import { DISPATCH_EVENTS, IntentFlags, type IntentName, type Intents } from '@bot/core';
import { describeHandler } from '../dispatch/handlerHooks.js';
import type { EventHandler } from './EventHandler.js';

// Which handler methods the requested intents leave without events. The platform sends a session
// only the events of the intents it identified with, so a method whose intent is missing is never
// called, and nothing on the wire says so: the client says it once, when a gateway start begins.

/** A handler method no event will reach with the requested intents. */
export interface UncoveredMethod {
  /** The method, as handlers spell it (`groupMessageCreate`). */
  readonly method: string;
  /** The event that calls it (`GROUP_AT_MESSAGE_CREATE`). */
  readonly event: string;
  /** The intent that subscribes to the event. */
  readonly intent: IntentName;
  /** The handlers implementing it (`Bot#0`), in registration order. */
  readonly handlers: readonly string[];
}

/**
 * The handler methods whose events `intents` do not subscribe to, in catalogue order. `ready` and
 * `resumed`, which every session receives, never count.
 *
 * @param handlers - the typed handlers, in registration order
 * @param intents - the intents the shards identify with
 */
export function uncoveredMethods(handlers: readonly EventHandler[], intents: Intents): UncoveredMethod[] {
  const uncovered: UncoveredMethod[] = [];
  for (const [event, { intent, method }] of Object.entries(DISPATCH_EVENTS)) {
    if (intent === null || intents.has(IntentFlags[intent])) continue;
    const implementing = handlers.filter(
      (handler) => typeof (handler as Record<string, unknown>)[method] === 'function',
    );
    if (implementing.length === 0) continue;
    const names = implementing.map((handler) => describeHandler(handler, handlers));
    uncovered.push({ method, event, intent, handlers: names });
  }
  return uncovered;
}

/**
 * The `Intents` method adding an intent: `withGroupAndC2cEvent` for `GROUP_AND_C2C_EVENT`.
 *
 * @param intent - the intent's name
 */
export function intentBuilderMethod(intent: IntentName): string {
  const words = intent.toLowerCase().split('_');
  return `with${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}`;
}

/**
 * The warning for handler methods no event will reach, naming each method, its handlers, the
 * intent it needs and the call adding it; `undefined` when every method is covered.
 *
 * @param handlers - the typed handlers, in registration order
 * @param intents - the intents the shards identify with
 */
export function uncoveredIntentsWarning(
  handlers: readonly EventHandler[],
  intents: Intents,
): string | undefined {
  const uncovered = uncoveredMethods(handlers, intents);
  if (uncovered.length === 0) return undefined;
  const each = uncovered.map(
    ({ method, handlers: names, intent }) =>
      `${method} (${names.join(', ')}) needs ${intent}: add .${intentBuilderMethod(intent)}()`,
  );
  return (
    `${intents.toString()} leave ${uncovered.length} handler method(s) without events, so they ` +
    `will never be called: ${each.join('; ')}. Ask only for intents the bot is granted (others ` +
    'close the connection with 4014)'
  );
}
