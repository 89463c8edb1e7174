import type { IdFactory } from '../util/ids.js';
import type { EventRouting, PublishedEvent } from './routing.js';

/** Something that carries events to the bot: the gateway or the webhook pusher. */
export interface EventTransport {
  deliver(event: PublishedEvent, routing: EventRouting): void;
}

/**
 * Publishes events: gives each an id and hands it to every transport (gateway sessions and,
 * when configured, the webhook). A duplicate fault delivers the next events twice with the same id.
 */
export class EventBus {
  readonly #ids: IdFactory;
  readonly #transports: EventTransport[] = [];
  #duplicates = 0;

  /** @param ids source of event ids */
  constructor(ids: IdFactory) {
    this.#ids = ids;
  }

  /** Adds a transport. */
  addTransport(transport: EventTransport): void {
    this.#transports.push(transport);
  }

  /** Publishes an event and returns it as delivered (id, name, data). */
  publish<D>(t: string, d: D, routing: EventRouting = {}): PublishedEvent<D> {
    const event: PublishedEvent<D> = { id: this.#ids.eventId(t), t, d };
    const copies = this.#duplicates > 0 ? 2 : 1;
    if (this.#duplicates > 0) this.#duplicates--;
    for (let copy = 0; copy < copies; copy++) {
      for (const transport of this.#transports) transport.deliver(event, routing);
    }
    return event;
  }

  /** Delivers each of the next `count` events twice, as the platform sometimes does. */
  duplicateNext(count = 1): void {
    this.#duplicates += count;
  }

  /** Cancels pending duplicate faults. */
  clearDuplicates(): void {
    this.#duplicates = 0;
  }
}
