import { ValidationError } from '@bot/core';
import type { SessionInfo } from '../../session/SessionStore.js';

/**
 * Reads a stored session, refusing anything that is not one.
 *
 * @param raw - the stored JSON
 * @param shardId - whose session it is, for the error
 * @throws {@link ValidationError} naming the shard and what is wrong
 */
export function parseSession(raw: string, shardId: number): SessionInfo {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ValidationError(`session of shard ${shardId}`, 'is not JSON');
  }
  const { sessionId, seq, shardCount } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (typeof sessionId !== 'string' || sessionId === '') {
    throw new ValidationError(`session of shard ${shardId}`, 'has no sessionId');
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new ValidationError(`session of shard ${shardId}`, `has an invalid seq (${String(seq)})`);
  }
  if (typeof shardCount !== 'number' || !Number.isSafeInteger(shardCount) || shardCount < 1) {
    throw new ValidationError(
      `session of shard ${shardId}`,
      `has an invalid shardCount (${String(shardCount)})`,
    );
  }
  return { sessionId, seq, shardCount };
}
