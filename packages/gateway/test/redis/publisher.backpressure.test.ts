/**
 * While Redis does not answer, the publisher's backlog fills; at half its bound the attached
 * shards pause reading, so the platform holds the events instead of the process, and nothing is
 * dropped. docs/redis-deployment.md, "Redis outages".
 */
import { describe, expect, it } from 'vitest';
import { RedisEventPublisher } from '@bot/gateway/redis';
import { emulatorManager, guildOnShard, startEmulator } from '../support/emulator.js';
import { useRedisFixture } from './support/redisFixture.js';

const { redis, namespace, track, connectThroughLink } = useRedisFixture();

async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RedisEventPublisher back-pressure on its shards', () => {
  it('pauses the shards at half of maxBacklog while Redis stalls, drops nothing, and resumes them once through', async () => {
    const emulator = await startEmulator({ pacing: 'instant' });
    track(() => emulator.stop());
    const ns = { ...namespace(), appId: emulator.appId };
    const { connection, link } = await connectThroughLink();
    const publisher = new RedisEventPublisher(connection, {
      ...ns,
      maxBacklog: 10,
      retry: { baseDelayMs: 20, maxDelayMs: 50, timeoutMs: 60_000 },
    });
    const manager = emulatorManager(emulator);
    const errors: Error[] = [];
    manager.on('error', (error) => errors.push(error));
    publisher.attach(manager);
    track(
      () => publisher.close(),
      () => manager.shutdownAll(),
    );
    void manager.startShardRange({ from: 0, to: 0 }, 1);
    await until(() => manager.status()[0]?.state === 'ready', 'shard ready');

    link.stall();
    const sent = Array.from(
      { length: 40 },
      (_, n) =>
        emulator.simulate.dispatch(
          'AT_MESSAGE_CREATE',
          { content: `#${n}` },
          { guildId: guildOnShard(0, 1, n) },
        ).id,
    );
    await until(() => manager.status()[0]?.paused === true, 'the shard paused');
    expect(publisher.backlog).toBeGreaterThanOrEqual(5);
    expect(publisher.backlog).toBeLessThanOrEqual(10);
    expect(publisher.metrics.pausedFor).toEqual(['backlog']);

    link.resume();
    const stream = `${ns.prefix}:{${emulator.appId}}:events`;
    const streamedIds = async (): Promise<string[]> =>
      (await redis().xrange(stream, '-', '+'))
        .map(
          ([, fields]) =>
            (JSON.parse(fields[fields.indexOf('payload') + 1] ?? '{}') as { id?: string }).id ?? '',
        )
        .filter((id) => sent.includes(id));
    await until(async () => (await streamedIds()).length === sent.length, 'every event in the stream');
    expect(await streamedIds()).toEqual(sent);
    expect(manager.status()[0]?.paused).toBe(false);
    expect(publisher.metrics.pauses).toBeGreaterThanOrEqual(1);
    expect(errors.filter((error) => error.name === 'UnpublishedEventError')).toEqual([]);
  });
});
