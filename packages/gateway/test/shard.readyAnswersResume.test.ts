/**
 * A gateway may answer a Resume with a READY, a new session, instead of the replay and RESUMED:
 * its sequence numbers start again from 1. The shard must take that READY and the events after
 * it, although their numbers are at or below the old session's, and resume the new session later.
 */
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fakeGateway = useFakeGateway();

describe('a READY answering a Resume', () => {
  it('starts the new session: READY and the events after it are delivered, and a later resume names it', async () => {
    const fake = fakeGateway.gateway;
    const { shard } = makeShard(fake.url);
    const received: DispatchPayload[] = [];
    shard.on('dispatch', (payload) => void received.push(payload));
    const started = shard.start();
    await advanceUntil(() => shard.state === 'ready', 10_000);
    await started;
    for (let each = 0; each < 5; each++) fake.last.dispatch('AT_MESSAGE_CREATE', { n: each });
    await advanceUntil(() => received.length === 6, 5_000);
    expect(shard.status().sessionId).toBe('session-1');

    fake.options.swallowResume = true;
    fake.last.close(4009);
    await advanceUntil(() => fake.received(6).length === 1, 10_000);
    fake.options.swallowResume = false;
    const answering = fake.last;
    answering.send({
      op: 0,
      s: 1,
      t: 'READY',
      id: 'READY:fresh',
      d: {
        version: 1,
        session_id: 'fresh-session',
        user: { id: 'bot', username: 'bot', bot: true },
        shard: [0, 1],
      },
    });
    answering.send({ op: 0, s: 2, t: 'AT_MESSAGE_CREATE', id: 'fresh:2', d: { n: 'a' } });
    answering.send({ op: 0, s: 3, t: 'AT_MESSAGE_CREATE', id: 'fresh:3', d: { n: 'b' } });
    await advanceUntil(() => received.length === 9, 5_000);

    expect(received.slice(6).map(({ t, s }) => `${t} ${s}`)).toEqual([
      'READY 1',
      'AT_MESSAGE_CREATE 2',
      'AT_MESSAGE_CREATE 3',
    ]);
    expect(shard.state).toBe('ready');
    expect(shard.status().sessionId).toBe('fresh-session');
    expect(shard.status().seq).toBe(3);

    fake.options.swallowResume = true;
    fake.last.close(4009);
    await advanceUntil(() => fake.received(6).length === 2, 10_000);
    expect(fake.received(6)[1]?.d).toMatchObject({ session_id: 'fresh-session', seq: 3 });
    await shard.close();
  });
});
