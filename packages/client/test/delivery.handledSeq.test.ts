import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { InMemorySessionStore, type SessionInfo, type SessionStore } from '@bot/gateway';
import {
  AbandonedEventsError,
  Client,
  Intents,
  Token,
  createLogger,
  type ClientError,
  type DispatchPolicy,
  type EventHandler,
} from '@bot/client';

// With handlers on the main thread, whether the shards run in this process or on worker threads
// (`workers(n)` alone), the session store must never hold, and heartbeats never acknowledge, a seq
// past the last event whose handlers finished (with every earlier one finished too): events read
// but still queued in the lanes are otherwise lost for good when the process dies or a shutdown
// gives up on them.

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const never = new Promise<void>(() => undefined);

/**
 * One process's view of a session store shared by several (Redis, say): it tells how far it holds
 * each session durably, as a Redis store does, and {@link SharedStoreView.crash} stops its process
 * writing anything more, as a kill would.
 */
class SharedStoreView implements SessionStore {
  readonly #sessions: Map<number, SessionInfo>;
  #crashed = false;

  public constructor(sessions: Map<number, SessionInfo>) {
    this.#sessions = sessions;
  }

  /** The process died: nothing it asks for reaches the store any more. */
  public crash(): void {
    this.#crashed = true;
  }

  public async get(shardId: number): Promise<SessionInfo | undefined> {
    const session = this.#sessions.get(shardId);
    return session && { ...session };
  }

  public async set(shardId: number, session: SessionInfo): Promise<void> {
    if (!this.#crashed) this.#sessions.set(shardId, { ...session });
  }

  public async delete(shardId: number): Promise<void> {
    if (!this.#crashed) this.#sessions.delete(shardId);
  }

  public durableSeq(shardId: number, sessionId: string): number | undefined {
    const session = this.#sessions.get(shardId);
    return session?.sessionId === sessionId ? session.seq : undefined;
  }
}

/** Where the shards run: in this process, or on `threads` worker threads (handlers stay here). */
interface ShardPlace {
  name: string;
  threads: number;
}

const PLACES: ShardPlace[] = [
  { name: 'in-process shards', threads: 0 },
  { name: 'shards on a worker thread, handlers on the main thread', threads: 1 },
];

/** A client of `emulator` on shard 0 with `handler`, its shard where `place` says, READY. */
async function startClient(
  emulator: Emulator,
  handler: EventHandler,
  sessionStore: SessionStore,
  policy: DispatchPolicy,
  place: ShardPlace = PLACES[0]!,
): Promise<{ client: Client; running: Promise<void> }> {
  const builder = Client.builder(new Token(emulator.appId, emulator.secret), Intents.all());
  const client = await (place.threads > 0 ? builder.workers(place.threads) : builder)
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .sessionStore(sessionStore)
    .dispatchPolicy(policy)
    .backpressure({ highWaterMark: 30 })
    // Writes every 20 ms and a budget that allows heartbeats every 100 ms: what the store holds
    // and what heartbeats acknowledge move many times while the handlers fall behind.
    .gateway({
      shutdownTimeoutMs: 60_000,
      seqFlushDelayMs: 20,
      sendLimit: { limit: 1_200, windowMs: 60_000 },
    })
    .eventHandler(handler);
  const ready = new Promise<void>((resolve) =>
    client.shardManager.on('state', (state) => state === 'ready' && resolve()),
  );
  const running = client.start();
  running.catch(() => undefined);
  await ready;
  return { client, running };
}

/** The seq the emulator sent the event of message `id` with. */
function seqOf(emulator: Emulator, id: string): number {
  for (const record of emulator.recorder.records) {
    if (record.kind !== 'sent') continue;
    const d = record.payload.d as { id?: unknown } | undefined;
    if (d?.id === id && typeof record.payload.s === 'number') return record.payload.s;
  }
  throw new Error(`message ${id} was not sent`);
}

/** The frames of opcode `op` the bot sent. */
function framesOf(emulator: Emulator, op: number): Array<{ index: number; d: unknown }> {
  return emulator.recorder.records.flatMap((record) =>
    record.kind === 'gateway' && record.op === op ? [record] : [],
  );
}

describe.each(PLACES)('$name resume from the last event handled, not the last one read', (place) => {
  it('a killed process loses nothing: the next one resumes before the events it left queued', async () => {
    // Strict: a resume from behind what heartbeats acknowledged is refused, as the platform may.
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 100,
      strictResume: true,
    });
    try {
      const sessions = new Map<number, SessionInfo>();
      const [firstView, secondView] = [new SharedStoreView(sessions), new SharedStoreView(sessions)];
      const handled: Array<Set<string>> = [new Set(), new Set()];
      const errors: ClientError[] = [];
      let crashed = false;
      let count = 0;
      const first = await startClient(
        emulator,
        {
          async groupMessageCreate(_ctx, message) {
            // Handlings of varied length, four at once: they finish out of order.
            await sleep(5 + (count++ % 3) * 10);
            if (!crashed) handled[0]!.add(message.id);
          },
        },
        firstView,
        { mode: 'concurrent', limit: 4 },
        place,
      );
      const sent = Array.from(
        { length: 150 },
        (_, index) => emulator.simulate.groupAtMessage({ content: `m ${index}` }).d.id,
      );
      await expect.poll(() => handled[0]!.size, { timeout: 10_000 }).toBeGreaterThanOrEqual(40);
      await sleep(250); // heartbeats and checkpoint writes go on meanwhile
      // The kill: nothing more of the first process reaches the store or counts as handled.
      firstView.crash();
      crashed = true;
      expect(handled[0]!.size).toBeLessThan(sent.length);
      await first.client.shutdown({ deadlineMs: 0 });
      await first.running;

      const second = await startClient(
        emulator,
        {
          groupMessageCreate: (_ctx, message) => void handled[1]!.add(message.id),
          error: (error) => void errors.push(error),
        },
        secondView,
        { mode: 'sequential' },
        place,
      );
      await expect
        .poll(() => sent.filter((id) => !handled[0]!.has(id) && !handled[1]!.has(id)).length, {
          timeout: 15_000,
        })
        .toBe(0);
      expect(framesOf(emulator, 2)).toHaveLength(1); // resumed, never identified again
      expect(framesOf(emulator, 6)).toHaveLength(1);
      expect(errors).toEqual([]);
      await second.client.shutdown({ invalidateSessions: true });
      await second.running;
    } finally {
      await emulator.stop();
    }
  });

  it('a shutdown that gives up on queued events leaves them to the next process', async () => {
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      heartbeatInterval: 100,
      strictResume: true,
    });
    try {
      // A store that tells how far it holds a session, as Redis does: worker threads cap their
      // heartbeats only with such a store.
      const store = new SharedStoreView(new Map());
      const handled: Array<Set<string>> = [new Set(), new Set()];
      const errors: ClientError[] = [];
      let started = 0;
      const first = await startClient(
        emulator,
        {
          async groupMessageCreate(_ctx, message) {
            // The first ten are handled; the rest hang until the shutdown gives up on them.
            if (started++ >= 10) await never;
            handled[0]!.add(message.id);
          },
          error: (error) => void errors.push(error),
        },
        store,
        { mode: 'concurrent', limit: 4 },
        place,
      );
      const sent = Array.from(
        { length: 60 },
        (_, index) => emulator.simulate.groupAtMessage({ content: `m ${index}` }).d.id,
      );
      await expect.poll(() => first.client.shardManager.shards.get(0)?.paused).toBe(true);
      await sleep(250); // heartbeats and checkpoint writes go on meanwhile
      await first.client.shutdown({ deadlineMs: 100 });
      await first.running;
      const abandoned = errors.filter((error) => error instanceof AbandonedEventsError);
      expect(abandoned).toHaveLength(1);
      expect(handled[0]!.size).toBe(10);

      const second = await startClient(
        emulator,
        { groupMessageCreate: (_ctx, message) => void handled[1]!.add(message.id) },
        store,
        { mode: 'sequential' },
        place,
      );
      // Everything the first did not finish reaches the second, the events given up on included.
      await expect
        .poll(() => sent.filter((id) => !handled[0]!.has(id) && !handled[1]!.has(id)).length, {
          timeout: 15_000,
        })
        .toBe(0);
      // The events given up on were read: the successor got them from the platform again.
      expect((abandoned[0] as AbandonedEventsError).events.length).toBeGreaterThan(0);
      expect(framesOf(emulator, 6)).toHaveLength(1);
      await second.client.shutdown({ invalidateSessions: true });
      await second.running;
    } finally {
      await emulator.stop();
    }
  });
});

describe('in-process shards acknowledge only what is handled', () => {
  it('heartbeats acknowledge no event whose handling, or an earlier one, has not finished', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 100 });
    try {
      let firstHeld: (() => void) | undefined;
      const first = await startClient(
        emulator,
        {
          // The first message hangs until released; the others behind it finish at once.
          groupMessageCreate: () =>
            firstHeld === undefined ? new Promise<void>((r) => (firstHeld = r)) : undefined,
        },
        new InMemorySessionStore(),
        { mode: 'concurrent', limit: 4 },
      );
      const sent = Array.from(
        { length: 10 },
        (_, index) => emulator.simulate.groupAtMessage({ content: `m ${index}` }).d.id,
      );
      await expect.poll(() => firstHeld !== undefined).toBe(true);
      const held = seqOf(emulator, sent[0]!);
      const last = seqOf(emulator, sent[9]!);
      const sentAt = emulator.recorder.mark();
      await expect
        .poll(() => framesOf(emulator, 1).filter((frame) => frame.index >= sentAt).length, { timeout: 5_000 })
        .toBeGreaterThanOrEqual(3);
      for (const beat of framesOf(emulator, 1).filter((frame) => frame.index >= sentAt)) {
        expect(beat.d).toBe(held - 1);
      }
      // Released, every event is handled: the next heartbeats acknowledge the last one read.
      firstHeld!();
      await expect.poll(() => framesOf(emulator, 1).at(-1)?.d, { timeout: 5_000 }).toBe(last);
      await first.client.shutdown({ invalidateSessions: true });
      await first.running;
    } finally {
      await emulator.stop();
    }
  });
});
