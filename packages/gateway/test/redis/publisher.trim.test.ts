/**
 * Trimming removes only what every consumer group has read; a lossy cap is opt-in and every range
 * it removes unread is reported. docs/redis-deployment.md, "Stream trimming and consumer lag".
 */
import { Logger, type ILogObj } from 'tslog';
import { describe, expect, it } from 'vitest';
import { RedisEventPublisher } from '@bot/gateway/redis';
import { appId, useRedisFixture } from './support/redisFixture.js';
import { seqEvent as message } from './support/publishers.js';

const { redis, namespace, track } = useRedisFixture();

/** A publisher under a fresh prefix, closed after the test, with its stream key. */
function publisherFor(options: { maxLength?: number; maxLag?: number; logger?: Logger<ILogObj> } = {}) {
  const ns = { ...namespace(), ...options };
  const publisher = new RedisEventPublisher(redis(), ns);
  track(() => publisher.close());
  return { publisher, stream: `${ns.prefix}:{${appId}}:events` };
}

async function publishAll(publisher: RedisEventPublisher, count: number): Promise<void> {
  for (let n = 1; n <= count; n++) await publisher.publish(message(n), 0);
}

describe('RedisEventPublisher trimming', () => {
  it('removes what every group has read and nothing a group has not (pending or undelivered)', async () => {
    const { publisher, stream } = publisherFor();
    await redis().xgroup('CREATE', stream, 'fast', '0', 'MKSTREAM');
    await redis().xgroup('CREATE', stream, 'slow', '0');
    await publishAll(publisher, 10);
    const ids = (await redis().xrange(stream, '-', '+')).map(([id]) => id);
    // `fast` read and acknowledged all ten; `slow` read five and acknowledged the first three.
    await redis().xreadgroup('GROUP', 'fast', 'a', 'COUNT', 10, 'STREAMS', stream, '>');
    await redis().xack(stream, 'fast', ...ids);
    await redis().xreadgroup('GROUP', 'slow', 'b', 'COUNT', 5, 'STREAMS', stream, '>');
    await redis().xack(stream, 'slow', ...ids.slice(0, 3));

    await publisher.trim();

    expect((await redis().xrange(stream, '-', '+')).map(([id]) => id)).toEqual(ids.slice(3));
    expect(publisher.metrics).toMatchObject({ lag: 7, unreadTrimmed: 0 });
  });

  it('counts as lag only what is pending or undelivered: one entry left pending neither inflates it nor pauses shards', async () => {
    const { publisher, stream } = publisherFor({ maxLag: 5 });
    await redis().xgroup('CREATE', stream, 'workers', '0', 'MKSTREAM');
    await publishAll(publisher, 20);
    const ids = (await redis().xrange(stream, '-', '+')).map(([id]) => id);
    // A worker read all twenty and finished all but the first.
    await redis().xreadgroup('GROUP', 'workers', 'w', 'COUNT', 20, 'STREAMS', stream, '>');
    await redis().xack(stream, 'workers', ...ids.slice(1));
    for (const n of [21, 22]) await publisher.publish(message(n), 0); // not delivered yet

    await publisher.trim();

    expect(await redis().xlen(stream)).toBeGreaterThanOrEqual(20); // kept behind the pending one
    expect(publisher.metrics).toMatchObject({ pausedFor: [] });
    expect(publisher.metrics.lag).toBe(3);
    expect(publisher.metrics.oldestPendingMs).toBeGreaterThanOrEqual(0);

    // Where Redis cannot report the undelivered count (here: the group's position set by hand,
    // so it no longer knows how many entries it read), they are counted.
    await redis().xgroup('SETID', stream, 'workers', ids[19] ?? '');
    const [group] = (await redis().xinfo('GROUPS', stream)) as unknown[][];
    expect(group?.[group.indexOf('lag') + 1]).toBeNull();
    await publisher.trim();
    expect(publisher.metrics.lag).toBe(3);
    expect(publisher.metrics.pausedFor).toEqual([]);
  });

  it('keeps every entry while no consumer group exists, counting them all as lag', async () => {
    const { publisher, stream } = publisherFor();
    await publishAll(publisher, 6);
    await publisher.trim();
    expect(await redis().xlen(stream)).toBe(6);
    expect(publisher.metrics.lag).toBe(6);
  });

  it('over a lossy maxLength, removes the oldest unread entries and reports the range once', async () => {
    const reported: string[] = [];
    const logger = new Logger<ILogObj>({ type: 'hidden' });
    logger.attachTransport((record) => reported.push(String(record['0'])));
    const { publisher, stream } = publisherFor({ maxLength: 5, logger });
    await redis().xgroup('CREATE', stream, 'workers', '0', 'MKSTREAM');
    await publishAll(publisher, 12);
    const ids = (await redis().xrange(stream, '-', '+')).map(([id]) => id);

    await publisher.trim();
    await publisher.trim(); // nothing more to remove: reported once

    expect((await redis().xrange(stream, '-', '+')).map(([id]) => id)).toEqual(ids.slice(7));
    expect(publisher.metrics.unreadTrimmed).toBe(7);
    const trimmed = reported.filter((line) => line.includes('trimmed'));
    expect(trimmed).toEqual([
      `Redis: 7 events were trimmed from the stream before every worker acknowledged them (from ${ids[0]} up to ${ids[7]} (excluded)): the stream was over maxLength (5); add workers, or raise or remove maxLength to have back-pressure instead of loss`,
    ]);
  });
});
