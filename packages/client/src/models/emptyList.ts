/**
 * What a model shows for an optional list the payload left out (docs/protocol.md §7.3: optional
 * arrays may be missing altogether): one frozen empty list shared by every model, so an event
 * without attachments costs no array of its own.
 */
export const EMPTY_LIST: readonly never[] = Object.freeze([]);
