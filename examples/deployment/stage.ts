/**
 * What a rehearsal of `bot.ts` runs against, shared by `rehearsal.ts` and the tests that stop it:
 * the embedded emulator and a throwaway Redis (or the one at REDIS_URL).
 */
import { Platform } from '../support/index.js';
import { DISTRIBUTED_ENV, GATEWAY_INTENTS } from '../distributed/deployment.js';
import { exampleRedis } from '../distributed/exampleRedis.js';

/** A platform and a Redis for `bot.ts`, and the environment that runs it there. */
export interface DeploymentStage {
  /** Where the bot connects: the embedded emulator unless credentials are in the environment. */
  readonly platform: Platform;
  /**
   * The variables that run `bot.ts` against this stage as the only process of the bot: the
   * platform's, the Redis URL and the shard count.
   */
  readonly env: Record<string, string>;
  /** Stops the Redis (if started here), then the emulator. */
  stop(): Promise<void>;
}

/**
 * Starts Redis, then a platform for a bot of `shards` shards (all identifying at once, every
 * intent `bot.ts` asks for granted); a platform that fails to start stops the Redis again.
 *
 * @param shards - the bot's shard count
 * @throws what `exampleRedis()` or `Platform.connect()` throws
 */
export async function startDeploymentStage(shards: number): Promise<DeploymentStage> {
  const redis = await exampleRedis();
  const platform = await Platform.connect({
    shards,
    sessionStartLimit: { maxConcurrency: shards },
    grantedIntents: GATEWAY_INTENTS.bits,
  }).catch(async (error: unknown) => {
    await redis.stop();
    throw error;
  });
  const env = {
    ...platform.childEnv(),
    [DISTRIBUTED_ENV.redisUrl]: redis.url,
    [DISTRIBUTED_ENV.gatewayProcesses]: '1',
    [DISTRIBUTED_ENV.ordinal]: '0',
    [DISTRIBUTED_ENV.totalShards]: String(shards),
  };
  return {
    platform,
    env,
    async stop() {
      await redis.stop();
      await platform.stop();
    },
  };
}
