import { createServer, type Socket } from 'node:net';
import { Logger, type ILogObj } from 'tslog';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/http';
import { connectRedis, RedisOperationError } from '@bot/gateway/redis';
import { closedPort } from '../support/closedPort.js';
import { RedisServer } from './support/redisServer.js';
import { until } from './support/until.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** A logger that keeps `[level, message]` of every line instead of printing it. */
function recordingLogger(): { logger: Logger<ILogObj>; lines: [string, string][] } {
  const lines: [string, string][] = [];
  const logger = new Logger<ILogObj>({ type: 'hidden', minLevel: 0 });
  logger.attachTransport((record) => {
    const meta = (record as { _meta?: { logLevelName?: string } })._meta;
    lines.push([meta?.logLevelName ?? '', String((record as Record<string, unknown>)['0'])]);
  });
  return { logger, lines };
}

describe('connectRedis', () => {
  it('logs a lost connection once through the given logger, and its return, instead of printing every failed attempt', async () => {
    const consoleErrors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const server = await RedisServer.start();
    cleanups.push(() => server.stop());
    const { logger, lines } = recordingLogger();
    const redis = await connectRedis(server.url, { logger, retryStrategy: () => 20 });
    cleanups.push(() => redis.disconnect());
    let failedAttempts = 0;
    redis.on('error', () => void failedAttempts++);

    await server.stop();
    await until(() => failedAttempts >= 5, 'five failed reconnection attempts');
    const warnings = lines.filter(([level]) => level === 'WARN');
    expect(warnings).toEqual([
      [
        'WARN',
        expect.stringMatching(
          /^connection to redis:\/\/127\.0\.0\.1:\d+ failed: .*ECONNREFUSED.*; reconnecting \(commands fail until it is back\)$/,
        ),
      ],
    ]);

    await server.restart();
    await until(() => lines.some(([level]) => level === 'INFO'), 'the connection coming back');
    expect(lines.filter(([level]) => level === 'INFO')).toEqual([
      [
        'INFO',
        expect.stringMatching(/^connection to redis:\/\/127\.0\.0\.1:\d+ is back after \d+ failed attempts$/),
      ],
    ]);
    expect(await redis.ping()).toBe('PONG');
    expect(consoleErrors).not.toHaveBeenCalled();
  });

  it('rejects commands at once while disconnected instead of queueing them for the outage', async () => {
    const server = await RedisServer.start();
    cleanups.push(() => server.stop());
    const { logger } = recordingLogger();
    // Reconnection attempts far apart: a queued command would wait for the next one.
    const redis = await connectRedis(server.url, { logger, retryStrategy: () => 60_000 });
    cleanups.push(() => redis.disconnect());

    await server.stop();
    await until(() => redis.status === 'reconnecting', 'the client noticing');
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, (_, n) => redis.get(`key-${n}`)));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(outcomes[0]).toEqual({
      status: 'rejected',
      reason: new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    });
  });

  it('refuses an offline queue without a bound', async () => {
    await expect(
      connectRedis('redis://127.0.0.1:1', { enableOfflineQueue: true, maxRetriesPerRequest: null }),
    ).rejects.toThrow(ValidationError);
    await expect(
      connectRedis('redis://127.0.0.1:1', { enableOfflineQueue: true, maxRetriesPerRequest: null }),
    ).rejects.toThrow('maxRetriesPerRequest must be a number when enableOfflineQueue is true');
  });

  it(
    'rejects, naming the wait, when the server accepts the connection but never answers',
    { timeout: 5_000 },
    async () => {
      const accepted: Socket[] = [];
      // Reads what it is sent (the ready check) and answers nothing.
      const silent = createServer((socket) => void accepted.push(socket.resume()));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            for (const socket of accepted) socket.destroy();
            silent.close(() => resolve());
          }),
      );
      const { port } = silent.address() as { port: number };
      const { logger } = recordingLogger();

      const error = await connectRedis(`redis://127.0.0.1:${port}`, { logger, connectTimeout: 200 }).catch(
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(RedisOperationError);
      expect((error as Error).message).toContain(`could not connect to redis://127.0.0.1:${port}`);
      expect((error as Error).message).toMatch(/no answer within 200 ms/);
      await until(
        () => accepted.every((socket) => socket.destroyed || socket.readableEnded),
        'the connection closed',
      );
    },
  );

  it('takes connectTimeout: 0 as no limit, as ioredis does, and refuses one no timer can wait', async () => {
    const server = await RedisServer.start();
    cleanups.push(() => server.stop());
    const { logger } = recordingLogger();
    const redis = await connectRedis(server.url, { logger, connectTimeout: 0 });
    cleanups.push(() => void redis.disconnect());
    expect(await redis.ping()).toBe('PONG');
    for (const connectTimeout of [2 ** 31, Number.POSITIVE_INFINITY, -1, Number.NaN]) {
      const refused = connectRedis(server.url, { logger, connectTimeout });
      await expect(refused).rejects.toThrow(ValidationError);
      await expect(refused).rejects.toThrow(/connectTimeout must be a positive number of milliseconds/);
    }
  });

  it('names why the first connection failed (connection refused), not only that it closed', async () => {
    const port = await closedPort();
    const { logger } = recordingLogger();
    const error = await connectRedis(`redis://127.0.0.1:${port}`, {
      logger,
      retryStrategy: () => null,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisOperationError);
    expect((error as Error).message).toContain(`could not connect to redis://127.0.0.1:${port}`);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});
