import { RedisIdentifyQueue } from '@bot/gateway/redis';
import { capturingLogger } from '../../support/harness.js';
import { appId, type RedisFixture } from './redisFixture.js';

/** The identify window the stored-state tests' queues keep between turns of one bucket. */
export const IDENTIFY_WINDOW_MS = 1_000;

/** The key of the shared identify state of {@link appId} under `prefix`. */
export function identifyState(prefix: string): string {
  return `${prefix}:{${appId}}:identify`;
}

/**
 * A queue of max_concurrency 1 and a {@link IDENTIFY_WINDOW_MS} window under `prefix`, with the
 * lines it logs; no turn taken yet.
 *
 * @param fixture - the test file's Redis fixture
 * @param prefix - where the queue keeps its state
 */
export function identifyQueue(fixture: RedisFixture, prefix: string) {
  const { logger, lines } = capturingLogger();
  const queue = new RedisIdentifyQueue(fixture.redis(), {
    appId,
    prefix,
    logger,
    limits: {
      total: 1_000,
      remaining: 1_000,
      resetAfterMs: 3_600_000,
      maxConcurrency: 1,
      windowMs: IDENTIFY_WINDOW_MS,
      marginMs: 100,
    },
  });
  return { queue, lines };
}

/**
 * A queue from {@link identifyQueue} under a fresh prefix, its state set up by a first turn of
 * shard 0.
 *
 * @param fixture - the test file's Redis fixture
 */
export async function startedQueue(fixture: RedisFixture) {
  const prefix = fixture.prefix();
  const { queue, lines } = identifyQueue(fixture, prefix);
  await queue.wait(0);
  return { queue, state: identifyState(prefix), lines };
}
