import type { PauseHolder } from '@bot/gateway';

/**
 * The client's own holders of a shard's reading pause (see `Shard.pause`), visible in
 * `shard.pausedBy`. Each authority releases only its own pause, so a lane draining below its
 * low-water mark never lifts a shutdown's pause or a Redis publisher's, and the other way round.
 */
export const CLIENT_PAUSE_HOLDERS = {
  /** A shard's dispatch lane is above its high-water mark (see `ClientBuilder.backpressure`). */
  dispatch: 'client dispatch back-pressure',
  /** `Client.shutdown` stopped reading while the handlers finish what was read. */
  shutdown: 'client shutdown',
} as const satisfies Record<string, PauseHolder>;
