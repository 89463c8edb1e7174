/**
 * Checks on numbers the gateway sends that the shard would otherwise trust blindly. Each is cheap
 * enough for the per-frame path: no allocation, no parsing.
 */

/**
 * Whether `value` can be a sequence number: a non-negative safe integer. Strings, `Infinity`
 * (`1e400` in JSON), `NaN`, negative and fractional values are not; trusting one would move the
 * session's resume point somewhere no replay can start from.
 */
export function isSequence(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * Heartbeat intervals the shard accepts from Hello, in milliseconds. Below the floor a timer
 * would fire faster than any beat can round-trip (the platform asks for about 41 s); above the
 * ceiling Node's timers overflow (beyond 2^31 - 1 ms they fire at once) and a dead connection
 * would go unnoticed for too long.
 */
export const HEARTBEAT_INTERVAL_BOUNDS = { minMs: 100, maxMs: 5 * 60_000 } as const;

/** `intervalMs` moved into {@link HEARTBEAT_INTERVAL_BOUNDS}. */
export function clampHeartbeatInterval(intervalMs: number): number {
  return Math.min(HEARTBEAT_INTERVAL_BOUNDS.maxMs, Math.max(HEARTBEAT_INTERVAL_BOUNDS.minMs, intervalMs));
}
