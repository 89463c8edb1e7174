/**
 * At most `limit` requests in any `interval` milliseconds, as the platform counts them, by arrival:
 * at most `limit` run at once, and each keeps its place for `interval` after its answer, so a
 * request waits until one of the requests before it was answered `interval` ago. A request the
 * platform never answers keeps its place until its timeout (15 s by default) plus `interval`.
 */
export interface RouteWindow {
  limit: number;
  interval: number;
}

/** How {@link RestClient} paces requests before the platform has to say no. */
export interface RateLimitOptions {
  /**
   * Messages per second per channel, DM, group or C2C user on the message-sending routes
   * (`POST …/messages`); 5 by default, the platform's limit per channel. Counted as a
   * {@link RouteWindow} of one second: each send frees its place one second after its answer
   * (docs/protocol.md §8.6), so a channel gets 5 sends per (1 s + one round trip).
   */
  messagesPerSecond?: number | undefined;
  /**
   * Windows for other routes, keyed by `METHOD template` (`'PUT /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}'`).
   * A window applies per major id, like the message window.
   */
  routes?: Readonly<Record<string, RouteWindow>> | undefined;
  /**
   * Requests in flight at once per route key; unlimited by default. Windows still apply; an
   * answered request a window still holds a place for is no longer in flight here.
   */
  concurrency?: number | undefined;
  /**
   * Requests that may wait per route key — for their turn in its window or queue, or for a pause
   * the platform asked for — before more are refused at once with a `RateLimitedError` whose
   * `exceeded` is `maxQueued`; 1,000 by default. A positive integer.
   */
  maxQueued?: number | undefined;
}
