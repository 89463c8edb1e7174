/**
 * A worker shard no thread runs (its start waits for an op 9 pause, or its thread is being
 * restarted) is closed without asking one. When the close invalidates the session, the session the
 * main thread stored as the thread was lost is forgotten before the close resolves: left there, the
 * next start (or the next process) would resume what the close said it invalidated.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InMemorySessionStore, type SessionInfo, type SessionStore } from '@bot/gateway';
import { saveSessions } from '../../src/workers/threadSessions.js';
import { silentLogger } from '../support/harness.js';
import { PAUSE_MS, PAUSED_AT, pausedWorkerShard, typesOf } from './support/pausedWorkerShard.js';

const STORED: SessionInfo = { sessionId: 'S1', seq: 41, shardCount: 1 };

/** A paused shard whose thread was lost (its session stored, as the thread's exit stores it). */
async function lostShard(store: SessionStore, options: { closeGraceMs?: number } = {}) {
  const paused = pausedWorkerShard({ store, ...options });
  await saveSessions([paused.shard], store, silentLogger());
  paused.shard.lost('the worker thread exited', 1_000);
  return paused;
}

describe('a close({ invalidateSession: true }) that asks no thread', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forgets the stored session when the start waits for an op 9 pause', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const store = new InMemorySessionStore();
    const { shard, posted, errors } = await lostShard(store);
    expect(await store.get(0)).toEqual(STORED);
    shard.relaunch();
    await expect(shard.close({ invalidateSession: true })).resolves.toBeUndefined();
    expect(await store.get(0)).toBeUndefined();
    expect(shard.status().state).toBe('closed');
    await vi.advanceTimersByTimeAsync(PAUSE_MS);
    expect(typesOf(posted)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('forgets the stored session while the thread is being restarted', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const store = new InMemorySessionStore();
    const { shard, link } = await lostShard(store);
    link.running = false;
    await expect(shard.close({ invalidateSession: true })).resolves.toBeUndefined();
    expect(await store.get(0)).toBeUndefined();
  });

  it('keeps the stored session when the close does not invalidate it', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const store = new InMemorySessionStore();
    const { shard } = await lostShard(store);
    shard.relaunch();
    await expect(shard.close()).resolves.toEqual(STORED);
    expect(await store.get(0)).toEqual(STORED);
  });

  it('does not give the shard to a thread restarted while the session is being forgotten', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const store = new InMemorySessionStore();
    const { shard, posted, link } = await lostShard(store);
    store.delete = () => new Promise<void>(() => undefined);
    link.running = false;
    const closed = shard.close({ invalidateSession: true });
    link.running = true;
    shard.relaunch();
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(closed).resolves.toBeUndefined();
    expect(typesOf(posted)).toEqual([]);
  });

  it('reports a store that fails to forget it, and closes all the same', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const store = new InMemorySessionStore();
    const { shard, errors } = await lostShard(store);
    store.delete = () => Promise.reject(new Error('store down'));
    shard.relaunch();
    await expect(shard.close({ invalidateSession: true })).resolves.toBeUndefined();
    expect(shard.status().state).toBe('closed');
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringContaining('could not delete the invalidated session on close (store down)'),
    ]);
  });

  it('waits for a store that does not answer no longer than the close grace, and reports it', async () => {
    vi.useFakeTimers({ now: PAUSED_AT });
    const store = new InMemorySessionStore();
    const { shard, errors } = await lostShard(store, { closeGraceMs: 2_000 });
    store.delete = () => new Promise<void>(() => undefined);
    shard.relaunch();
    let closed = false;
    void shard.close({ invalidateSession: true }).then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toBe(true);
    expect(shard.status().state).toBe('closed');
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining('did not answer delete')]);
  });
});
