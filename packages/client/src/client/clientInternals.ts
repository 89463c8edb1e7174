import type { EventHandler } from '../events/EventHandler.js';
import type { Client } from './Client.js';

/**
 * What this package's own code reaches of a built {@link Client} beyond its public API: the
 * setup of a worker thread's client (`defineThreadClient`) warns of its handler methods the
 * shards' intents leave without events, and routes its failures to the main thread when it has
 * no `error()`, whether its factory returned a builder or a client built already (an `async`
 * factory always does: awaiting a builder builds it). Not exported from the package.
 */
export interface ClientInternals {
  /** The client's event handlers, in call order. */
  readonly handlers: readonly EventHandler[];
  /**
   * Adds a handler with only an `error()`, called after the others: as if it had been added to
   * the builder last.
   */
  addErrorHandler(error: NonNullable<EventHandler['error']>): void;
}

const internals = new WeakMap<Client, ClientInternals>();

/**
 * Records `client`'s internals; called once, by its constructor.
 *
 * @param client - the client being constructed
 * @param parts - its handlers and how to add one
 */
export function registerClientInternals(client: Client, parts: ClientInternals): void {
  internals.set(client, parts);
}

/**
 * The internals of a client built by this copy of the package.
 *
 * @param client - a client from `Client.builder(…)`
 * @returns `undefined` for a client of another copy of the package (installed twice), or an
 *   object that only looks like one
 */
export function internalsOf(client: Client): ClientInternals | undefined {
  return internals.get(client);
}
