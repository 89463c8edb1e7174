import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import type { ShardCloseEvent, ShardState } from './ShardState.js';

/**
 * Events of a `Shard`. A listener that throws, or returns a promise that rejects (an `async` one),
 * is reported on `error` as a `GatewayError` naming the event, with what it threw as `cause`; the
 * shard carries on and nothing waits for the promise.
 */
export type ShardEvents = {
  /** The shard moved from `previous` to `state`. */
  state: (state: ShardState, previous: ShardState) => void;
  /** An event for the bot, parsed once; READY and RESUMED included. */
  dispatch: (payload: DispatchPayload) => void;
  /** A heartbeat was acknowledged after `latency` whole milliseconds. */
  heartbeat: (latency: number) => void;
  /** A connection ended; says why and what comes next. */
  close: (event: ShardCloseEvent) => void;
  /** Diagnostics. */
  debug: (message: string) => void;
  /** A problem: non-fatal ones (the shard carries on) and the `FatalGatewayError` that ends it. */
  error: (error: Error) => void;
};

/** Options of `Shard.close`. */
export interface ShardCloseOptions {
  /**
   * Close with 1000 and forget the session (here and in the store), so nobody can resume it;
   * after a restart, with no connection of the session open, the shard resumes it to close it
   * with 1000 (see `Shard.close`). By default the session stays resumable and its last sequence
   * number is written to the store. Given while a close without it is under way, it upgrades
   * that close; given once the shard is closed, it forgets the session left behind here and in
   * the store, and the platform keeps that session until it expires there (see `Shard.close`).
   * The same holds for a shard on a worker thread.
   */
  invalidateSession?: boolean | undefined;
  /**
   * Time for the closing handshake and the final store write, in milliseconds
   * (`timeouts.closeGraceMs` by default). When an invalidating close has to resume the session
   * to end it (see `Shard.close`), the Resume's round trip to RESUMED and that connection's
   * closing handshake must fit in it too; the store forgets the session alongside, with the whole
   * grace.
   */
  graceMs?: number | undefined;
}
