import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError, type SessionInfo, type SessionStore } from '@bot/gateway';
import { HandledSessionStore, type HandledPoint } from '../src/client/HandledSessionStore.js';

// The store's own write after a drain: once per held-back write, in order with the shard's
// writes, never over a deletion, never past a cap that stays (a shutdown's abandon point), and
// with no timer of its own.

const flush = async (): Promise<void> => {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
};

/** A store recording each call; `hold()` makes the next calls wait until released. */
class RecordingStore implements SessionStore {
  public readonly calls: string[] = [];
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  public failNext: Error | undefined;

  public hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  public release(): void {
    this.#open?.();
    this.#gate = undefined;
  }

  public async get(): Promise<SessionInfo | undefined> {
    return undefined;
  }

  public async set(shardId: number, session: SessionInfo): Promise<void> {
    this.calls.push(`set ${shardId} ${session.sessionId} ${session.seq}`);
    const failure = this.failNext;
    this.failNext = undefined;
    await this.#gate;
    if (failure) throw failure;
  }

  public async delete(shardId: number): Promise<void> {
    this.calls.push(`delete ${shardId}`);
    await this.#gate;
  }
}

/** A handled point the test moves: the cap per shard, and drains it announces. */
class FakePoint implements HandledPoint {
  public readonly caps = new Map<number, number | undefined>();
  public readonly failures: GatewayError[] = [];
  public waits = 0;
  readonly #drains = new Map<number, Array<() => void>>();

  public readonly cap = (shardId: number): number | undefined => this.caps.get(shardId);

  public readonly drained = (shardId: number): Promise<void> => {
    this.waits += 1;
    return new Promise((resolve) => {
      const waiting = this.#drains.get(shardId) ?? [];
      waiting.push(resolve);
      this.#drains.set(shardId, waiting);
    });
  };

  public readonly writeFailed = (error: GatewayError): void => void this.failures.push(error);

  /** Every event of `shardId` read is handled now. */
  public drain(shardId: number): void {
    this.caps.set(shardId, undefined);
    const waiting = this.#drains.get(shardId) ?? [];
    this.#drains.delete(shardId);
    for (const resolve of waiting) resolve();
  }
}

const session = (seq: number, sessionId = 's1'): SessionInfo => ({ sessionId, seq, shardCount: 1 });

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('HandledSessionStore after a drain', () => {
  it('writes a held-back session once at the drain, however many writes were held back meanwhile, and sets no timer', async () => {
    const store = new RecordingStore();
    const point = new FakePoint();
    const handled = new HandledSessionStore(store, point);
    point.caps.set(0, 3);
    for (const seq of [10, 20, 30]) await handled.set(0, session(seq));
    point.caps.set(0, 25);
    await handled.set(0, session(40));
    expect(point.waits).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    point.drain(0);
    await flush();
    expect(store.calls).toEqual(['set 0 s1 3', 'set 0 s1 3', 'set 0 s1 3', 'set 0 s1 25', 'set 0 s1 40']);
    // Drained again with nothing held back: no write.
    point.drain(0);
    await flush();
    expect(store.calls).toHaveLength(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('writes nothing of its own for a write not held back, nor for a busy shard between its writes', async () => {
    const store = new RecordingStore();
    const point = new FakePoint();
    const handled = new HandledSessionStore(store, point);
    point.caps.set(0, undefined);
    for (let seq = 1; seq <= 50; seq += 1) await handled.set(0, session(seq));
    expect(point.waits).toBe(0);
    expect(store.calls).toHaveLength(50);
  });

  it('does not bring back a session deleted before the drain', async () => {
    const store = new RecordingStore();
    const point = new FakePoint();
    const handled = new HandledSessionStore(store, point);
    point.caps.set(0, 4);
    await handled.set(0, session(9));
    await handled.delete(0);
    point.drain(0);
    await flush();
    expect(store.calls).toEqual(['set 0 s1 4', 'delete 0']);
  });

  it('lands after the shard write under way, and the shard’s next write after it', async () => {
    const store = new RecordingStore();
    const point = new FakePoint();
    const handled = new HandledSessionStore(store, point);
    point.caps.set(0, 4);
    store.hold();
    const first = handled.set(0, session(9));
    point.drain(0); // the cap rises to 9 while the write of 4 is unanswered
    await flush();
    expect(store.calls).toEqual(['set 0 s1 4']);
    store.release();
    await first;
    await flush();
    expect(store.calls).toEqual(['set 0 s1 4', 'set 0 s1 9']);

    // A shard write asked while the store's own is unanswered waits for it.
    point.caps.set(0, 11);
    await handled.set(0, session(15));
    store.hold();
    point.drain(0);
    await flush();
    const next = handled.set(0, session(16));
    await flush();
    expect(store.calls.slice(3)).toEqual(['set 0 s1 15']);
    store.release();
    await next;
    expect(store.calls.slice(3)).toEqual(['set 0 s1 15', 'set 0 s1 16']);
  });

  it('writes nothing, and waits no more, when the cap stays (a shutdown gave up on the events)', async () => {
    const store = new RecordingStore();
    const point = new FakePoint();
    const handled = new HandledSessionStore(store, point);
    point.caps.set(0, 4);
    await handled.set(0, session(9));
    // The lanes were given up on: they hold nothing, and the cap stays at the abandon point.
    point.drain(0);
    point.caps.set(0, 4);
    await flush();
    expect(store.calls).toEqual(['set 0 s1 4']);
    expect(point.waits).toBe(1);
  });

  it('reports a failed write of its own as a GatewayError naming the shard, and goes on', async () => {
    const store = new RecordingStore();
    const point = new FakePoint();
    const handled = new HandledSessionStore(store, point);
    point.caps.set(2, 4);
    await handled.set(2, session(9));
    const cause = new Error('store down');
    store.failNext = cause;
    point.drain(2);
    await flush();
    expect(point.failures).toHaveLength(1);
    expect(point.failures[0]).toBeInstanceOf(GatewayError);
    expect(point.failures[0]!.shardId).toBe(2);
    expect(point.failures[0]!.cause).toBe(cause);
    expect(point.failures[0]!.message).toMatch(/^shard 2: writing the session at the handled point/);
    await handled.set(2, session(12));
    expect(store.calls.at(-1)).toBe('set 2 s1 12');
  });
});
