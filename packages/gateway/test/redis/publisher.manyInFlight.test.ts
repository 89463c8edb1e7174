/**
 * A publisher with many publishes waiting for Redis at once (a burst on a slow link) is ordinary
 * load: each waits on the publisher's close signal, and Node must not print a "possible memory
 * leak" warning for it, which would alarm whoever reads the logs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RedisEventPublisher } from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';
import { seqEvent } from './support/publishers.js';

const { namespace, connectThroughLink } = useRedisFixture();

const warnings: Error[] = [];
const onWarning = (warning: Error): void => void warnings.push(warning);

afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

describe('RedisEventPublisher with many publishes in flight', () => {
  it('waits for 50 at once without a MaxListenersExceededWarning, and publishes them all', async () => {
    process.on('warning', onWarning);
    const { connection, link } = await connectThroughLink();
    const publisher = new RedisEventPublisher(connection, namespace());
    link.stall(); // every command is sent and held, so all 50 wait at once
    const publishing = Array.from({ length: 50 }, (_, index) => publisher.publish(seqEvent(index + 1), 0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(publisher.backlog).toBe(50);
    link.resume();
    await Promise.all(publishing);
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    publisher.close();
  });
});
