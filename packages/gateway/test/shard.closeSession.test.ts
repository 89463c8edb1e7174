/**
 * A shard's `close` event names the session the connection served and the seq the shard held in
 * it when the connection ended: what a session lost without a resume is reported with (the client's
 * SessionReplacedError). On op 9 the shard forgets the session before it emits `close`, and a far
 * jump still pending at RESUMED is taken by the seq after it, so neither its status afterwards nor
 * the seqs of its dispatches tell that seq.
 */
import { describe, expect, it } from 'vitest';
import type { ShardCloseEvent } from '@bot/gateway';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fakeGateway = useFakeGateway();

/** A dispatch frame numbered `s`, sent as it is. */
const event = (s: number) => ({ op: 0, s, t: 'AT_MESSAGE_CREATE', id: `event:${s}`, d: {} });

describe("a shard's close event", () => {
  it('names the session and the seq held, across a resume whose replay ends in a far jump', async () => {
    const fake = fakeGateway.gateway;
    const { shard } = makeShard(fake.url);
    const closes: ShardCloseEvent[] = [];
    shard.on('close', (closed) => void closes.push(closed));
    const started = shard.start();
    await advanceUntil(() => shard.state === 'ready', 10_000);
    await started;
    fake.last.dispatch('AT_MESSAGE_CREATE');
    fake.last.dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => shard.status().seq === 3, 5_000);

    fake.options.swallowResume = true;
    fake.last.close(4009);
    await advanceUntil(() => fake.received(6).length === 1, 10_000);
    expect(closes).toEqual([
      expect.objectContaining({ next: 'resume', session: { sessionId: 'session-1', seq: 3 } }),
    ]);

    // The replay ends in a far jump, taken by the seq after RESUMED on the same connection.
    const resumed = fake.last;
    resumed.send(event(9_000));
    resumed.send({ op: 0, t: 'RESUMED', d: '' });
    resumed.send(event(9_001));
    await advanceUntil(() => shard.status().seq === 9_001, 5_000);

    resumed.send({ op: 9, d: false });
    await advanceUntil(() => closes.length === 2, 5_000);
    expect(closes[1]).toMatchObject({
      next: 'identify',
      reason: expect.stringContaining('op 9'),
      session: { sessionId: 'session-1', seq: 9_001 },
    });
    // Forgotten by then: the status no longer names it.
    expect(shard.status().sessionId).toBeUndefined();
    await shard.close();
  });

  it('names no session when the connection had none, and the one held on a fatal close', async () => {
    const fake = fakeGateway.gateway;
    fake.options.swallowIdentify = true;
    const { shard } = makeShard(fake.url, { timeouts: { sessionAnswerMs: 1_000 } });
    const closes: ShardCloseEvent[] = [];
    shard.on('close', (closed) => void closes.push(closed));
    void shard.start().catch(() => undefined);
    await advanceUntil(() => closes.length === 1, 10_000);
    expect(closes[0]).toMatchObject({ next: 'identify' });
    expect(closes[0]).not.toHaveProperty('session');

    fake.options.swallowIdentify = false;
    await advanceUntil(() => shard.state === 'ready', 30_000);
    fake.last.dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => shard.status().seq === 2, 5_000);
    const sessionId = shard.status().sessionId;
    fake.last.close(4014);
    await advanceUntil(() => shard.state === 'fatal', 5_000);
    expect(closes.at(-1)).toMatchObject({ code: 4014, next: 'fatal', session: { sessionId, seq: 2 } });
  });
});
