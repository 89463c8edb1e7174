import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import type { SessionInfo, SessionStore } from '@bot/gateway';
import { Client, Intents, Token, createLogger, type EventHandler } from '@bot/client';

// A new session (invalid session, identify, READY numbered from 1) while the old session's events
// still wait in the lane: the old events' higher seqs must not stand for how far the new session
// is handled, or its events are stored and acknowledged before any handler saw them, and the
// acknowledgements go back once the old events drain.

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A store shared by processes (Redis, say): it tells how far it holds each session durably. */
class SharedStore implements SessionStore {
  #crashed = false;

  public constructor(public readonly sessions = new Map<number, SessionInfo>()) {}

  /** The process died: nothing it asks for reaches the store any more. */
  public crash(): void {
    this.#crashed = true;
  }

  public async get(shardId: number): Promise<SessionInfo | undefined> {
    const session = this.sessions.get(shardId);
    return session && { ...session };
  }

  public async set(shardId: number, session: SessionInfo): Promise<void> {
    if (!this.#crashed) this.sessions.set(shardId, { ...session });
  }

  public async delete(shardId: number): Promise<void> {
    if (!this.#crashed) this.sessions.delete(shardId);
  }

  public durableSeq(shardId: number, sessionId: string): number | undefined {
    const session = this.sessions.get(shardId);
    return session?.sessionId === sessionId ? session.seq : undefined;
  }
}

/** The `d` of every heartbeat the bot sent from record `from` on. */
function beatsFrom(emulator: Emulator, from: number): Array<number | null> {
  return emulator.recorder.records
    .slice(from)
    .flatMap((record) => (record.kind === 'gateway' && record.op === 1 ? [record.d as number | null] : []));
}

const identifies = (emulator: Emulator): number =>
  emulator.recorder.records.filter((record) => record.kind === 'gateway' && record.op === 2).length;

/** A client of `emulator` on shard 0 with `handler` and `store`, READY. */
async function startClient(
  emulator: Emulator,
  handler: EventHandler,
  store: SessionStore,
  threads: number,
): Promise<{ client: Client; running: Promise<void> }> {
  const builder = Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .sessionStore(store)
    .dispatchPolicy({ mode: 'sequential' })
    .backpressure({ highWaterMark: 300 })
    .gateway({
      shutdownTimeoutMs: 60_000,
      seqFlushDelayMs: 20,
      sendLimit: { limit: 1_200, windowMs: 60_000 },
    })
    .eventHandler(handler);
  // Shards on a worker thread, handlers here: the thread's heartbeats are capped as told.
  const client = await (threads > 0 ? builder.workers(threads) : builder);
  const ready = new Promise<void>((resolve) =>
    client.shardManager.on('state', (state) => state === 'ready' && resolve()),
  );
  const running = client.start();
  running.catch(() => undefined);
  await ready;
  return { client, running };
}

describe.each([
  ['shards in this process', 0],
  ['shards on a worker thread', 1],
])('a new session while the old one still has events in the lane (%s)', (_where, threads) => {
  it('stores and acknowledges none of the new session unhandled, never goes back, and resumes', async () => {
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 100,
      strictResume: true,
    });
    try {
      const store = new SharedStore();
      const gates = new Map<string, () => void>();
      const handler: EventHandler = {
        async groupMessageCreate(_ctx, message) {
          const held = ['hold-old', 'hold-new'].find((word) => message.content.includes(word));
          if (held !== undefined) await new Promise<void>((resolve) => gates.set(held, resolve));
        },
      };
      const { client } = await startClient(emulator, handler, store, threads);

      for (let i = 0; i < 40; i++)
        emulator.simulate.groupAtMessage({ content: i === 30 ? 'hold-old' : `old ${i}` });
      await expect.poll(() => gates.has('hold-old')).toBe(true);
      emulator.faults.invalidSession(0, false);
      await expect.poll(() => identifies(emulator), { timeout: 20_000 }).toBe(2);
      const newSessionFrom = emulator.recorder.records.length;
      await expect.poll(() => client.shardManager.shards.get(0)?.state).toBe('ready');
      for (let i = 0; i < 10; i++)
        emulator.simulate.groupAtMessage({ content: i === 0 ? 'hold-new' : `new ${i}` });
      await sleep(400);

      // None of the new session's events is handled: nothing of it past READY stored or acknowledged.
      expect(store.sessions.get(0)!.seq).toBeLessThanOrEqual(1);
      expect(Math.max(...beatsFrom(emulator, newSessionFrom).map((d) => d ?? 0))).toBeLessThanOrEqual(1);

      gates.get('hold-old')!();
      await expect.poll(() => gates.has('hold-new')).toBe(true);
      await sleep(400);
      const beats = beatsFrom(emulator, newSessionFrom).map((d) => d ?? 0);
      for (let index = 1; index < beats.length; index++)
        expect(beats[index]).toBeGreaterThanOrEqual(beats[index - 1]!);

      const closesBefore = emulator.recorder.records.filter((record) => record.kind === 'close').length;
      emulator.faults.dropSocket(0);
      await expect
        .poll(
          () =>
            emulator.recorder.records.filter((record) => record.kind === 'gateway' && record.op === 6).length,
          {
            timeout: 10_000,
          },
        )
        .toBe(1);
      await sleep(500);
      const closes = emulator.recorder.records
        .slice(0)
        .filter((record) => record.kind === 'close')
        .slice(closesBefore) as Array<{ code?: number }>;
      expect(closes.map((close) => close.code)).not.toContain(4007);
      expect(identifies(emulator)).toBe(2);
      gates.get('hold-new')!();
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  }, 60_000);

  it('a process killed in that window leaves the new session where a successor gets all its events', async () => {
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 100,
      strictResume: true,
    });
    try {
      const sessions = new Map<number, SessionInfo>();
      const [first, second] = [new SharedStore(sessions), new SharedStore(sessions)];
      let holding = false;
      const killed = await startClient(
        emulator,
        {
          async groupMessageCreate(_ctx, message) {
            if (!message.content.includes('hold-old')) return;
            holding = true;
            await new Promise<void>(() => undefined);
          },
        },
        first,
        threads,
      );
      for (let i = 0; i < 40; i++)
        emulator.simulate.groupAtMessage({ content: i === 30 ? 'hold-old' : `old ${i}` });
      await expect.poll(() => holding).toBe(true);
      emulator.faults.invalidSession(0, false);
      await expect.poll(() => identifies(emulator), { timeout: 20_000 }).toBe(2);
      await expect.poll(() => killed.client.shardManager.shards.get(0)?.state).toBe('ready');
      const newIds: string[] = [];
      for (let i = 0; i < 10; i++)
        newIds.push(emulator.simulate.groupAtMessage({ content: `new ${i}` }).d.id);
      await sleep(300);
      first.crash();
      await killed.client.shutdown({ deadlineMs: 0 });
      await killed.running;

      const handled = new Set<string>();
      const successor = await startClient(
        emulator,
        { groupMessageCreate: (_ctx, message) => void handled.add(message.id) },
        second,
        threads,
      );
      await expect.poll(() => newIds.filter((id) => !handled.has(id)), { timeout: 5_000 }).toEqual([]);
      expect(identifies(emulator)).toBe(2);
      await successor.client.shutdown({ invalidateSessions: true });
      await successor.running;
    } finally {
      await emulator.stop();
    }
  }, 60_000);
});
