/**
 * sharded: one bot of four shards run by two processes, shards 0–1 in one and 2–3 in the other,
 * each calling `client.startShardRange({ from, to }, 4)` (both ends included). The platform sends
 * a guild's events to shard `(guild_id >> 22) % 4`, so each guild's messages reach the process
 * that runs its shard.
 *
 *   pnpm example sharded
 *
 * This script starts both workers (worker.ts) and stops them when it ends. With QQ_BOT_APP_ID and
 * QQ_BOT_SECRET set they connect to the QQ platform and run until Ctrl-C. Without them this script
 * starts the emulator with 4 shards, hands its URLs to the workers, sends `!shard` in one guild per
 * shard, checks that the process owning that shard answered, and exits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { shardForGuild, type Emulator } from '@bot/testing';
import {
  Conversation,
  Platform,
  REPLY_TIMEOUT_MS,
  guildScene,
  runMain,
  untilShutdownSignal,
} from '../support/index.js';
import { SHARD_COUNT, WORKER_RANGES } from './messages.js';
import { WorkerProcess } from './WorkerProcess.js';

/**
 * Each process paces its own identifies, so on the platform the second one starts an identify
 * window (5 s) after the first is ready. A shared `IdentifyQueue` (`ClientBuilder.identifyQueue`)
 * lets processes start together instead.
 */
const IDENTIFY_WINDOW_MS = 5_000;

runMain(async () => {
  const platform = await Platform.connect({
    shards: SHARD_COUNT,
    // One identify bucket per shard: against the emulator both processes may identify at once.
    sessionStartLimit: { maxConcurrency: SHARD_COUNT },
  });
  console.log(
    `sharded: ${SHARD_COUNT} shards in ${WORKER_RANGES.length} processes, on ${platform.describe()}`,
  );

  const handled = new HandledEvents();
  const workers: WorkerProcess[] = [];
  let stopped: Array<number | null> = [];
  try {
    for (const range of WORKER_RANGES) {
      const previous = workers.at(-1);
      if (previous && !platform.emulator) {
        await previous.ready;
        await sleep(IDENTIFY_WINDOW_MS);
      }
      workers.push(
        new WorkerProcess(range, SHARD_COUNT, platform.childEnv(), (eventId, shardId, worker) =>
          handled.record(eventId, { worker, shardId }),
        ),
      );
    }
    await Promise.all(workers.map((worker) => worker.ready));

    if (platform.emulator) {
      await checkRouting(platform.emulator, workers, handled);
    } else {
      const ended = workers.map((worker) =>
        worker.exited.then((code) => `worker ${worker.label} exited (${code})`),
      );
      console.log(`${await Promise.race([untilShutdownSignal(), ...ended])}: stopping the workers`);
    }
  } finally {
    stopped = await Promise.all(workers.map((worker) => worker.stop()));
    await platform.stop();
  }
  for (const [index, code] of stopped.entries()) {
    console.log(`worker ${workers[index]?.label} exited with code ${code}`);
    if (code !== 0) throw new Error(`worker ${workers[index]?.label} did not shut down cleanly`);
  }
});

/** Sends `!shard` in one guild per shard and checks who answered. */
async function checkRouting(
  emulator: Emulator,
  workers: WorkerProcess[],
  handled: HandledEvents,
): Promise<void> {
  const chat = new Conversation(emulator);
  for (let shardId = 0; shardId < SHARD_COUNT; shardId++) {
    const guild = emulator.world.guildOnShard(shardId, SHARD_COUNT);
    const owner = workers.find((worker) => worker.owns(shardId));
    if (!owner) throw new Error(`no worker runs shard ${shardId}`);
    const expected = shardForGuild(guild.id, SHARD_COUNT);
    console.log(
      `\n${guild.name}: (${guild.id} >> 22) % ${SHARD_COUNT} = ${expected}, run by worker ${owner.label}`,
    );

    const { sent } = await chat.say(guildScene(emulator, { guildId: guild.id }), '!shard');
    const report = await handled.waitFor(sent.eventId, REPLY_TIMEOUT_MS);
    if (report.worker !== owner || report.shardId !== expected) {
      throw new Error(
        `expected worker ${owner.label} on shard ${expected}, got ${report.worker.label} on ${report.shardId}`,
      );
    }
    console.log(
      `✓ handled on shard ${report.shardId} by worker ${report.worker.label} (pid ${report.worker.pid})`,
    );
  }
  console.log('');
}

/** A worker's report that it handled an event. */
interface HandledReport {
  worker: WorkerProcess;
  shardId: number;
}

/** Reports of handled events by event id, including ones still on their way over IPC. */
class HandledEvents {
  readonly #reports = new Map<string, HandledReport>();
  readonly #waiters = new Map<string, (report: HandledReport) => void>();

  /** Files a report and wakes whoever waits for it. */
  public record(eventId: string, report: HandledReport): void {
    this.#reports.set(eventId, report);
    this.#waiters.get(eventId)?.(report);
    this.#waiters.delete(eventId);
  }

  /** Resolves with the report on `eventId`; rejects when none came within `timeoutMs`. */
  public waitFor(eventId: string, timeoutMs: number): Promise<HandledReport> {
    const known = this.#reports.get(eventId);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(eventId);
        reject(new Error(`no worker reported handling event ${eventId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.set(eventId, (report) => {
        clearTimeout(timer);
        resolve(report);
      });
    });
  }
}
