import { toDate } from '../content.js';

/**
 * How far the platform's clock may be ahead of this machine's, in ms: a message stamped up to
 * this much "later" than it arrived is not taken as newer than it is (docs/protocol.md §15.2).
 */
export const REPLY_CLOCK_SKEW_MS = 10_000;

/**
 * When a message's reply window opened: when it was received, or earlier when the platform
 * stamped it earlier (a backlogged, queued or replayed event), allowing {@link REPLY_CLOCK_SKEW_MS}
 * of clock difference so a reply the platform still accepts is never refused here.
 *
 * @param receivedAt - when the message arrived (`arrivalTime`), in ms since the epoch
 * @param sentAt - the payload's `timestamp` (ISO 8601 or unix seconds), if any
 * @returns the opening time, in ms since the epoch
 */
export function replyWindowOpenedAt(receivedAt: number, sentAt: string | number | undefined): number {
  const stamped = toDate(sentAt)?.getTime();
  if (stamped === undefined || !Number.isFinite(stamped)) return receivedAt;
  return Math.min(receivedAt, stamped + REPLY_CLOCK_SKEW_MS);
}
