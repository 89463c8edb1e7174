import type { Redis } from 'ioredis';
import type { Emulator, EmulatorOptions } from '@bot/testing';
import { guildOnShard, startEmulator } from '../../support/emulator.js';
import { FixtureProcess, startShardRange } from './processes.js';
import { deleteKeys, uniquePrefix } from './redis.js';

/** Where a fault test's processes find the emulator and Redis. */
export interface FaultSetup {
  emulator: Emulator;
  redisUrl: string;
  prefix: string;
  total: number;
  /** Extra `RedisEventPublisherOptions` of the gateways. */
  publisher?: Record<string, unknown>;
}

/** A gateway process (`fixtures/faultGateway.ts`) running shards `from`–`to`. */
export function startFaultGateway(setup: FaultSetup, from: number, to: number): FixtureProcess {
  const { emulator, redisUrl, prefix, total } = setup;
  return startShardRange(
    'faultGateway.ts',
    emulator,
    { redisUrl, prefix, from, to, total },
    { windowMs: 1_500, publisher: setup.publisher ?? {} },
  );
}

/**
 * A worker process recording each handled event id in `handledKey`: `fixtures/worker.ts`, or
 * `fixtures/slowWorker.ts` taking `delayMs` per event when given, recording in the Redis at
 * `recordUrl` when given (one the test does not restart).
 */
export function startWorker(
  setup: FaultSetup,
  name: string,
  handledKey: string,
  delayMs?: number,
  recordUrl?: string,
): FixtureProcess {
  const args = [setup.redisUrl, setup.prefix, name, handledKey];
  if (delayMs === undefined) return new FixtureProcess('worker.ts', args);
  return new FixtureProcess('slowWorker.ts', [...args, String(delayMs), recordUrl ?? setup.redisUrl]);
}

/** The shard count of the fault deployments: two gateway processes of two shards each. */
export const FAULT_SHARDS = 4;

/** What {@link startFaultDeployment} starts. */
export interface FaultDeploymentOptions {
  /** The Redis the gateways and the worker use. */
  redisUrl: string;
  /** A connection to the test Redis, where the keys under the deployment's prefix are deleted. */
  keys: Redis;
  /** Extra `RedisEventPublisherOptions` of the gateways (none by default). */
  publisher?: Record<string, unknown>;
  /** Emulator options over the deployment's own ({@link FAULT_SHARDS} shards identifying at once). */
  emulator?: EmulatorOptions;
  /** The worker's consumer name, and as in {@link startWorker}, its delay per event and the Redis it records in. */
  worker: { name: string; delayMs?: number; recordUrl?: string };
  /** Registers work to undo after the test; the caller runs it, the last registered first. */
  cleanup(undo: () => Promise<unknown> | unknown): void;
}

/** A running fault deployment, every process ready. */
export interface FaultDeployment {
  emulator: Emulator;
  setup: FaultSetup;
  /** Where the worker records each handled event id. */
  handledKey: string;
  /** The event stream's key. */
  stream: string;
  gateways: FixtureProcess[];
  worker: FixtureProcess;
}

/**
 * The multi-process fault tests' deployment: the emulator with {@link FAULT_SHARDS} shards, two
 * gateway processes (shards 0–1 and 2–3) and one worker under a fresh key prefix; resolves once
 * the gateways are ready and the worker has started. Everything is undone through `cleanup`:
 * the processes stopped, the prefix's keys deleted, the emulator stopped.
 */
export async function startFaultDeployment(options: FaultDeploymentOptions): Promise<FaultDeployment> {
  const emulator = await startEmulator({
    shards: FAULT_SHARDS,
    sessionStartLimit: { maxConcurrency: FAULT_SHARDS },
    ...options.emulator,
  });
  options.cleanup(() => emulator.stop());
  const prefix = uniquePrefix();
  options.cleanup(() => deleteKeys(options.keys, prefix));
  const setup: FaultSetup = {
    emulator,
    redisUrl: options.redisUrl,
    prefix,
    total: FAULT_SHARDS,
    publisher: options.publisher ?? {},
  };
  const handledKey = `${prefix}:handled`;
  const gateways = [startFaultGateway(setup, 0, 1), startFaultGateway(setup, 2, 3)];
  const { name, delayMs, recordUrl } = options.worker;
  const worker = startWorker(setup, name, handledKey, delayMs, recordUrl);
  options.cleanup(() => Promise.all([...gateways, worker].map((child) => child.stop())));
  await Promise.all([...gateways.map((child) => child.waitFor('ready')), worker.waitFor('started')]);
  return { emulator, setup, handledKey, stream: `${prefix}:{${emulator.appId}}:events`, gateways, worker };
}

/** A message a fixture sent about a problem or a pause. */
export interface FixtureReport {
  type: string;
  at: number;
  name?: string;
  message?: string;
  count?: number;
  shardId?: number;
}

/** The messages of `type` the processes sent, in order per process. */
export function reportsOf(processes: readonly FixtureProcess[], type: string): FixtureReport[] {
  return processes.flatMap((child) =>
    (child.messages as FixtureReport[]).filter((message) => message.type === type),
  );
}

/** Dispatches numbered message events spread over every shard, remembering what it sent. */
export class EventSource {
  /** Ids of the events the emulator sent, in order. */
  public readonly sent: string[] = [];

  public constructor(
    private readonly emulator: Emulator,
    private readonly total: number,
  ) {}

  /** Dispatches `count` events now. */
  public send(count: number): void {
    for (let i = 0; i < count; i++) {
      const n = this.sent.length;
      const guildId = guildOnShard(n % this.total, this.total, n);
      this.sent.push(
        this.emulator.simulate.dispatch('AT_MESSAGE_CREATE', { content: `#${n}` }, { guildId }).id,
      );
    }
  }

  /** Dispatches `perTick` events every `tickMs` until the signal aborts. */
  public async flow(perTick: number, tickMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.send(perTick);
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
  }
}

/** Lost and duplicated events: what the emulator sent against what the workers handled. */
export interface Tally {
  sent: number;
  handled: number;
  lost: number;
  duplicated: number;
}

/** Compares what was sent with the `<event id>|<worker>` records the workers pushed. */
export async function tally(redis: Redis, handledKey: string, sent: readonly string[]): Promise<Tally> {
  const wanted = new Set(sent);
  // READY and RESUMED reach the workers too; only the events the test sent are counted.
  const handled = (await redis.lrange(handledKey, 0, -1))
    .map((record) => record.split('|')[0] ?? '')
    .filter((id) => wanted.has(id));
  const seen = new Set(handled);
  return {
    sent: sent.length,
    handled: handled.length,
    lost: sent.filter((id) => !seen.has(id)).length,
    duplicated: handled.length - seen.size,
  };
}

/** How many entries of the event stream repeat an event id already in it (events with an id). */
export async function streamRepeats(redis: Redis, stream: string): Promise<number> {
  const entries = await redis.xrange(stream, '-', '+');
  const ids = entries
    .map(([, fields]) => {
      const payload = JSON.parse(fields[fields.indexOf('payload') + 1] ?? '{}') as { id?: string };
      return payload.id ?? '';
    })
    .filter((id) => id !== '');
  return ids.length - new Set(ids).size;
}
