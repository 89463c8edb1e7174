/**
 * A consumer stopped past its grace (a handler that never settles) can be started again as soon
 * as stop() has resolved: stop() resolves only once the consumer no longer counts as running.
 */
import { describe, expect, it } from 'vitest';
import { RedisEventConsumer, RedisEventPublisher } from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';
import { seqEvent } from './support/publishers.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

describe('RedisEventConsumer start() after a stop() past its grace', () => {
  it('starts again at once once stop() resolved, and handles what comes next', async () => {
    const ns = fixture.namespace();
    const publisher = new RedisEventPublisher(fixture.redis(), ns);
    const consumer = new RedisEventConsumer(fixture.redis(), { ...ns, consumer: 'w', blockMs: 50 });
    let began = 0;
    const running = consumer.start(
      () => {
        began++;
        return new Promise<void>(() => undefined); // a handler stuck for good
      },
      () => undefined,
    );
    await publisher.publish(seqEvent(1), 0);
    await until(() => began === 1, 'the handler starting');

    await consumer.stop({ graceMs: 100 });
    const handled: string[] = [];
    const again = consumer.start(
      async (payload) => void handled.push(payload.id ?? ''),
      () => undefined,
    );
    await publisher.publish(seqEvent(2), 0);
    await until(() => handled.includes(seqEvent(2).id ?? ''), 'the next event handled');
    await consumer.stop();
    await Promise.all([running, again]);
    expect(handled).toContain(seqEvent(2).id);
  });
});
