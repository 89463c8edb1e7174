/**
 * Checks on numbers the gateway sends that the shard would otherwise trust blindly. Each is cheap
 * enough for the per-frame path: no allocation, no parsing.
 */

/**
 * Heartbeat intervals the shard accepts from Hello whatever its send budget, in milliseconds.
 * Below the floor a timer would fire faster than any beat can round-trip (the platform asks for
 * about 41 s); above the ceiling Node's timers overflow (beyond 2^31 - 1 ms they fire at once)
 * and a dead connection would go unnoticed for too long.
 */
export const HEARTBEAT_INTERVAL_BOUNDS = { minMs: 100, maxMs: 5 * 60_000 } as const;

/**
 * The heartbeat intervals one connection accepts: {@link HEARTBEAT_INTERVAL_BOUNDS}, with the
 * floor raised to what its send budget sustains. Beats faster than the budget allows would queue
 * behind it, go out late, and get a healthy connection taken for a zombie.
 *
 * @param budgetFloorMs - the shortest interval the connection's send budget sustains
 */
export function heartbeatIntervalRange(budgetFloorMs: number): { minMs: number; maxMs: number } {
  const { minMs, maxMs } = HEARTBEAT_INTERVAL_BOUNDS;
  return { minMs: Math.min(maxMs, Math.max(minMs, budgetFloorMs)), maxMs };
}

/** `intervalMs` moved into `range`. */
export function clampHeartbeatInterval(intervalMs: number, range: { minMs: number; maxMs: number }): number {
  return Math.min(range.maxMs, Math.max(range.minMs, intervalMs));
}
