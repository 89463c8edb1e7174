/**
 * Child side of the flood benchmark: a client with a slow handler under a flood, then its
 * shutdown, then a second client resuming the session it left. Runs with `--expose-gc`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AbandonedEventsError,
  Client,
  InMemorySessionStore,
  Intents,
  Token,
  createLogger,
  type EventHandler,
} from '@bot/client';
import { reportReady, runChild } from '../support/childProcess.js';
import type { FloodJob, FloodResult } from './job.js';

/** Above every tslog level: prints nothing. */
const silent = createLogger('bench', 7);
/** How often the live heap is weighed while the first client runs. */
const WEIGH_EVERY_MS = 250;
/** Longest wait for the events to be handled; a stuck run fails instead of hanging. */
const PATIENCE_MS = 120_000;

function liveHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the flood child needs --expose-gc');
  gc();
  return process.memoryUsage().heapUsed;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

runChild<FloodJob, FloodResult>(async (job) => {
  const sessions = new InMemorySessionStore();
  const seen = new Set<string>();
  let duplicates = 0;
  let abandoned = 0;
  const handled = (id: string): void => {
    if (seen.has(id)) duplicates += 1;
    else seen.add(id);
  };
  const error: EventHandler['error'] = (failure) => {
    if (failure instanceof AbandonedEventsError) abandoned += failure.events.length;
  };
  const start = async (handler: EventHandler): Promise<{ client: Client; running: Promise<void> }> => {
    const client = await Client.builder(
      new Token(job.appId, job.secret),
      Intents.default().withGroupAndC2cEvent(),
    )
      .baseUrl(job.restUrl, job.tokenUrl)
      .logger(silent)
      .sessionStore(sessions)
      .dispatchPolicy({ mode: 'concurrent', limit: 64 })
      .eventHandler(handler);
    const ready = new Promise<void>((resolve) =>
      client.shardManager.on('state', (state) => state === 'ready' && resolve()),
    );
    const running = client.start();
    running.catch(() => undefined);
    await ready;
    return { client, running };
  };

  // 1. The slow client, weighed while the parent floods it.
  const slow = await start({
    async groupMessageCreate(_ctx, message) {
      await sleep(job.handlerMs);
      handled(message.id);
    },
    error,
  });
  const baseline = liveHeap();
  let peak = baseline;
  const weighing = setInterval(() => (peak = Math.max(peak, liveHeap())), WEIGH_EVERY_MS);
  reportReady();
  try {
    await until(() => seen.size >= job.shutdownAfter, `${job.shutdownAfter} events`);
    const stopping = performance.now();
    await slow.client.shutdown({ deadlineMs: job.deadlineMs });
    const shutdownMs = performance.now() - stopping;
    await slow.running;
    clearInterval(weighing);
    peak = Math.max(peak, liveHeap());
    const handledBefore = seen.size + duplicates;

    // 2. A restarted client on the same session store resumes and handles the rest.
    const resumed = await start({
      async groupMessageCreate(_ctx, message) {
        handled(message.id);
      },
      error,
    });
    await until(() => seen.size + abandoned >= job.events, `all ${job.events} events`);
    await resumed.client.shutdown({ invalidateSessions: true });
    await resumed.running;
    return {
      heapGrowthBytes: peak - baseline,
      shutdownMs,
      handledBefore,
      handledAfter: seen.size + duplicates - handledBefore,
      distinct: seen.size,
      duplicates,
      abandoned,
    };
  } finally {
    clearInterval(weighing);
  }
});
