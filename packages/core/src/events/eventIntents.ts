import { IntentFlags, Intents, type IntentName } from '../intents/Intents.js';
import {
  DISPATCH_EVENTS,
  UNTYPED_EVENT_INTENTS,
  type DispatchEventDeclaration,
  type DispatchEventName,
} from './dispatchEvents.js';

// The lookups derived from the event catalogue: which intent an event needs, which events an
// intent brings.

const DECLARATIONS: ReadonlyMap<string, DispatchEventDeclaration> = new Map(Object.entries(DISPATCH_EVENTS));
const UNTYPED: ReadonlyMap<string, IntentName> = new Map(Object.entries(UNTYPED_EVENT_INTENTS));

/**
 * Whether the framework types an event (it is in {@link DISPATCH_EVENTS}).
 *
 * @param name - the `t` of a dispatch payload
 */
export function isDispatchEventName(name: string): name is DispatchEventName {
  return DECLARATIONS.has(name);
}

/**
 * The intent a session needs to receive an event.
 *
 * @param name - the `t` of a dispatch payload
 * @returns the intent's name; `undefined` for READY, RESUMED and names no known intent gates
 *   (which every session receives)
 */
export function intentOfEvent(name: string): IntentName | undefined {
  return DECLARATIONS.get(name)?.intent ?? UNTYPED.get(name);
}

/**
 * The intents a session needs to receive all of `names`: `intentsForEvents(['AT_MESSAGE_CREATE',
 * 'GROUP_AT_MESSAGE_CREATE'])` is `PUBLIC_GUILD_MESSAGES | GROUP_AND_C2C_EVENT`.
 *
 * @param names - event names; ungated and unknown names add nothing
 */
export function intentsForEvents(names: Iterable<string>): Intents {
  let bits = 0;
  for (const name of names) {
    const intent = intentOfEvent(name);
    if (intent !== undefined) bits = (bits | IntentFlags[intent]) >>> 0;
  }
  return new Intents(bits);
}

/**
 * The events an intent subscribes to, typed or not, in catalogue order.
 *
 * @param intent - an intent's name
 */
export function eventsOfIntent(intent: IntentName): string[] {
  return [...DECLARATIONS.keys(), ...UNTYPED.keys()].filter((name) => intentOfEvent(name) === intent);
}
