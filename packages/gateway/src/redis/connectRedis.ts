import type { Redis, RedisOptions } from 'ioredis';
import { GatewayError } from '../errors/GatewayError.js';
import { RedisOperationError } from './RedisOperationError.js';

/** The URL with any password replaced, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

/**
 * Loads the optional peer dependency `ioredis`, connects to `url` and resolves once the client
 * is ready. The client reconnects by itself after a lost connection (ioredis's default).
 *
 * @param url - for example `redis://127.0.0.1:6379/0` or `rediss://user:password@host:6380`
 * @param options - further ioredis options
 * @throws {@link GatewayError} when `ioredis` is not installed; {@link RedisOperationError} when
 *   the first connection fails
 */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  let RedisClient: typeof Redis;
  try {
    ({ Redis: RedisClient } = await import('ioredis'));
  } catch (error) {
    throw new GatewayError(
      '@bot/gateway/redis needs the optional peer dependency ioredis 5 (npm install ioredis@5)',
      undefined,
      { cause: error },
    );
  }
  const redis = new RedisClient(url, { lazyConnect: true, ...options });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new RedisOperationError(`connect to ${redact(url)}`, undefined, { cause: error });
  }
  return redis;
}
