/**
 * A strict sliding window: at most `limit` requests start in any `interval` milliseconds, taken
 * exactly as given (no safety margin is added: leave room for transit times yourself).
 */
export interface RouteWindow {
  limit: number;
  interval: number;
}

/** How {@link RestClient} paces requests before the platform has to say no. */
export interface RateLimitOptions {
  /**
   * Messages per second per channel, DM, group or C2C user on the message-sending routes
   * (`POST …/messages`); 5 by default, the platform's limit per channel. The window is one second
   * plus a 200 ms safety margin (docs/protocol.md §8.6), so at the default about 4.2 sends per
   * second go out per channel.
   */
  messagesPerSecond?: number;
  /**
   * Windows for other routes, keyed by `METHOD template` (`'PUT /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}'`).
   * A window applies per major id, like the message window.
   */
  routes?: Readonly<Record<string, RouteWindow>>;
  /** Requests in flight at once per route key; unlimited by default (windows still apply). */
  concurrency?: number;
  /**
   * Requests that may wait per route key — for their turn in its window or queue, or for a pause
   * the platform asked for — before more are refused at once with a `RateLimitedError` whose
   * `exceeded` is `maxQueued`; 1,000 by default. A positive integer.
   */
  maxQueued?: number;
}
