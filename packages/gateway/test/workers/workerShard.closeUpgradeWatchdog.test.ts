/**
 * The main thread stops a thread that does not report a shard's close within the close's grace
 * plus a margin. A `close({ invalidateSession: true })` that upgrades the close under way gives the
 * thread until the later of the two deadlines: stopped at the first one, the thread would be cut
 * off while it still ends the session within the grace the upgrade allowed, and every other shard
 * on it restarted.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemorySessionStore, type SessionInfo, type ShardStatus } from '@bot/gateway';
import type { ToWorker } from '../../src/workers/messages.js';
import type { WorkerLink } from '../../src/workers/WorkerLink.js';
import { WorkerShard } from '../../src/workers/WorkerShard.js';

const STORED: SessionInfo = { sessionId: 'S1', seq: 41, shardCount: 1 };

/** A ready worker shard of session S1 over a stand-in thread that records when it is stopped. */
async function readyShard() {
  const store = new InMemorySessionStore();
  await store.set(0, STORED);
  const posted: ToWorker[] = [];
  const stopped: { at: number; reason: string }[] = [];
  const link: WorkerLink = {
    attach: () => undefined,
    post: (message) => posted.push(message) > 0,
    nextCall: () => 0,
    detach: () => undefined,
    unresponsive: (reason) => stopped.push({ at: Date.now(), reason }),
  };
  const shard = new WorkerShard(
    0,
    1,
    'ws://127.0.0.1:9/never',
    link,
    5_000,
    undefined,
    undefined,
    undefined,
    store,
  );
  shard.on('error', () => undefined);
  void shard.start().catch(() => undefined);
  const status: ShardStatus = {
    id: 0,
    total: 1,
    state: 'ready',
    latency: undefined,
    seq: 41,
    sessionId: 'S1',
    reconnects: 0,
    attempt: 0,
    lastCloseCode: undefined,
    paused: false,
  };
  shard.receive([0, 'state', 'ready', 'connecting', status]);
  posted.length = 0;
  return { shard, posted, stopped, started: Date.now() };
}

describe('the watchdog on a worker shard’s close that an invalidating close upgraded', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.clearAllTimers();
    vi.useRealTimers();
  });

  it('waits for the upgrade’s longer grace plus the margin', async () => {
    const { shard, posted, stopped, started } = await readyShard();
    void shard.close({ graceMs: 1_000 });
    void shard.close({ invalidateSession: true, graceMs: 30_000 });
    expect(posted.map((message) => message.type)).toEqual(['close', 'invalidate']);
    // Before the fix the thread was stopped at 3 s, the first close's grace plus the margin.
    await vi.advanceTimersByTimeAsync(31_999);
    expect(stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stopped).toEqual([
      { at: started + 32_000, reason: 'shard 0 did not report its close within 32000 ms' },
    ]);
  });

  it('counts the upgrade’s grace from when it came', async () => {
    const { shard, stopped, started } = await readyShard();
    void shard.close({ graceMs: 1_000 });
    await vi.advanceTimersByTimeAsync(2_500);
    void shard.close({ invalidateSession: true, graceMs: 1_000 });
    await vi.advanceTimersByTimeAsync(2_999);
    expect(stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stopped.map(({ at }) => at - started)).toEqual([5_500]);
  });

  it('keeps the first close’s deadline when it is the later one', async () => {
    const { shard, stopped, started } = await readyShard();
    void shard.close({ graceMs: 10_000 });
    void shard.close({ invalidateSession: true, graceMs: 1_000 });
    await vi.advanceTimersByTimeAsync(11_999);
    expect(stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stopped.map(({ at }) => at - started)).toEqual([12_000]);
  });

  it('takes the shard’s close grace for an upgrade that gives none', async () => {
    const { shard, stopped, started } = await readyShard();
    void shard.close({ graceMs: 1_000 });
    void shard.close({ invalidateSession: true });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stopped.map(({ at }) => at - started)).toEqual([7_000]);
  });

  it('stops waiting once the thread reports the close', async () => {
    const { shard, stopped } = await readyShard();
    const first = shard.close({ graceMs: 1_000 });
    const second = shard.close({ invalidateSession: true, graceMs: 30_000 });
    await vi.advanceTimersByTimeAsync(5_000);
    shard.receive([0, 'closed', undefined]);
    expect(await first).toBeUndefined();
    expect(await second).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stopped).toEqual([]);
  });
});
