/**
 * Fault: a worker slower than the event rate. Nothing is trimmed unread: the stream keeps what the
 * group has not read, and above `maxLag` the gateways pause their shards until the worker catches
 * up. With a lossy cap opted into, every event removed unread is reported. docs/redis-deployment.md,
 * "Stream trimming and consumer lag".
 */
import type { Redis } from 'ioredis';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Emulator } from '@bot/testing';
import { startEmulator } from '../support/emulator.js';
import {
  EventSource,
  reportsOf,
  startFaultGateway,
  startWorker,
  tally,
  until,
  type FaultSetup,
} from './support/faultRun.js';
import type { FixtureProcess } from './support/processes.js';
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from './support/redis.js';

const SHARDS = 4;
const EVENTS = 3_000;
let redis: Redis;
let emulator: Emulator;
const prefixes: string[] = [];
const processes: FixtureProcess[] = [];

beforeAll(async () => {
  redis = await connectRedis();
});

afterEach(async () => {
  await Promise.all(processes.splice(0).map((child) => child.stop()));
  await emulator.stop();
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
});

/** Two gateway processes and one worker taking 3 ms per event (~300 events/s at best). */
async function startDeployment(publisher: Record<string, unknown>) {
  emulator = await startEmulator({ shards: SHARDS, sessionStartLimit: { maxConcurrency: SHARDS } });
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const setup: FaultSetup = { emulator, redisUrl: redisUrl(), prefix, total: SHARDS, publisher };
  const gateways = [startFaultGateway(setup, 0, 1), startFaultGateway(setup, 2, 3)];
  const worker = startWorker(setup, 'slow-0', `${prefix}:handled`, 3);
  processes.push(...gateways, worker);
  await Promise.all([...gateways.map((child) => child.waitFor('ready')), worker.waitFor('started')]);
  return { prefix, gateways, stream: `${prefix}:{${emulator.appId}}:events` };
}

/** Sends the events as fast as the emulator takes them, sampling the stream length meanwhile. */
async function sendAndWatch(stream: string): Promise<{ source: EventSource; peakLength: number }> {
  const source = new EventSource(emulator, SHARDS);
  let peakLength = 0;
  for (let sent = 0; sent < EVENTS; sent += 200) {
    source.send(200);
    peakLength = Math.max(peakLength, await redis.xlen(stream));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { source, peakLength };
}

describe('a worker slower than the event rate', () => {
  it('loses nothing: the gateways pause their shards above maxLag and read again as it catches up', async () => {
    const { prefix, gateways, stream } = await startDeployment({ maxLag: 500, trimIntervalMs: 200 });
    const started = Date.now();
    const { source, peakLength } = await sendAndWatch(stream);
    let peak = peakLength;
    await until(
      async () => {
        peak = Math.max(peak, await redis.xlen(stream));
        return (await tally(redis, `${prefix}:handled`, source.sent)).lost === 0;
      },
      90_000,
      'every event handled',
    );
    const result = await tally(redis, `${prefix}:handled`, source.sent);
    const paused = reportsOf(gateways, 'paused');
    const trimmed = reportsOf(gateways, 'error').filter(
      (report) => report.name === 'UnreadEventsTrimmedError',
    );
    console.info(
      `lagging worker, maxLag 500: sent ${result.sent}, lost ${result.lost}, duplicated ${result.duplicated}, ` +
        `peak stream length ${peak}, ${paused.length} shard pauses, all handled after ${Date.now() - started} ms`,
    );
    expect(result).toMatchObject({ lost: 0, duplicated: 0 });
    expect(trimmed).toEqual([]);
    expect(paused.length).toBeGreaterThan(0);
    expect(reportsOf(gateways, 'resumed').length).toBeGreaterThan(0);
  }, 120_000);

  it('with a lossy maxLength, reports a trimmed range holding every event it lost', async () => {
    const { prefix, gateways, stream } = await startDeployment({
      maxLength: 300,
      maxLag: 1_000_000,
      trimIntervalMs: 200,
    });
    const { source } = await sendAndWatch(stream);
    await until(
      async () => (await redis.xlen(stream)) === 0 || (await redis.xlen(stream)) < 5,
      60_000,
      'stream drained',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the last trims' reports arrive
    const result = await tally(redis, `${prefix}:handled`, source.sent);
    const reports = reportsOf(gateways, 'error').filter(
      (report) => report.name === 'UnreadEventsTrimmedError',
    );
    console.info(
      `lagging worker, lossy maxLength 300: sent ${result.sent}, lost ${result.lost}, reported trimmed ${reports.reduce((sum, report) => sum + (report.count ?? 0), 0)} in ${reports.length} ranges, duplicated ${result.duplicated}`,
    );
    const reported = reports.reduce((sum, report) => sum + (report.count ?? 0), 0);
    expect(result.lost).toBeGreaterThan(0);
    // Nothing lost silently: every lost event lies in a reported range (which may also hold
    // events a worker had been handed before the trim, and finished).
    expect(reported).toBeGreaterThanOrEqual(result.lost);
    expect(result.duplicated).toBe(0);
  }, 120_000);
});
