/**
 * A consumer's stop waits for its handlers no longer than a grace period: one that never
 * settles does not hold a worker's shutdown for ever. What it was handling stays pending in the
 * group for another worker, and the report names it. docs/redis-deployment.md, "Shutting down".
 */
import { describe, expect, it } from 'vitest';
import { RedisEventConsumer, RedisEventPublisher, UnfinishedEventsError } from '@bot/gateway/redis';
import { useRedisFixture } from './support/redisFixture.js';
import { seqEvent } from './support/publishers.js';
import { until } from './support/until.js';

const fixture = useRedisFixture();

/** The ids pending in the `workers` group of `stream`, with their consumer. */
async function pendingEntries(stream: string): Promise<[string, string][]> {
  const rows = (await fixture.redis().xpending(stream, 'workers', '-', '+', 100)) as [string, string][];
  return rows.map(([id, consumer]) => [id, consumer]);
}

describe('RedisEventConsumer stop() grace', () => {
  it('resolves after graceMs with a handler that never settles, leaving its entry pending and naming it', async () => {
    const ns = fixture.namespace();
    const stream = `${ns.prefix}:{${ns.appId}}:events`;
    const publisher = new RedisEventPublisher(fixture.redis(), ns);
    const consumer = new RedisEventConsumer(fixture.redis(), { ...ns, consumer: 'w', blockMs: 50 });
    const reported: Error[] = [];
    let began = 0;
    const running = consumer.start(
      () => {
        began++;
        return new Promise<void>(() => undefined); // a handler stuck for good
      },
      (error) => reported.push(error),
    );
    await publisher.publish(seqEvent(1), 0);
    await until(() => began === 1, 'the handler starting');

    await consumer.stop({ graceMs: 100 });
    await running;

    const pending = await pendingEntries(stream);
    expect(pending).toHaveLength(1);
    const [entryId] = pending[0] ?? [];
    const unfinished = reported.find((error) => error instanceof UnfinishedEventsError);
    expect(unfinished).toMatchObject({ entryIds: [entryId], graceMs: 100, kind: 'gateway' });
    expect(unfinished?.message).toContain(String(entryId));
    expect(unfinished?.message).toMatch(/1 event .*still being handled.*stays? pending.*another worker/);
  });

  it('waits claimIdleMs by default, and acknowledges what finishes within the grace', async () => {
    const ns = fixture.namespace();
    const stream = `${ns.prefix}:{${ns.appId}}:events`;
    const publisher = new RedisEventPublisher(fixture.redis(), ns);
    const consumer = new RedisEventConsumer(fixture.redis(), {
      ...ns,
      consumer: 'w',
      blockMs: 50,
      claimIdleMs: 300,
    });
    const reported: Error[] = [];
    let finishSlow: () => void = () => undefined;
    const began: string[] = [];
    const running = consumer.start(
      async (payload) => {
        began.push(payload.id ?? '');
        if (payload.id === seqEvent(1).id) await new Promise<void>(() => undefined);
        else await new Promise<void>((resolve) => (finishSlow = resolve));
      },
      (error) => reported.push(error),
    );
    await publisher.publish(seqEvent(1), 0);
    await publisher.publish(seqEvent(2), 0);
    await until(() => began.length === 2, 'both handlers starting');

    const stopping = consumer.stop();
    finishSlow();
    await stopping;
    await running;

    const pending = await pendingEntries(stream);
    expect(pending).toHaveLength(1); // event 2 was acknowledged, event 1 was left
    const unfinished = reported.find((error) => error instanceof UnfinishedEventsError);
    expect(unfinished).toMatchObject({ entryIds: [pending[0]?.[0]], graceMs: 300 });
  });

  it('leaves an entry whose handler finishes after the grace to another worker, unacknowledged', async () => {
    const ns = fixture.namespace();
    const stream = `${ns.prefix}:{${ns.appId}}:events`;
    const publisher = new RedisEventPublisher(fixture.redis(), ns);
    const timings = { blockMs: 50, claimIdleMs: 100, claimIntervalMs: 50 };
    const first = new RedisEventConsumer(fixture.redis(), { ...ns, ...timings, consumer: 'w1' });
    let finishLate: () => void = () => undefined;
    let began = false;
    const firstRunning = first.start(
      () =>
        new Promise<void>((resolve) => {
          began = true;
          finishLate = resolve;
        }),
      () => undefined,
    );
    await publisher.publish(seqEvent(1), 0);
    await until(() => began, 'the handler starting');
    await first.stop({ graceMs: 50 });
    await firstRunning;
    finishLate(); // too late: the entry is no longer this worker's to acknowledge

    const second = new RedisEventConsumer(fixture.redis(), { ...ns, ...timings, consumer: 'w2' });
    const handled: string[] = [];
    const secondRunning = second.start(async (payload) => void handled.push(payload.id ?? ''));
    await until(() => handled.length === 1, 'the other worker taking it over');
    await until(async () => (await pendingEntries(stream)).length === 0, 'its acknowledgement');
    await second.stop();
    await secondRunning;
    expect(handled).toEqual([seqEvent(1).id]);
  });

  it('refuses a grace Node cannot time', async () => {
    const consumer = new RedisEventConsumer(fixture.redis(), { ...fixture.namespace(), consumer: 'w' });
    await expect(consumer.stop({ graceMs: 2 ** 31 })).rejects.toThrow(/graceMs/);
  });
});
