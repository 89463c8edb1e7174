/**
 * With a store that tracks what it holds durably, a resume never reports a seq the store has not
 * confirmed: not even before the first confirmation. docs/redis-deployment.md, "Durable sequence".
 */
import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '@bot/gateway';
import type { GatewayFrameRecord } from '@bot/testing';
import { advanceUntil } from '../support/harness.js';
import { useFakeClockShards } from './support/fakeClockShards.js';

/** A store that can tell what it holds durably, and holds nothing durably yet. */
class NothingDurableYet extends InMemorySessionStore {
  public durableSeq(): number | undefined {
    return undefined;
  }
}

const startShards = useFakeClockShards();

describe('a resume before anything is durable', () => {
  it('resumes from 0, not from the seq read, and receives the events after it again', async () => {
    const { emulator, manager } = await startShards(
      { resumeBufferSize: 1_000 },
      { sessionStore: new NothingDurableYet() },
    );
    manager.start().catch(() => undefined);
    await advanceUntil(() => manager.status()[0]?.state === 'ready', 10_000);
    for (let n = 0; n < 3; n++) emulator.simulate.groupAtMessage({ content: `m${n}` });
    await advanceUntil(() => (manager.status()[0]?.seq ?? 0) >= 4, 5_000);

    emulator.faults.dropSocket(0);
    const resumes = (): GatewayFrameRecord[] =>
      emulator.recorder.filter(
        (record): record is GatewayFrameRecord => record.kind === 'gateway' && record.op === 6,
      );
    await advanceUntil(() => resumes().length === 1 && manager.status()[0]?.state === 'ready', 20_000);
    expect((resumes()[0]?.d as { seq: number }).seq).toBe(0);
  });
});
