/**
 * What a StoredIdentifyStateError says happened depends on where the value was met: a turn refused
 * outright took nothing, but a turn given back (RELEASE) had been granted and its start stays
 * spent, and a send refused was recorded against the turn, not the frame. What the queue puts in
 * the field next depends on the field: a remaining count at most the stored total, the ticket
 * counter the highest place taken in a line.
 */
import { describe, expect, it } from 'vitest';
import { StoredIdentifyStateError } from '@bot/gateway/redis';
import { startedQueue } from './support/identifyQueues.js';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

describe('the message of a StoredIdentifyStateError', () => {
  it.each([
    ['turn', 'no turn was taken with it'],
    ['send', 'the send of the Identify frame was not recorded with it'],
    ['leave', "the shard's lease was given up, but its place in line stays"],
    ['giveBack', 'the turn granted was not given back: its session start stays spent'],
  ] as const)('met by a %s says what became of it', (use, sentence) => {
    const error = new StoredIdentifyStateError('k', '1.5', 1, 3, 'windowMs', 5_000, use);
    expect(error.message).toContain(sentence);
    expect(error.shardId).toBe(3);
    expect(error.message).toMatch(/^shard 3: /);
    if (use !== 'turn') expect(error.message).not.toContain('no turn was taken');
  });

  it('met reading the budget says it was not read', () => {
    const error = new StoredIdentifyStateError('k', '1.5', 1, undefined, 'remaining');
    expect(error.message).toContain('the budget was not read from it');
  });

  it('a bad remaining is replaced with at most the stored total', async () => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'remaining', '1.5');
    const error = await queue.wait(1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoredIdentifyStateError);
    expect((error as Error).message).toContain(
      "putting the lower of this process's count of session starts left and the total there;",
    );
    expect((error as Error).message).toContain('no turn was taken with it');
  });

  it('a bad ticket counter is replaced with the highest place taken in a line', async () => {
    const { queue, state } = await startedQueue(fixture);
    await fixture.redis().hset(state, 'tickets', 'many');
    const error = await queue.wait(1).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('putting the highest place taken in a line there;');
  });
});
