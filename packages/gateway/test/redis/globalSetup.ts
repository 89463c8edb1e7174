/**
 * vitest global setup for the Redis tests: uses `REDIS_URL` when it is set, otherwise starts a
 * throw-away `redis-server` on 127.0.0.1 (free port, no persistence) and stops it at the end.
 * Without either, the Redis tests fail with instructions; the other tests are not affected.
 */
import type { TestProject } from 'vitest/node';
import { RedisServer } from './support/redisServer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis server for the tests, or '' when none could be had. */
    redisUrl: string;
    /** Why there is no Redis server, with what to do about it. */
    redisProblem: string;
  }
}

/** Starts (or finds) the server and hands its URL to the tests; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env['REDIS_URL'];
  if (given !== undefined && given !== '') {
    project.provide('redisUrl', given);
    project.provide('redisProblem', '');
    return async () => undefined;
  }
  try {
    const server = await RedisServer.start();
    project.provide('redisUrl', server.url);
    project.provide('redisProblem', '');
    return () => server.stop();
  } catch (error) {
    project.provide('redisUrl', '');
    project.provide('redisProblem', error instanceof Error ? error.message : String(error));
    return async () => undefined;
  }
}
