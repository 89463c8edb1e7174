import type { Redis, RedisOptions } from 'ioredis';
import { childLogger, createLogger, requireDuration, ValidationError, type BotLogger } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import { RedisOperationError } from './RedisOperationError.js';
import { logConnection } from './support/logConnection.js';
import { withTimeout } from './support/retry.js';

/** ioredis's default `connectTimeout`, in ms. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Options of {@link connectRedis}: ioredis's, and where connection problems are logged. */
export interface ConnectRedisOptions extends RedisOptions {
  /** Logger; a sub-logger named `redis` is derived from it. */
  logger?: BotLogger | undefined;
}

/** What to do about a missing or empty URL: most come from the environment, as in the examples. */
const URL_HINT =
  "pass the server's URL, such as 'redis://127.0.0.1:6379/0' (the examples read REDIS_URL: set it)";

/**
 * Accepts the URL argument. ioredis reads an empty URL as 127.0.0.1:6379: an empty variable would
 * connect there, or fail as "connection to  failed", instead of saying what is missing.
 *
 * @param url - the argument
 * @throws {@link ValidationError} for a URL that is missing, not a string or blank
 */
function requireUrl(url: unknown): string {
  if (url === undefined || url === null)
    throw new ValidationError('url', `is missing (got ${String(url)}): ${URL_HINT}`);
  if (typeof url !== 'string')
    throw new ValidationError('url', `must be a string (got a value of type ${typeof url}): ${URL_HINT}`);
  if (url.trim() === '') throw new ValidationError('url', `must not be empty: ${URL_HINT}`);
  return url;
}

/** The URL with any password replaced, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

/**
 * Loads the optional peer dependency `ioredis`, connects to `url` and resolves once the client
 * is ready. The client reconnects by itself after a lost connection (ioredis's default), and its
 * `error` events are logged (a warning per outage, see the package README) instead of going to
 * the console.
 *
 * While disconnected, commands fail at once (`enableOfflineQueue: false`) instead of waiting in a
 * queue that grows for as long as the outage lasts: every operation of this package retries with
 * back-off and a deadline of its own, so a queued command would only be a stale repeat of a try
 * already given up on. Pass `enableOfflineQueue: true` to have the queue for commands of your own;
 * it is then emptied every `maxRetriesPerRequest` + 1 failed reconnection attempts (ioredis's
 * bound, 20 by default), which must stay a number.
 *
 * The first connection, its ready check included, gets `connectTimeout` (10 s by default) in
 * all: ioredis times only the TCP connect, so a server that accepts and never answers (a stalled
 * Redis, a link that dropped its packets) would otherwise hold the caller for good. As in
 * ioredis, `connectTimeout: 0` sets no limit.
 *
 * @param url - for example `redis://127.0.0.1:6379/0` or `rediss://user:password@host:6380`
 * @param options - further ioredis options, and the logger
 * @throws {@link ValidationError} for a `url` that is missing, not a string or blank (an
 *   environment variable unset or empty), an offline queue without a bound (`enableOfflineQueue: true`
 *   with `maxRetriesPerRequest: null`), or a `connectTimeout` that is not 0 or a positive number of
 *   milliseconds a timer can wait; {@link GatewayError} when `ioredis` is not installed;
 *   {@link RedisOperationError} when the first connection fails or is not ready within
 *   `connectTimeout`
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  requireUrl(url);
  const { logger, ...redisOptions } = options;
  if (redisOptions.enableOfflineQueue === true && redisOptions.maxRetriesPerRequest === null) {
    throw new ValidationError(
      'maxRetriesPerRequest',
      'must be a number when enableOfflineQueue is true, or the offline queue grows for as long as Redis is away',
    );
  }
  // ioredis reads 0 as "no connect timeout", and a delay past Node's largest timer fires at once.
  const connectTimeout = redisOptions.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (connectTimeout !== 0) requireDuration(connectTimeout, 'connectTimeout');
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
  const redis = new RedisClient(url, { lazyConnect: true, enableOfflineQueue: false, ...redisOptions });
  logConnection(redis, childLogger(logger ?? createLogger('gateway'), 'redis'), redact(url));
  // ioredis rejects `connect()` with "Connection is closed."; why it closed (ECONNREFUSED, a DNS
  // failure, a TLS error) came as an 'error' event before.
  let failure: unknown;
  const noteFailure = (error: unknown): void => {
    failure ??= error;
  };
  redis.on('error', noteFailure);
  try {
    await (connectTimeout === 0 ? redis.connect() : withTimeout(redis.connect(), connectTimeout));
  } catch (error) {
    redis.disconnect();
    throw new RedisOperationError(`connect to ${redact(url)}`, undefined, { cause: failure ?? error });
  } finally {
    redis.off('error', noteFailure);
  }
  return redis;
}
