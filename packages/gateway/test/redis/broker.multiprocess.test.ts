import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventPublisher } from '@bot/gateway/redis';
import { silentLogger } from '../support/harness.js';
import { FixtureProcess } from './support/processes.js';
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from './support/redis.js';
import { SLOW_POLL, until } from './support/until.js';

const EVENTS = 10_000;
const prefix = uniquePrefix();
const appId = '102000000';
const stream = `${prefix}:{${appId}}:events`;
const handledKey = `${prefix}:handled`;
let redis: Redis;
const workers = new Map<string, FixtureProcess>();

const event = (n: number): DispatchPayload => ({
  op: 0,
  id: `E:${n}`,
  s: n,
  t: 'AT_MESSAGE_CREATE',
  d: { content: `#${n}` },
});

beforeAll(async () => {
  redis = await connectRedis();
});

afterAll(async () => {
  await Promise.all([...workers.values()].map((worker) => worker.stop()));
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('event broker across processes', () => {
  it('hands 10,000 events to 3 workers, one killed midway: none lost, repeats only of its unacknowledged events', async () => {
    for (const name of ['w1', 'w2', 'w3'])
      workers.set(name, new FixtureProcess('worker.ts', [redisUrl(), prefix, name, handledKey]));
    await Promise.all([...workers.values()].map((worker) => worker.waitFor('started')));
    const publisher = new RedisEventPublisher(redis, { appId, prefix, logger: silentLogger() });
    const publishRange = async (from: number, to: number): Promise<void> => {
      for (let start = from; start < to; start += 500) {
        await Promise.all(
          Array.from({ length: Math.min(500, to - start) }, (_, i) => publisher.publish(event(start + i), 0)),
        );
      }
    };

    await publishRange(0, EVENTS / 2);
    await until(
      async () => (await redis.llen(handledKey)) >= EVENTS / 4,
      'workers handling the first events',
      { timeoutMs: 60_000, ...SLOW_POLL },
    );
    const victim = workers.get('w2');
    await victim?.crash();
    // What w2 had read but not acknowledged when it died (before anyone could take it over).
    const pendingAtDeath = (await redis.xpending(stream, 'workers', '-', '+', EVENTS, 'w2')) as [
      string,
      ...unknown[],
    ][];
    const unacknowledged = new Set(pendingAtDeath.map(([entryId]) => entryId));
    await publishRange(EVENTS / 2, EVENTS);

    await until(
      async () => {
        const [pending] = (await redis.xpending(stream, 'workers')) as [number, ...unknown[]];
        return pending === 0 && new Set(await redis.lrange(handledKey, 0, -1)).size >= EVENTS;
      },
      'every event handled and acknowledged',
      { timeoutMs: 90_000, ...SLOW_POLL },
    );

    const entryOfEvent = new Map<string, string>();
    for (const [entryId, fields] of await redis.xrange(stream, '-', '+')) {
      const payload = JSON.parse(fields[fields.indexOf('payload') + 1] ?? '{}') as DispatchPayload;
      entryOfEvent.set(payload.id ?? '', entryId);
    }
    const handledBy = new Map<string, string[]>();
    for (const record of await redis.lrange(handledKey, 0, -1)) {
      const [id = '', worker = ''] = record.split('|');
      handledBy.set(id, [...(handledBy.get(id) ?? []), worker]);
    }

    const ids = Array.from({ length: EVENTS }, (_, n) => event(n).id ?? '');
    expect(
      ids.filter((id) => !handledBy.has(id)),
      'events never handled',
    ).toEqual([]);
    const repeated = ids.filter((id) => (handledBy.get(id)?.length ?? 0) > 1);
    const repeatedOutsideVictim = repeated.filter((id) => !unacknowledged.has(entryOfEvent.get(id) ?? ''));
    expect(repeatedOutsideVictim, 'events handled twice though w2 had not left them unacknowledged').toEqual(
      [],
    );
    for (const id of repeated) expect(handledBy.get(id)?.length, `handlings of ${id}`).toBe(2);
    const survivors = new Set([...handledBy.values()].flat().filter((worker) => worker !== 'w2'));
    expect(survivors).toEqual(new Set(['w1', 'w3']));
  });
});
