import type { Redis } from 'ioredis';

/**
 * Client states from which ioredis gets ready again on its own. A client not told to connect yet
 * (`wait`) or closed by the application (`end`) is not among them: nothing would come of waiting.
 */
const RECONNECTING_STATES: ReadonlySet<string> = new Set(['connecting', 'connect', 'reconnecting', 'close']);

/** Whether `redis` is on its way (back) to a connection: a command sent now fails at once. */
export function isReconnecting(redis: Redis): boolean {
  return RECONNECTING_STATES.has(redis.status);
}

/**
 * Waits for a reconnecting client to be ready again, so a try of a command is not spent failing at
 * once (a client without offline queue refuses commands until then). Resolves `true` once it is
 * ready (at once if it is, or if it is not reconnecting), `false` after `ms` without it or when the
 * application closes it: the caller then tries anyway and gets the client's own error.
 *
 * @param redis - the client
 * @param ms - how long to wait at most
 * @param signal - ends the wait, rejecting with its reason
 */
export function untilConnected(redis: Redis, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (!isReconnecting(redis)) return Promise.resolve(redis.status === 'ready');
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<boolean>((resolve, reject) => {
    const settle = (connected: boolean, error?: unknown): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(connected);
      else reject(error);
    };
    const onReady = (): void => settle(true);
    const onEnd = (): void => settle(false);
    const onAbort = (): void => settle(false, signal?.reason ?? new Error('aborted'));
    const timer = setTimeout(() => settle(false), ms);
    redis.on('ready', onReady);
    redis.on('end', onEnd);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
