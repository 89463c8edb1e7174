import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { InMemorySessionStore, type SessionStore } from '@bot/gateway';
import { Client, Intents, Token, createLogger, type EventHandler } from '@bot/client';

// A restart that resumes its sessions gets the events sent while it was down replayed before
// RESUMED, and they queue in the shard's lane ahead of it. The shard is live as soon as RESUMED
// arrives: `shardsReady` (what health probes and rollouts wait on) must not wait for that backlog.

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const BACKLOG = 20;
const HANDLER_MS = 50;

/** Where the shards run: in this process, or on `threads` worker threads (handlers stay here). */
const PLACES = [
  { name: 'in-process shards', threads: 0 },
  { name: 'shards on a worker thread, handlers on the main thread', threads: 1 },
];

/** A client of `emulator` on `store`, its handlers one at a time per shard, its shards on `threads`. */
async function buildClient(
  emulator: Emulator,
  store: SessionStore,
  handler: EventHandler,
  threads = 0,
): Promise<Client> {
  const builder = Client.builder(new Token(emulator.appId, emulator.secret), Intents.all());
  return (threads > 0 ? builder.workers(threads) : builder)
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .sessionStore(store)
    .dispatchPolicy({ mode: 'sequential' })
    .eventHandler(handler);
}

describe('shardsReady after a restart that resumes with a backlog', () => {
  it.each(PLACES)(
    '$name: fires once the shard is resumed, before the replayed events are handled; resumed() keeps its place after them',
    async ({ threads }) => {
      const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
      try {
        const store = new InMemorySessionStore();
        const first = await buildClient(emulator, store, {}, threads);
        const firstReady = new Promise<void>((resolve) =>
          first.shardManager.on('state', (s) => s === 'ready' && resolve()),
        );
        const firstRunning = first.start();
        await firstReady;
        await first.shutdown(); // the session stays resumable
        await firstRunning;

        // Sent while no process runs: replayed to the next one ahead of its RESUMED.
        for (let index = 0; index < BACKLOG; index += 1) {
          emulator.simulate.groupAtMessage({ content: `backlog ${index}` });
        }

        const log: string[] = [];
        let liveAt: number | undefined;
        let readyAt: number | undefined;
        let handledAtReady: number | undefined;
        let handled = 0;
        const second = await buildClient(
          emulator,
          store,
          {
            async groupMessageCreate() {
              await sleep(HANDLER_MS);
              handled += 1;
              log.push('message');
            },
            resumed: () => void log.push('resumed'),
            shardStatus: ({ state }) => {
              if (state === 'ready') liveAt ??= performance.now();
            },
            shardsReady: () => {
              readyAt = performance.now();
              handledAtReady = handled;
              log.push('shardsReady');
            },
          },
          threads,
        );
        const running = second.start();
        await expect.poll(() => log.includes('resumed'), { timeout: 10_000 }).toBe(true);
        expect(emulator.recorder.records.filter((r) => r.kind === 'gateway' && r.op === 6)).toHaveLength(1);

        // Ready while the backlog was still being handled, soon after the shard was live.
        expect(handledAtReady).toBeDefined();
        expect(handledAtReady!).toBeLessThan(BACKLOG);
        expect(readyAt! - liveAt!).toBeLessThan((BACKLOG * HANDLER_MS) / 2);
        expect(log.filter((line) => line === 'shardsReady')).toHaveLength(1);
        // The lane's order holds: RESUMED is handled after the events replayed before it.
        const events = log.filter((line) => line !== 'shardsReady');
        expect(events).toEqual([...Array<string>(BACKLOG).fill('message'), 'resumed']);
        await second.shutdown({ invalidateSessions: true });
        await running;
      } finally {
        await emulator.stop();
      }
    },
  );

  it('still waits for ready() of a fresh session when the shard resumes before it finished', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const log: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .dispatchPolicy({ mode: 'concurrent', limit: 4 })
        .eventHandler({
          async ready() {
            await held;
            log.push('ready finished');
          },
          resumed: () => void log.push('resumed'),
          shardsReady: () => void log.push('shardsReady'),
        });
      const running = client.start();
      await expect.poll(() => client.shardManager.shards.get(0)?.state).toBe('ready');
      // The connection drops while ready() runs; the session resumes, and RESUMED is handled.
      emulator.faults.closeShard(0, 4009);
      await expect.poll(() => log.includes('resumed'), { timeout: 10_000 }).toBe(true);
      expect(client.shardManager.shards.get(0)?.state).toBe('ready');
      await sleep(50);
      expect(log).toEqual(['resumed']);
      release();
      await expect.poll(() => log).toEqual(['resumed', 'ready finished', 'shardsReady']);
      await client.shutdown({ invalidateSessions: true });
      await running;
    } finally {
      await emulator.stop();
    }
  });
});
