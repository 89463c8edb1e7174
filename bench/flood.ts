/**
 * 6. Flood: a client whose handler takes 50 ms, under tens of thousands of queued events: how
 * much heap the backlog costs it, how long `shutdown()` takes, and whether a restarted client
 * resuming the session handles every event exactly once.
 */
import { setImmediate } from 'node:timers/promises';
import { Emulator } from '@bot/testing';
import type { FloodJob, FloodResult } from './flood/job.js';
import { startChild } from './support/childProcess.js';
import type { BenchOptions } from './support/options.js';
import { announceRound } from './support/progress.js';
import type { BenchmarkReport } from './support/report.js';
import { median } from './support/stats.js';
import { millis } from './support/units.js';

const CHILD = new URL('./flood/clients.ts', import.meta.url);
/** Events queued per round. */
const EVENTS = 30_000;
/** Events queued between two turns of the parent's event loop. */
const FLOOD_SLICE = 500;
const HANDLER_MS = 50;
/** The first client is shut down once it has handled this many: the lane is full by then. */
const SHUTDOWN_AFTER = 3_000;
/** What the first client's `shutdown()` may spend on its backlog. */
const DEADLINE_MS = 5_000;
const HEAP_TARGET_BYTES = 16 * 1024 * 1024;
const SHUTDOWN_TARGET_MS = 2_000;

/** `12.3 MiB` */
function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** `30,000` */
function count(value: number): string {
  return value.toLocaleString('en-US');
}

async function round(options: BenchOptions): Promise<FloodResult> {
  const emulator = await Emulator.start({
    grantedIntents: 'all',
    // The second client resumes from where the first stopped reading: the session must keep
    // every event not read yet.
    resumeBufferSize: EVENTS + 1_000,
    recordLimit: 100,
  });
  const job: FloodJob = {
    restUrl: emulator.restUrl,
    tokenUrl: emulator.tokenUrl,
    appId: emulator.appId,
    secret: emulator.secret,
    events: EVENTS,
    handlerMs: HANDLER_MS,
    shutdownAfter: SHUTDOWN_AFTER,
    deadlineMs: DEADLINE_MS,
  };
  const child = startChild<FloodJob, FloodResult>(CHILD, job, {
    nodeFlags: ['--expose-gc'],
    profileDir: options.profileDir,
  });
  try {
    await child.ready;
    // In slices, so the emulator goes on answering (heartbeats, the closing handshake) meanwhile.
    for (let index = 0; index < EVENTS; index++) {
      emulator.simulate.groupAtMessage({ content: `flood ${index}` });
      if (index % FLOOD_SLICE === FLOOD_SLICE - 1) await setImmediate();
    }
    return await child.result;
  } finally {
    await child.stop();
    await emulator.stop();
  }
}

/**
 * Runs the flood benchmark, each round against a fresh emulator from a fresh process.
 *
 * @param options - rounds
 */
export async function runFlood(options: BenchOptions): Promise<BenchmarkReport> {
  const results: FloodResult[] = [];
  for (let index = 0; index < options.slowRounds; index++) {
    announceRound('flood', index, options.slowRounds);
    results.push(await round(options));
  }
  const heap = results.map((result) => result.heapGrowthBytes);
  const shutdown = results.map((result) => result.shutdownMs);
  const handled = results.map((result) => result.handledBefore + result.handledAfter);
  const complete = results.every(
    (result) => result.distinct === EVENTS && result.duplicates === 0 && result.abandoned === 0,
  );
  const before = results.map((result) => result.handledBefore);
  return {
    title: '6. Flood (50 ms handler, 30,000 queued events)',
    setup:
      `${count(EVENTS)} group @-messages queued by the emulator (in the parent process) as fast as it can, in ` +
      `slices of ${FLOOD_SLICE} so it keeps serving the connection, ` +
      `to a client in a child process whose handler awaits ${HANDLER_MS} ms per event, 64 at once (concurrent ` +
      'policy), with the default back-pressure marks (1,000 / 500 events per shard). Heap growth is the highest ' +
      `live heap (weighed after a forced GC every 250 ms) minus the heap before the flood. Once it has handled ` +
      `${count(SHUTDOWN_AFTER)} events (median ${count(median(before))} by the time it stopped) the client is ` +
      `shut down with a ${count(DEADLINE_MS)} ms deadline; a second client with the same session store then ` +
      'resumes the session and handles the rest with an instant handler. Handled counts both clients; the row ' +
      'meets its target when every event id was handled exactly once and none was abandoned.',
    rows: [
      {
        contender: '@bot/client: heap growth under the flood',
        samples: heap,
        format: mib,
        target: { text: '≤ 16 MiB', met: median(heap) <= HEAP_TARGET_BYTES },
      },
      {
        contender: '@bot/client: shutdown() with the backlog',
        samples: shutdown,
        format: millis,
        target: { text: '≤ 2,000 ms, no hung handler', met: median(shutdown) <= SHUTDOWN_TARGET_MS },
      },
      {
        contender: '@bot/client: events handled across the restart',
        samples: handled,
        format: count,
        ratios: [`${count(EVENTS)} sent`],
        target: { text: 'all, each once', met: complete },
      },
    ],
  };
}
