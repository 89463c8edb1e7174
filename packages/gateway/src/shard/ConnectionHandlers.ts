import type { GatewayPayload } from '../protocol/GatewayProtocol.js';

/**
 * Why a connection ended on its own (as opposed to being closed by its owner). `connectError` is
 * set when the socket never opened (refused, DNS, TLS, handshake): the error that stopped it, since
 * its close code (1006) alone reads like a lost connection.
 */
export type ConnectionEnd =
  | { reason: 'closed'; code: number; message: string; connectError?: string }
  | { reason: 'zombie' }
  | { reason: 'helloTimeout' }
  /** A frame larger than `maxPayload` (bytes) arrived: ws closed with 1009 without reading it. */
  | { reason: 'frameTooLarge'; maxPayload: number };

/** Callbacks through which a connection reports to its shard. */
export interface ConnectionHandlers {
  /** Hello arrived; heartbeating has started. */
  hello(intervalMs: number): void;
  /** A frame other than Hello, Heartbeat and Heartbeat ACK. */
  payload(payload: GatewayPayload): void;
  /**
   * A heartbeat was acknowledged after `latency` whole milliseconds; `scheduled`: it was one of
   * the schedule's beats, not one the server asked for with op 1.
   */
  heartbeat(latency: number, scheduled: boolean): void;
  /** The connection ended without its owner asking; called at most once. */
  ended(end: ConnectionEnd): void;
  /** Diagnostic message. */
  debug(message: string): void;
  /** A frame could not be understood; the connection goes on. */
  error(error: Error): void;
}
