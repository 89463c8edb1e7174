import { Redis } from 'ioredis';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { silentLogger } from '../../support/harness.js';
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from './redis.js';
import { StallingLink } from './StallingLink.js';

/** The app id the Redis tests name their keys after, unless a test brings its own. */
export const appId = '102000000';

/** Where a publisher, broker or store keeps its keys, and the logger it reports to. */
export interface RedisNamespace {
  appId: string;
  prefix: string;
  logger: ReturnType<typeof silentLogger>;
}

/** Work to undo after a test: stopping a server, closing a connection. */
export type Cleanup = () => Promise<unknown> | unknown;

/** What a test file shares with its tests: one Redis connection, fresh key prefixes and cleanups. */
export interface RedisFixture {
  /** The file's connection to the test Redis server; there from the first test on. */
  redis(): Redis;
  /** A key prefix no other test uses; its keys are deleted once the file's tests are done. */
  prefix(): string;
  /** A namespace under a fresh {@link RedisFixture.prefix}, for `appId` (default: {@link appId}). */
  namespace(forAppId?: string): RedisNamespace;
  /**
   * Registers cleanups to run after the current test, the last registered first, each even when
   * one run before it failed. They run after the test's fixtures are torn down (vitest's
   * `onTestFinished`), so a manager `emulatorTest` shuts down can still use what they close.
   */
  track(...cleanups: Cleanup[]): void;
  /**
   * A connection of its own to the test Redis server through a link the test can stall, as a
   * gateway process's would be; both are closed after the current test.
   */
  connectThroughLink(): Promise<{ connection: Redis; link: StallingLink }>;
}

/**
 * Registers the hooks of a Redis test file: connect before its tests, and delete the keys under
 * every prefix handed out once all are done. Each test's cleanups run after it (see `track`).
 */
export function useRedisFixture(): RedisFixture {
  const prefixes: string[] = [];
  let connection: Redis | undefined;

  beforeAll(async () => {
    connection = await connectRedis();
  });

  afterAll(async () => {
    if (connection === undefined) return;
    for (const prefix of prefixes) await deleteKeys(connection, prefix);
    connection.disconnect();
  });

  const prefix = (): string => {
    const fresh = uniquePrefix();
    prefixes.push(fresh);
    return fresh;
  };

  // An afterEach would run before the fixtures' teardown, closing connections a manager still saves through.
  const track = (...more: Cleanup[]): void => {
    for (const cleanup of more) {
      onTestFinished(async () => {
        await cleanup();
      });
    }
  };

  return {
    redis: () => {
      if (connection === undefined)
        throw new Error('the Redis connection opens in beforeAll: use it inside a test');
      return connection;
    },
    prefix,
    namespace: (forAppId = appId) => ({ appId: forAppId, prefix: prefix(), logger: silentLogger() }),
    track,
    connectThroughLink: async () => {
      const link = await StallingLink.open(Number(new URL(redisUrl()).port));
      const linked = new Redis(link.url, { lazyConnect: true });
      linked.on('error', () => undefined); // a stalled or cut link makes errors the test expects
      await linked.connect();
      track(
        () => linked.disconnect(),
        () => link.close(),
      );
      return { connection: linked, link };
    },
  };
}
