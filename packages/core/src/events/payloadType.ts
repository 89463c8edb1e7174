declare const PAYLOAD: unique symbol;

/**
 * The type of an event's `d`, carried by the compiler only: at run time it is an empty object, so
 * the catalogue states each payload type beside the event's other facts without a second list.
 */
export interface PayloadType<T> {
  readonly [PAYLOAD]?: T;
}

const NO_PAYLOAD_VALUE: PayloadType<never> = Object.freeze({});

/**
 * Names the payload type of a catalogue entry: `payload: payload<Message>()`.
 *
 * @returns a frozen empty object typed as {@link PayloadType}
 */
export function payload<T>(): PayloadType<T> {
  return NO_PAYLOAD_VALUE;
}

/** The payload type a {@link PayloadType} marker carries. */
export type PayloadOf<Marker> = Marker extends PayloadType<infer T> ? T : never;
