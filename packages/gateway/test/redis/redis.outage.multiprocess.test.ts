/**
 * Fault: Redis stops for a few seconds under a steady stream, then comes back with its data
 * (append-only file) or empty (no persistence). The gateways report the outage at once, hold at
 * most their backlog bound and pause their shards rather than drop; the worker's consumer group is
 * rebuilt after a restart that lost it. docs/redis-deployment.md, "Redis outages".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSource, FAULT_SHARDS, reportsOf, startFaultDeployment, tally } from './support/faultRun.js';
import { connectRedis, redisUrl } from './support/redis.js';
import { RedisServer } from './support/redisServer.js';
import { SLOW_POLL, until } from './support/until.js';

const OUTAGE_MS = 4_000;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs a stream across a Redis outage and returns what was lost, repeated and how fast it came back. */
async function runOutage(persistent: boolean) {
  const dataDir = persistent ? await mkdtemp(join(tmpdir(), 'redis-outage-')) : undefined;
  if (dataDir !== undefined) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const server = await RedisServer.start(undefined, dataDir === undefined ? {} : { dataDir });
  cleanups.push(() => server.stop());
  // What the worker handled is recorded in the test Redis, which stays up.
  const redis = await connectRedis();
  cleanups.push(() => redis.disconnect());
  const { emulator, handledKey, gateways } = await startFaultDeployment({
    redisUrl: server.url,
    keys: redis,
    // A small backlog bound, so the outage reaches it: the shards must pause, not drop.
    publisher: { maxBacklog: 400 },
    worker: { name: 'worker-0', delayMs: 0, recordUrl: redisUrl() },
    cleanup: (undo) => cleanups.push(undo),
  });

  const source = new EventSource(emulator, FAULT_SHARDS);
  const flowing = new AbortController();
  const flow = source.flow(10, 20, flowing.signal); // ~500 events/s
  await until(() => source.sent.length >= 1_000, 'events before the outage', {
    timeoutMs: 20_000,
    ...SLOW_POLL,
  });
  const stoppedAt = Date.now();
  await server.stop();
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  await server.startAgain();
  const restartedAt = Date.now();
  // Recovered: every event sent before Redis came back is handled (those held by the gateways, or
  // on the platform while the shards were paused, included).
  const beforeRestart = source.sent.slice();
  const recovered = await until(
    async () => (await tally(redis, handledKey, beforeRestart)).lost === 0,
    'events sent before the restart handled',
    { timeoutMs: 30_000, ...SLOW_POLL },
  ).then(
    () => Date.now() - restartedAt,
    () => undefined, // without persistence, unread entries went with the data: counted below
  );
  await until(() => source.sent.length >= beforeRestart.length + 500, 'events after the outage', {
    timeoutMs: 20_000,
    ...SLOW_POLL,
  });
  flowing.abort();
  await flow;
  const after = source.sent.slice(beforeRestart.length);
  await until(async () => (await tally(redis, handledKey, after)).lost === 0, 'events after it handled', {
    timeoutMs: 30_000,
    ...SLOW_POLL,
  });
  const result = await tally(redis, handledKey, source.sent);
  const outageReports = reportsOf(gateways, 'error').filter(
    (report) => report.name === 'RedisUnavailableError',
  );
  const firstReportMs = Math.min(...outageReports.map((report) => report.at)) - stoppedAt;
  const unpublished = reportsOf(gateways, 'error').filter(
    (report) => report.name === 'UnpublishedEventError',
  );
  return {
    result,
    outageReports,
    firstReportMs,
    unpublished,
    paused: reportsOf(gateways, 'paused'),
    recovered,
  };
}

describe('a Redis outage under a steady stream', () => {
  it('with persistence: reported within a second, shards paused at the bound, nothing lost or dropped', async () => {
    const run = await runOutage(true);
    console.info(
      `Redis restart with persistence (${OUTAGE_MS} ms down): sent ${run.result.sent}, lost ${run.result.lost}, ` +
        `duplicated ${run.result.duplicated}, outage reported after ${run.firstReportMs} ms, ` +
        `${run.paused.length} shard pauses, every event sent before the restart handled ${run.recovered ?? 'never'} ms after it`,
    );
    expect(run.outageReports).toHaveLength(2); // once per gateway process
    expect(run.firstReportMs).toBeLessThan(1_000);
    expect(run.paused.length).toBeGreaterThan(0);
    expect(run.unpublished).toEqual([]);
    expect(run.result.lost).toBe(0);
    expect(run.recovered).toBeDefined();
  }, 120_000);

  it('without persistence: the consumer group is rebuilt and every event published after the restart is handled', async () => {
    const run = await runOutage(false);
    console.info(
      `Redis restart without persistence (${OUTAGE_MS} ms down): sent ${run.result.sent}, lost ${run.result.lost} ` +
        `(unread in the stream when it went down), duplicated ${run.result.duplicated}, outage reported after ` +
        `${run.firstReportMs} ms, ${run.paused.length} shard pauses, every event sent before the restart handled ${run.recovered ?? 'never'} ms after it`,
    );
    expect(run.outageReports).toHaveLength(2);
    expect(run.firstReportMs).toBeLessThan(1_000);
    expect(run.unpublished).toEqual([]);
    expect(run.result.duplicated).toBe(0);
  }, 120_000);
});
