/**
 * The short connection `close({ invalidateSession: true })` opens after `restart()` to end the
 * session on the platform (resume it, close with 1000 on RESUMED), and the stop requests around it:
 *
 * - the store forgets the session at once, not behind the short connection with no grace left;
 * - a READY answering the short Resume ends it at once, and its session is never stored;
 * - op 9 saying the session may be resumed is reported: the session stays resumable there;
 * - a `close({ invalidateSession: true })` after a `close()` without it upgrades that close;
 * - a session restarted, resumed, lost and resumed again is ended on its live socket.
 */
import { describe, expect, it } from 'vitest';
import { InMemorySessionStore, type SessionInfo, type SessionStore } from '@bot/gateway';
import type { FakeConnection, ReceivedFrame } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard, settleIo } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

/** Resolves with the code the client closed `connection` with. */
function closeCodeOf(connection: FakeConnection): Promise<number> {
  return new Promise((resolve) => connection.socket.once('close', (code) => resolve(code)));
}

/** A store over an in-memory one that records when each call came (fake clock) and what was set. */
function recordingStore(): {
  store: SessionStore;
  inner: InMemorySessionStore;
  deletes: number[];
  sets: SessionInfo[];
} {
  const inner = new InMemorySessionStore();
  const deletes: number[] = [];
  const sets: SessionInfo[] = [];
  const store: SessionStore = {
    get: (id) => inner.get(id),
    set: (id, session) => {
      sets.push(session);
      return inner.set(id, session);
    },
    delete: (id) => {
      deletes.push(Date.now());
      return inner.delete(id);
    },
  };
  return { store, inner, deletes, sets };
}

describe('close({ invalidateSession: true }) after restart(): the short connection', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  it('forgets the session in the store at once, while the Resume is still unanswered', async () => {
    const { store, inner, deletes } = recordingStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    const errors: string[] = [];
    shard.on('error', (error) => errors.push(error.message));
    await shard.start();
    fake.gateway.options.swallowResume = true;
    shard.restart();
    await settleIo();

    const startedAt = Date.now();
    let settled = false;
    const closing = shard.close({ invalidateSession: true, graceMs: 2_000 }).then((left) => {
      settled = true;
      return left;
    });
    await advanceBy(1_000, 100);
    // The short connection still waits for RESUMED; the store has already forgotten the session.
    expect(settled).toBe(false);
    expect(await inner.get(0)).toBeUndefined();
    expect(deletes).toHaveLength(1);
    // Before the fix the delete went out at +2000 ms, once the short connection had given up.
    expect(deletes[0]! - startedAt).toBeLessThan(200);

    await advanceUntil(() => settled, 3_000);
    expect(await closing).toBeUndefined();
    expect(errors.filter((message) => message.includes('session store'))).toEqual([]);
    expect(errors.filter((message) => message.includes('no RESUMED within'))).toHaveLength(1);
  });

  it('ends at once when READY answers the Resume, and never stores that session', async () => {
    const { store, inner, sets } = recordingStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    await shard.start();
    fake.gateway.options.swallowResume = true;
    const shortCode = new Promise<number>((resolve) =>
      fake.gateway.on('frame', (frame: ReceivedFrame) => {
        if (frame.op !== 6) return;
        void closeCodeOf(frame.connection).then(resolve);
        frame.connection.send({
          op: 0,
          s: 1,
          t: 'READY',
          d: {
            version: 1,
            session_id: 'fresh',
            user: { id: 'bot', username: 'bot', bot: true },
            shard: [0, 1],
          },
        });
      }),
    );
    shard.restart();
    await settleIo();

    const startedAt = Date.now();
    let settledAt: number | undefined;
    const closing = shard.close({ invalidateSession: true, graceMs: 5_000 }).then((left) => {
      settledAt = Date.now();
      return left;
    });
    await advanceUntil(() => settledAt !== undefined, 6_000, 50);
    expect(await closing).toBeUndefined();
    // Before the fix the connection was held for the whole grace (5000 ms).
    expect(settledAt! - startedAt).toBeLessThan(1_000);
    // The fresh session was closed with 1000 and never written to the store.
    expect(await shortCode).toBe(1000);
    expect(sets.map((session) => session.sessionId)).not.toContain('fresh');
    expect(await inner.get(0)).toBeUndefined();
  });

  it('reports op 9 saying the session may be resumed: the session stays resumable there', async () => {
    const { shard } = makeShard(fake.gateway.url);
    const errors: string[] = [];
    shard.on('error', (error) => errors.push(error.message));
    await shard.start();
    fake.gateway.options.swallowResume = true;
    fake.gateway.on('frame', (frame: ReceivedFrame) => {
      if (frame.op === 6) frame.connection.send({ op: 9, d: true });
    });
    shard.restart();
    await settleIo();

    let settled = false;
    const closing = shard.close({ invalidateSession: true, graceMs: 2_000 }).then((left) => {
      settled = true;
      return left;
    });
    await advanceUntil(() => settled, 3_000, 50);
    expect(await closing).toBeUndefined();
    expect(fake.gateway.received(6).length).toBeGreaterThanOrEqual(1);
    // Before the fix: no report at all.
    const reported = errors.filter((message) => message.includes('could not end the session'));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain('op 9');
    expect(reported[0]).toContain('stays resumable');
  });

  it('ends the session on its live socket after restart, resume, a 4009 loss and a resume', async () => {
    const { shard } = makeShard(fake.gateway.url);
    await shard.start();
    shard.restart();
    await advanceUntil(() => fake.gateway.connections.length === 2 && shard.state === 'ready', 5_000);
    fake.gateway.last.close(4009);
    await advanceUntil(() => fake.gateway.connections.length === 3 && shard.state === 'ready', 5_000);
    const live = fake.gateway.last;
    const code = closeCodeOf(live);
    const resumes = fake.gateway.received(6).length;

    const closing = shard.close({ invalidateSession: true });
    await advanceBy(1_000, 100);
    expect(await closing).toBeUndefined();
    expect(await code).toBe(1000);
    expect(fake.gateway.connections).toHaveLength(3);
    expect(fake.gateway.received(6)).toHaveLength(resumes);
  });
});

describe('close({ invalidateSession: true }) while a close() without it is under way', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  it('upgrades the close in the same synchronous run: the socket closes with 1000', async () => {
    const { store, inner } = recordingStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    await shard.start();
    const code = closeCodeOf(fake.gateway.last);

    const first = shard.close();
    const second = shard.close({ invalidateSession: true });
    await advanceBy(1_000, 100);
    // Before the fix the second was dropped: 4000, and the session stayed stored.
    expect(await code).toBe(1000);
    expect(await first).toBeUndefined();
    expect(await second).toBeUndefined();
    expect(await inner.get(0)).toBeUndefined();
    expect(fake.gateway.connections).toHaveLength(1);
  });

  it('upgrades it once the socket was closed with 4000: the session is resumed and closed with 1000', async () => {
    const { store, inner } = recordingStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    await shard.start();
    const firstCode = closeCodeOf(fake.gateway.last);

    const first = shard.close();
    await settleIo();
    const second = shard.close({ invalidateSession: true });
    await advanceBy(1_000, 100);
    expect(await firstCode).toBe(4000);
    expect(await first).toBeUndefined();
    expect(await second).toBeUndefined();
    expect(await inner.get(0)).toBeUndefined();
    // The session was resumed on a connection of its own and that was closed with 1000.
    expect(fake.gateway.connections).toHaveLength(2);
    const resume = fake.gateway.received(6).at(-1);
    expect(resume?.connection).toBe(fake.gateway.connections[1]);
    expect(fake.gateway.connections[1]!.socket.readyState).toBe(fake.gateway.connections[1]!.socket.CLOSED);
  });

  it('upgrades a close() that came after restart(): the session is ended on the platform', async () => {
    const { store, inner } = recordingStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    await shard.start();
    shard.restart();
    await settleIo();
    const codes: Promise<number>[] = [];
    fake.gateway.on('frame', (frame: ReceivedFrame) => {
      if (frame.op === 6) codes.push(closeCodeOf(frame.connection));
    });

    const first = shard.close();
    const second = shard.close({ invalidateSession: true });
    await advanceBy(1_000, 100);
    expect(await first).toBeUndefined();
    expect(await second).toBeUndefined();
    expect(await inner.get(0)).toBeUndefined();
    expect(await Promise.all(codes)).toEqual([1000]);
  });

  /** A store whose write at close hangs until `release()`: the run is over, the close under way. */
  function hangingWriteStore(): {
    store: SessionStore;
    inner: InMemorySessionStore;
    hanging: () => boolean;
    release: () => void;
  } {
    const inner = new InMemorySessionStore();
    let release: (() => void) | undefined;
    const store: SessionStore = {
      get: (id) => inner.get(id),
      set: async (id, session) => {
        if (session.seq > 1) await new Promise<void>((resolve) => (release = resolve));
        return inner.set(id, session);
      },
      delete: (id) => inner.delete(id),
    };
    return {
      store,
      inner,
      hanging: () => release !== undefined,
      release: () => release?.(),
    };
  }

  it('reports one that comes once the close is only writing the session, and forgets it after the write', async () => {
    const { store, inner, hanging, release } = hangingWriteStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    const errors: string[] = [];
    shard.on('error', (error) => errors.push(error.message));
    await shard.start();
    fake.gateway.last.dispatch('MESSAGE_CREATE');
    await settleIo();

    const first = shard.close();
    await advanceUntil(hanging, 1_000, 10);
    const second = shard.close({ invalidateSession: true });
    release();
    await advanceBy(500, 100);
    // The close that did not invalidate leaves the session as it wrote it; the late one forgets it.
    expect((await first)?.sessionId).toBe('session-1');
    expect(await second).toBeUndefined();
    expect(await inner.get(0)).toBeUndefined();
    expect(shard.status().sessionId).toBeUndefined();
    expect(errors.filter((message) => message.includes('came after a close() without it'))).toHaveLength(1);
  });

  it('reports a late one once, even to an error listener that closes with invalidateSession again', async () => {
    const { store, inner, hanging, release } = hangingWriteStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    let reports = 0;
    shard.on('error', (error) => {
      reports += 1;
      // Before the fix each report came inside close(), and this close reported again: 1092 reports
      // and a stack overflow.
      if (error.message.includes('came after a close()')) void shard.close({ invalidateSession: true });
    });
    await shard.start();
    fake.gateway.last.dispatch('MESSAGE_CREATE');
    await settleIo();

    const first = shard.close();
    await advanceUntil(hanging, 1_000, 10);
    const second = shard.close({ invalidateSession: true });
    release();
    await advanceBy(500, 100);
    await first;
    expect(reports).toBe(1);
    expect(await second).toBeUndefined();
  });

  it('forgets the stored session on one that comes after the close() resolved', async () => {
    const { store, inner } = recordingStore();
    const { shard } = makeShard(fake.gateway.url, { sessionStore: store });
    const errors: string[] = [];
    shard.on('error', (error) => errors.push(error.message));
    await shard.start();
    const first = shard.close();
    await advanceBy(1_000, 100);
    expect((await first)?.sessionId).toBe('session-1');
    expect((await inner.get(0))?.sessionId).toBe('session-1');

    // Before the fix this did nothing: the session stayed stored, and the next start resumed it.
    await expect(shard.close({ invalidateSession: true })).resolves.toBeUndefined();
    expect(await inner.get(0)).toBeUndefined();
    expect(shard.status().sessionId).toBeUndefined();
    expect(fake.gateway.connections).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
