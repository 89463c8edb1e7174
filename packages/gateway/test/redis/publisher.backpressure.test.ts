/**
 * While Redis does not answer, the publisher's backlog fills; at half its bound the attached
 * shards pause reading, so the platform holds the events instead of the process, and nothing is
 * dropped. docs/redis-deployment.md, "Redis outages".
 */
import { describe, expect, it } from 'vitest';
import { emulatorManager } from '../support/emulator.js';
import { messagesOnShard } from '../support/emulator.js';
import { publisherEmulator, stallablePublisher } from './support/publishers.js';
import { useRedisFixture } from './support/redisFixture.js';
import { SLOW_POLL, until } from './support/until.js';

const fixture = useRedisFixture();

describe('RedisEventPublisher back-pressure on its shards', () => {
  it('pauses the shards at half of maxBacklog while Redis stalls, drops nothing, and resumes them once through', async () => {
    const emulator = await publisherEmulator(fixture);
    const { publisher, link, streamed, inStream } = await stallablePublisher(fixture, emulator);
    const manager = emulatorManager(emulator);
    const errors: Error[] = [];
    manager.on('error', (error) => errors.push(error));
    publisher.attach(manager);
    fixture.track(() => manager.shutdownAll());
    void manager.startShardRange({ from: 0, to: 0 }, 1);
    await until(() => manager.status()[0]?.state === 'ready', 'shard ready', {
      timeoutMs: 15_000,
      ...SLOW_POLL,
    });

    link.stall();
    const sent = messagesOnShard(emulator, 40);
    await until(() => manager.status()[0]?.paused === true, 'the shard paused', {
      timeoutMs: 15_000,
      ...SLOW_POLL,
    });
    // Paused at 5 of 10; a publish written before the stall may still be answered since (seen: 4).
    expect(publisher.backlog).toBeGreaterThanOrEqual(4);
    expect(publisher.backlog).toBeLessThanOrEqual(10);
    expect(publisher.metrics.pausedFor).toEqual(['backlog']);

    link.resume();
    await until(async () => (await streamed(sent)()) === sent.length, 'every event in the stream', {
      timeoutMs: 15_000,
      ...SLOW_POLL,
    });
    expect(await inStream(sent)).toEqual(sent);
    expect(manager.status()[0]?.paused).toBe(false);
    expect(publisher.metrics.pauses).toBeGreaterThanOrEqual(1);
    expect(errors.filter((error) => error.name === 'UnpublishedEventError')).toEqual([]);
  });
});
