import type { ShardManager } from '@bot/gateway';

/** The first `error` the manager emits within `withinMs`, with its shard id. */
export function nextError(
  manager: ShardManager,
  withinMs = 10_000,
): Promise<{ error: Error; shardId: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'error' event within ${withinMs} ms`)), withinMs);
    manager.once('error', (error, shardId) => {
      clearTimeout(timer);
      resolve({ error, shardId });
    });
  });
}
