import type { TypedEmitter } from '@bot/core';
import type { FatalGatewayError } from '../errors/FatalGatewayError.js';
import type { GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { SessionInfo } from '../session/SessionStore.js';
import type { PauseHolder } from '../shard/PauseHolders.js';
import type { ShardCloseOptions, ShardEvents } from '../shard/ShardEvents.js';
import type { ShardState, ShardStatus } from '../shard/ShardState.js';
import type { ThreadHandlerError } from '../workers/ThreadHandlerError.js';
import type { WorkerRestartsExhaustedError } from '../workers/WorkerRestartsExhaustedError.js';

/**
 * Why a shard stopped for good: a fatal close or setup failure (`FatalGatewayError`), or, for a
 * shard on a worker thread, a thread that kept exiting (`WorkerRestartsExhaustedError`) or could
 * not set up its dispatch handler (`ThreadHandlerError`).
 */
export type ShardFatalError = FatalGatewayError | WorkerRestartsExhaustedError | ThreadHandlerError;

/**
 * One shard as a {@link ShardManager} drives it, wherever it runs: a `Shard` on this thread, or
 * its stand-in on the main thread for a shard a worker thread runs (see `workerThreads`). Same
 * events and methods as `Shard`.
 */
export interface ShardHandle extends TypedEmitter<ShardEvents> {
  /** Shard id. */
  readonly id: number;
  /** Shard count. */
  readonly total: number;
  /** Current state. */
  readonly state: ShardState;
  /** Why the shard stopped, once it is `fatal`. */
  readonly fatalError: ShardFatalError | undefined;
  /** Whether its protocol sends a presence (see `GatewayProtocol.supportsPresence`). */
  readonly supportsPresence: boolean;
  /** Whether reading is paused: at least one holder holds it (see `Shard.pause`). */
  readonly paused: boolean;
  /** The holders keeping reading paused, in the order they paused (see `Shard.pausedBy`). */
  readonly pausedBy: readonly PauseHolder[];
  /** A snapshot of state, latency, sequence, session and counters. */
  status(): ShardStatus;
  /** Starts the shard; resolves at the first READY or RESUMED (see `Shard.start`). */
  start(): Promise<void>;
  /** Drops the connection and resumes at once (see `Shard.restart`). */
  restart(): void;
  /**
   * Stops reading events for back-pressure under `holder` (the default holder without one);
   * heartbeats go on (see `Shard.pause`).
   */
  pause(holder?: PauseHolder): void;
  /** Releases `holder`'s pause; reads again, held events first, once no holder is left (see `Shard.resume`). */
  resume(holder?: PauseHolder): void;
  /** Closes the shard and returns the session left behind (see `Shard.close`). */
  close(options?: ShardCloseOptions): Promise<SessionInfo | undefined>;
  /** Sends a frame through the connection's outbound limiter (see `Shard.send`). */
  send(payload: GatewayPayload): Promise<void>;
}
