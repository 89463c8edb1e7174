import type { Redis } from 'ioredis';
import type { BotLogger } from '@bot/core';

/**
 * Listens to a client's `error` events and logs the outage they tell of: a warning at the first
 * failure, the failed reconnection attempts after it only at debug level (the client emits one
 * every attempt), and an info line once the connection is ready again. Without a listener, the
 * client would print every failure to the console, past the logger. The operations that fail
 * meanwhile report themselves to `error` handlers; this is the connection's side of the story.
 *
 * @param redis - the client
 * @param log - where to log
 * @param name - the server, without credentials
 */
export function logConnection(redis: Redis, log: BotLogger, name: string): void {
  let failures = 0;
  redis.on('error', (error: Error) => {
    failures++;
    if (failures === 1) {
      log.warn(
        `connection to ${name} failed: ${error.message}; reconnecting (commands fail until it is back)`,
      );
    } else {
      log.debug(`connection to ${name}: attempt ${failures} failed: ${error.message}`);
    }
  });
  redis.on('ready', () => {
    if (failures > 0) log.info(`connection to ${name} is back after ${failures} failed attempts`);
    failures = 0;
  });
}
