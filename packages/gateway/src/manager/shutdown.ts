import { msUntil, steadyNow } from '@bot/core';
import type { SessionInfo } from '../session/SessionStore.js';

/** Options of {@link ShardManager.shutdown} and {@link ShardManager.shutdownAll}. */
export interface ShutdownOptions {
  /** Close with 1000 and forget the sessions; by default they stay resumable (see `handoff`). */
  invalidateSessions?: boolean | undefined;
  /** Deadline in milliseconds; the manager's `shutdownTimeoutMs` by default. */
  timeoutMs?: number | undefined;
}

/**
 * Shuts shards down in parallel, all against one deadline: each gets the time left of it.
 *
 * @param ids - the shards to shut down
 * @param timeoutMs - the deadline, from now
 * @param options - passed on to each shutdown, its `timeoutMs` replaced by the time left
 * @param shutdown - shuts one shard down and resolves with the session it leaves behind
 * @returns the sessions left behind (resumable) by shard id
 */
export async function shutdownTogether(
  ids: Iterable<number>,
  timeoutMs: number,
  options: ShutdownOptions,
  shutdown: (id: number, options: ShutdownOptions) => Promise<SessionInfo | undefined>,
): Promise<Map<number, SessionInfo>> {
  const deadline = steadyNow() + timeoutMs;
  const sessions = new Map<number, SessionInfo>();
  await Promise.all(
    [...ids].map(async (id) => {
      const session = await shutdown(id, { ...options, timeoutMs: msUntil(deadline) });
      if (session !== undefined) sessions.set(id, session);
    }),
  );
  return sessions;
}
