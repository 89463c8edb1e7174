/**
 * Fault: a worker slower than the event rate. Nothing is trimmed unread: the stream keeps what the
 * group has not read, and above `maxLag` the gateways pause their shards until the worker catches
 * up. With a lossy cap opted into, every event removed unread is reported. docs/redis-deployment.md,
 * "Stream trimming and consumer lag".
 */
import { describe, expect, it } from 'vitest';
import type { Emulator } from '@bot/testing';
import { EventSource, FAULT_SHARDS, reportsOf, startFaultDeployment, tally } from './support/faultRun.js';
import { redisUrl } from './support/redis.js';
import { useRedisFixture } from './support/redisFixture.js';
import { SLOW_POLL, until } from './support/until.js';

const EVENTS = 3_000;
const fixture = useRedisFixture();

/** Two gateway processes and one worker taking 3 ms per event (~300 events/s at best). */
function startDeployment(publisher: Record<string, unknown>) {
  return startFaultDeployment({
    redisUrl: redisUrl(),
    keys: fixture.redis(),
    publisher,
    worker: { name: 'slow-0', delayMs: 3 },
    cleanup: (undo) => fixture.track(undo),
  });
}

/** Sends the events as fast as the emulator takes them, sampling the stream length meanwhile. */
async function sendAndWatch(
  emulator: Emulator,
  stream: string,
): Promise<{ source: EventSource; peakLength: number }> {
  const source = new EventSource(emulator, FAULT_SHARDS);
  let peakLength = 0;
  for (let sent = 0; sent < EVENTS; sent += 200) {
    source.send(200);
    peakLength = Math.max(peakLength, await fixture.redis().xlen(stream));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { source, peakLength };
}

describe('a worker slower than the event rate', () => {
  it('loses nothing: the gateways pause their shards above maxLag and read again as it catches up', async () => {
    const { emulator, handledKey, gateways, stream } = await startDeployment({
      maxLag: 500,
      trimIntervalMs: 200,
    });
    const started = Date.now();
    const { source, peakLength } = await sendAndWatch(emulator, stream);
    let peak = peakLength;
    await until(
      async () => {
        peak = Math.max(peak, await fixture.redis().xlen(stream));
        return (await tally(fixture.redis(), handledKey, source.sent)).lost === 0;
      },
      'every event handled',
      { timeoutMs: 90_000, ...SLOW_POLL },
    );
    const result = await tally(fixture.redis(), handledKey, source.sent);
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
    const { emulator, handledKey, gateways, stream } = await startDeployment({
      maxLength: 300,
      maxLag: 1_000_000,
      trimIntervalMs: 200,
    });
    const { source } = await sendAndWatch(emulator, stream);
    await until(
      async () => (await fixture.redis().xlen(stream)) === 0 || (await fixture.redis().xlen(stream)) < 5,
      'stream drained',
      { timeoutMs: 60_000, ...SLOW_POLL },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the last trims' reports arrive
    const result = await tally(fixture.redis(), handledKey, source.sent);
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
