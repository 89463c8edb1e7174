import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { InMemorySessionStore, type SessionStore } from '@bot/gateway';
import {
  AbandonedEventsError,
  Client,
  Intents,
  Token,
  createLogger,
  type ClientError,
  type EventHandler,
} from '@bot/client';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A client of `emulator` with `handler`, started on shard 0 and READY. */
async function startClient(
  emulator: Emulator,
  handler: EventHandler,
  sessionStore: SessionStore,
): Promise<{ client: Client; running: Promise<void> }> {
  const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .sessionStore(sessionStore)
    .dispatchPolicy({ mode: 'concurrent', limit: 8 })
    .backpressure({ highWaterMark: 40 })
    // Longer than the test may take: closing a paused shard must not wait for the grace to run out.
    .gateway({ shutdownTimeoutMs: 60_000 })
    .eventHandler(handler);
  const ready = new Promise<void>((resolve) =>
    client.shardManager.on('state', (state) => state === 'ready' && resolve()),
  );
  const running = client.start();
  running.catch(() => undefined);
  await ready;
  return { client, running };
}

describe('shutdown under a flood', () => {
  it('gives up at the deadline on handlers that never settle and reports each event it abandons', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const errors: ClientError[] = [];
      let started = 0;
      const stuck: EventHandler = {
        groupMessageCreate: () => {
          started += 1;
          return new Promise<void>(() => undefined); // never settles
        },
        error: (error) => void errors.push(error),
      };
      const { client, running } = await startClient(emulator, stuck, new InMemorySessionStore());
      const sent = Array.from({ length: 200 }, (_, index) =>
        emulator.simulate.groupAtMessage({ content: `flood ${index}` }),
      );
      await expect.poll(() => started).toBe(8);
      await expect.poll(() => client.shardManager.shards.get(0)?.paused).toBe(true);

      await client.shutdown({ deadlineMs: 200 }); // resolves though no handler ever finishes
      await running;

      const reports = errors.filter((error) => error instanceof AbandonedEventsError);
      expect(reports).toHaveLength(1);
      const report = reports[0] as AbandonedEventsError;
      expect(report.kind).toBe('abandoned');
      expect(report.deadlineMs).toBe(200);
      // Everything read and not finished: the 8 running, then the waiting ones, in order.
      expect(report.events.length).toBe(40);
      expect(report.events.filter((event) => event.started)).toHaveLength(8);
      expect(report.events.map((event) => event.id)).toEqual(sent.slice(0, 40).map((event) => event.id));
      const first = report.events[0]!;
      expect(first).toMatchObject({ shardId: 0, event: 'GROUP_AT_MESSAGE_CREATE', started: true });
      expect(first.seq).toBeTypeOf('number');
      expect(report.events.map((event) => event.seq)).toEqual(
        report.events.map((_, index) => first.seq! + index),
      );
      expect(report.message).toContain(`GROUP_AT_MESSAGE_CREATE (shard 0, seq ${first.seq}`);
    } finally {
      await emulator.stop();
    }
  });

  it('loses nothing: a second client with the same session store resumes where the first stopped reading', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const store = new InMemorySessionStore();
      const handled: string[][] = [[], []];
      const errors: ClientError[] = [];
      const handlerOf = (run: number): EventHandler => ({
        async groupMessageCreate(_ctx, message) {
          await sleep(5);
          handled[run]!.push(message.id);
        },
        error: (error) => void errors.push(error),
      });
      const first = await startClient(emulator, handlerOf(0), store);
      const sent = Array.from(
        { length: 400 },
        (_, index) => emulator.simulate.groupAtMessage({ content: `flood ${index}` }).d.id,
      );
      await expect.poll(() => handled[0]!.length).toBeGreaterThan(50);

      await first.client.shutdown({ deadlineMs: 10_000 });
      await first.running;
      expect(handled[0]!.length).toBeLessThan(sent.length); // the rest is still on the platform's side

      const second = await startClient(emulator, handlerOf(1), store);
      expect(emulator.recorder.filter((record) => record.kind === 'gateway' && record.op === 6)).toHaveLength(
        1,
      ); // resumed, not identified again
      await expect.poll(() => handled[0]!.length + handled[1]!.length, { timeout: 15_000 }).toBe(sent.length);
      await second.client.shutdown({ invalidateSessions: true });
      await second.running;

      const all = [...handled[0]!, ...handled[1]!];
      expect(new Set(all).size).toBe(all.length); // no duplicates
      expect([...all].sort()).toEqual([...sent].sort()); // no loss
      expect(errors).toEqual([]); // nothing abandoned: the deadline sufficed
    } finally {
      await emulator.stop();
    }
  });
});
