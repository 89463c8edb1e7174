/**
 * A consumer whose connection stops answering (a congested or half-open link: no reply, no
 * reset) keeps reporting and retrying, and its stop() ends it: every command of its loop is
 * bounded like its reads, not only the blocking read. docs/redis-deployment.md, "Redis outages".
 */
import { describe, expect, it } from 'vitest';
import { RedisEventConsumer, RedisEventPublisher, RedisOperationError } from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';
import { seqEvent } from './support/publishers.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

/** Short timings: a command unanswered for 200 ms counts as failed. */
const TIMINGS = {
  consumer: 'w',
  blockMs: 50,
  claimIdleMs: 300,
  readTimeoutMs: 200,
  backoff: { baseMs: 20, maxMs: 50 },
};

describe('RedisEventConsumer over a link that stops answering', () => {
  it('keeps reporting while no command is answered, stop() ends start(), and a new start() handles what came meanwhile', async () => {
    const ns = fixture.namespace();
    const { connection, link } = await fixture.connectThroughLink();
    const publisher = new RedisEventPublisher(fixture.redis(), ns);
    const consumer = new RedisEventConsumer(connection, { ...ns, ...TIMINGS });
    const handled: string[] = [];
    const reported: Error[] = [];
    const running = consumer.start(
      async (payload) => void handled.push(payload.id ?? ''),
      (error) => reported.push(error),
    );
    await publisher.publish(seqEvent(1), 0);
    await until(() => handled.length === 1, 'the first event handled');

    link.stall();
    await until(() => reported.length >= 4, 'failures reported while the link stalls');
    await consumer.stop({ graceMs: 100 });
    await running;

    expect(reported.every((error) => error instanceof RedisOperationError)).toBe(true);
    link.resume();
    await publisher.publish(seqEvent(2), 0);
    const again = consumer.start(async (payload) => void handled.push(payload.id ?? ''));
    await until(() => handled.length === 2, 'the event published meanwhile handled');
    await consumer.stop();
    await again;
    expect(handled).toEqual([seqEvent(1).id, seqEvent(2).id]);
  });

  it('reports and retries when the link stops answering before the group is created, and stop() ends start()', async () => {
    const ns = fixture.namespace();
    const { connection, link } = await fixture.connectThroughLink();
    const consumer = new RedisEventConsumer(connection, { ...ns, ...TIMINGS });
    const reported: Error[] = [];

    link.stall();
    const running = consumer.start(
      async () => undefined,
      (error) => reported.push(error),
    );
    await until(() => reported.length >= 2, 'failures reported while the link stalls');
    await consumer.stop({ graceMs: 100 });
    await running;

    expect(reported[0]).toBeInstanceOf(RedisOperationError);
    expect((reported[0]?.cause as Error).message).toMatch(/no answer within 200 ms/);
  });
});
