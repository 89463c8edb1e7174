/**
 * The main thread's side of a `close({ invalidateSession: true })` that comes while a worker
 * shard's `close()` without it is under way, or once that has resolved: the thread is asked to
 * upgrade its close once, and a session the close reports left behind anyway is forgotten in the
 * store here, as a `Shard` forgets it.
 */
import { describe, expect, it } from 'vitest';
import { InMemorySessionStore, type SessionInfo } from '@bot/gateway';
import { pausedWorkerShard, typesOf } from './support/pausedWorkerShard.js';

const STORED: SessionInfo = { sessionId: 'S1', seq: 41, shardCount: 1 };

/** A running worker shard of session S1 over a stand-in thread, with S1 stored. */
async function storedShard() {
  const store = new InMemorySessionStore();
  await store.set(0, STORED);
  return { store, ...pausedWorkerShard({ store }) };
}

describe('a worker shard closed with invalidateSession after a close() without it', () => {
  it('asks its thread to upgrade the close under way, once, with the later close’s grace', async () => {
    const { shard, posted } = await storedShard();
    void shard.close();
    void shard.close({ invalidateSession: true, graceMs: 3_000 });
    void shard.close({ invalidateSession: true });
    void shard.close();
    // Before the fix the thread was asked for the first close only.
    expect(typesOf(posted)).toEqual(['close', 'invalidate']);
    expect(posted[1]).toEqual({ type: 'invalidate', id: 0, graceMs: 3_000 });
    expect(shard.invalidating).toBe(true);
    shard.receive([0, 'closed', undefined]);
  });

  it('forgets in the store the session the thread’s close left behind anyway', async () => {
    const { shard, store, errors } = await storedShard();
    const first = shard.close();
    const second = shard.close({ invalidateSession: true });
    // The upgrade came too late on the thread: its close reports the session it wrote.
    shard.receive([0, 'closed', STORED]);
    expect(await first).toBeUndefined();
    expect(await second).toBeUndefined();
    expect(await store.get(0)).toBeUndefined();
    expect(shard.session).toBeUndefined();
    expect(shard.status().sessionId).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('keeps the session a close() alone leaves behind', async () => {
    const { shard, store } = await storedShard();
    const first = shard.close();
    shard.receive([0, 'closed', STORED]);
    expect(await first).toEqual(STORED);
    expect(await store.get(0)).toEqual(STORED);
    expect(shard.session).toEqual(STORED);
  });

  it('forgets the stored session on one that comes once the close has resolved', async () => {
    const { shard, store, posted } = await storedShard();
    const first = shard.close();
    shard.receive([0, 'closed', STORED]);
    expect(await first).toEqual(STORED);
    // Before the fix this resolved with the session and left it stored.
    expect(await shard.close({ invalidateSession: true })).toBeUndefined();
    expect(await store.get(0)).toBeUndefined();
    expect(shard.session).toBeUndefined();
    expect(typesOf(posted)).toEqual(['close']);
  });

  it('forgets it when no thread ran the shard to ask', async () => {
    const { shard, store, link } = await storedShard();
    link.running = false;
    expect(await shard.close()).toEqual(STORED);
    expect(await shard.close({ invalidateSession: true })).toBeUndefined();
    expect(await store.get(0)).toBeUndefined();
  });

  it('refuses a start while it forgets the session', async () => {
    const { shard, store } = await storedShard();
    const first = shard.close();
    shard.receive([0, 'closed', STORED]);
    await first;
    const forgetting = shard.close({ invalidateSession: true });
    await expect(shard.start()).rejects.toThrow(/is closing/);
    await forgetting;
    expect(await store.get(0)).toBeUndefined();
  });
});
