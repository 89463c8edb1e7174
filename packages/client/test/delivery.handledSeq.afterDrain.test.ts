import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import type { SessionInfo, SessionStore } from '@bot/gateway';
import { Client, Intents, Token, createLogger, type EventHandler } from '@bot/client';

// The session store holds no seq past the last event handled. Its shard writes a few milliseconds
// (seqFlushDelayMs) after it reads an event, while a backlog is still queued, so that write is
// held back at the handled point of then; once the backlog drains with no new event, nothing
// wrote again, and a crash while the bot stayed quiet replayed events that were all handled.

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const BACKLOG = 10;
const HANDLER_MS = 30;

/** A store shared by processes (Redis, say), counting its writes; a crash stops them reaching it. */
class SharedStore implements SessionStore {
  #crashed = false;
  /** Each session written, and when. */
  public readonly writes: Array<{ at: number; seq: number }> = [];

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
    if (this.#crashed) return;
    this.writes.push({ at: performance.now(), seq: session.seq });
    this.sessions.set(shardId, { ...session });
  }

  public async delete(shardId: number): Promise<void> {
    if (!this.#crashed) this.sessions.delete(shardId);
  }
}

/** A client of `emulator` on `store`, shard 0 started and READY. */
async function startClient(
  emulator: Emulator,
  store: SessionStore,
  handler: EventHandler,
): Promise<{ client: Client; running: Promise<void> }> {
  const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .sessionStore(store)
    .dispatchPolicy({ mode: 'sequential' })
    .gateway({ seqFlushDelayMs: 20 })
    .eventHandler(handler);
  const ready = new Promise<void>((resolve) =>
    client.shardManager.on('state', (state) => state === 'ready' && resolve()),
  );
  const running = client.start();
  running.catch(() => undefined);
  await ready;
  return { client, running };
}

/** The seq the emulator sent the last event with. */
function lastSentSeq(emulator: Emulator): number {
  let seq = 0;
  for (const record of emulator.recorder.records) {
    if (record.kind === 'sent' && typeof record.payload.s === 'number') seq = Math.max(seq, record.payload.s);
  }
  return seq;
}

describe('the handled point after a backlog drains', () => {
  it('reaches the store soon after the drain, so a crash while the bot is quiet replays nothing handled', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const store = new SharedStore();
      const handled: Array<Set<string>> = [new Set(), new Set()];
      let drainedAt = Number.POSITIVE_INFINITY;
      const first = await startClient(emulator, store, {
        async groupMessageCreate(_ctx, message) {
          await sleep(HANDLER_MS);
          handled[0]!.add(message.id);
          if (handled[0]!.size === BACKLOG) drainedAt = performance.now();
        },
      });
      for (let index = 0; index < BACKLOG; index += 1) {
        emulator.simulate.groupAtMessage({ content: `m ${index}` });
      }
      await expect.poll(() => handled[0]!.size, { timeout: 5_000 }).toBe(BACKLOG);
      const last = lastSentSeq(emulator);
      // Quiet from here on: the stored point reaches the last event soon, with one write.
      await expect.poll(() => store.sessions.get(0)?.seq, { timeout: 1_000, interval: 10 }).toBe(last);
      await sleep(200);
      const afterDrain = store.writes.filter((write) => write.at >= drainedAt);
      expect(afterDrain.map((write) => write.seq)).toEqual([last]);
      expect(afterDrain[0]!.at - drainedAt).toBeLessThan(50);
      // The shard's own writes, while the backlog was queued, were held back below it.
      expect(store.writes.slice(0, -1).every((write) => write.seq < last)).toBe(true);

      // The kill: the next process resumes after the last event and handles none of them again.
      store.crash();
      await first.client.shutdown({ deadlineMs: 0 });
      await first.running;
      const second = await startClient(emulator, store, {
        groupMessageCreate: (_ctx, message) => void handled[1]!.add(message.id),
      });
      await sleep(100);
      expect(handled[1]!.size).toBe(0);
      await second.client.shutdown({ invalidateSessions: true });
      await second.running;
    } finally {
      await emulator.stop();
    }
  });
});
