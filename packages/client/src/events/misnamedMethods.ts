import { describeHandler } from '../dispatch/handlerHooks.js';
import { HANDLER_METHODS } from './checkHandlers.js';
import type { EventHandler } from './EventHandler.js';

// A handler is an object with methods named after events. A method spelt almost like one
// (`groupAtMessageCreate` for `groupMessageCreate`, `onMessageCreate` for `messageCreate`)
// compiles, since a class may have methods of its own, and is never called: the bot does not
// answer and nothing says why. The client names such methods once, when it is built.

const KNOWN = new Set(HANDLER_METHODS);
/** Edits (letters added, dropped or changed, case aside) that still read as a misspelling. */
const MAX_EDITS = 2;
/**
 * Handler methods a near spelling is compared with: the long ones. A short one (`ready`,
 * `error`, `resumed`) is a couple of letters from helpers a handler may well have (`read`,
 * `reply`, `resume`, `errors`), so only a prefixed spelling of it (`onReady`) is named; so is
 * `restAttempt`, two letters from `lastAttempt`, `nextAttempt` or `resetAttempt`.
 */
const SPELLED_NEAR = HANDLER_METHODS.filter((method) => method.length >= 8 && method !== 'restAttempt');
/** Prefixes event-handler code in other libraries puts before event names. */
const PREFIXES = /^(?:on|handle)(?=[A-Z])/;

/**
 * The warning naming every method of `handlers` spelt almost like a handler method, with the one
 * meant, or `undefined` when there is none.
 *
 * @param handlers - the typed handlers, in registration order
 */
export function misnamedMethodsWarning(handlers: readonly EventHandler[]): string | undefined {
  const found: string[] = [];
  for (const handler of handlers) {
    for (const name of methodNamesOf(handler)) {
      if (KNOWN.has(name)) continue;
      const meant = meantMethod(name);
      if (meant !== undefined)
        found.push(`${describeHandler(handler, handlers)}.${name} (did you mean ${meant}?)`);
    }
  }
  if (found.length === 0) return undefined;
  return (
    `handler methods named almost like event methods are never called: ${found.join(', ')}; ` +
    'rename them to the event method, or ignore this for a method of your own'
  );
}

/** The handler method `name` most likely misspells, if it is close enough to one. */
function meantMethod(name: string): string | undefined {
  const bare = name.replace(PREFIXES, '');
  const unprefixed = bare.charAt(0).toLowerCase() + bare.slice(1);
  if (unprefixed !== name && KNOWN.has(unprefixed)) return unprefixed;
  let best: string | undefined;
  let bestEdits = MAX_EDITS + 1;
  for (const method of SPELLED_NEAR) {
    const edits = editDistance(name.toLowerCase(), method.toLowerCase(), bestEdits);
    if (edits < bestEdits) {
      best = method;
      bestEdits = edits;
    }
  }
  return best;
}

/**
 * The own and inherited method names of a handler, up to `Object.prototype`; accessors are not
 * read (reading one could run the user's code).
 */
function methodNamesOf(handler: object): Set<string> {
  const names = new Set<string>();
  for (
    let level: object | null = handler;
    level !== null && level !== Object.prototype;
    level = Object.getPrototypeOf(level) as object | null
  ) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(level)))
      if (name !== 'constructor' && typeof descriptor.value === 'function') names.add(name);
  }
  return names;
}

/**
 * Levenshtein distance between `a` and `b`, or `cap` as soon as it is known to be at least that:
 * the names compared are short and only distances below `cap` matter.
 */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowBest = Math.min(rowBest, value);
    }
    if (rowBest >= cap) return cap;
    previous = current;
  }
  return Math.min(previous[b.length]!, cap);
}
