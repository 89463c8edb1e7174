import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '@bot/gateway';
import { SessionCheckpoint } from '../src/session/SessionCheckpoint.js';
import { SessionPosition, type DurableSeqOf } from '../src/shard/SessionPosition.js';

/** A position on a fresh session `s1` that has read seqs 1–5, with the store's durable seq. */
async function readFive(durableSeq?: DurableSeqOf): Promise<SessionPosition> {
  const checkpoint = new SessionCheckpoint(new InMemorySessionStore(), 0, 60_000, (error) => {
    throw error;
  });
  const position = new SessionPosition(checkpoint, 1, durableSeq);
  await position.begin('s1');
  for (let s = 1; s <= 5; s++) position.advance(s);
  return position;
}

describe('what heartbeats and resumes acknowledge (SessionPosition.acknowledgeable)', () => {
  it('is the last seq read when the store cannot tell what it holds', async () => {
    expect((await readFive()).acknowledgeable).toBe(5);
  });

  it('is capped at the seq the store holds durably for the session', async () => {
    const asked: string[] = [];
    const position = await readFive((sessionId) => {
      asked.push(sessionId);
      return 3;
    });
    expect(position.acknowledgeable).toBe(3);
    expect(position.seq).toBe(5);
    expect(asked).toEqual(['s1']);
  });

  it('never passes the last seq read, whatever the store says', async () => {
    expect((await readFive(() => 9)).acknowledgeable).toBe(5);
  });

  it('is null while the store holds nothing of the session', async () => {
    expect((await readFive(() => undefined)).acknowledgeable).toBeNull();
  });
});
