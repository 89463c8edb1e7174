/**
 * Fault: a gateway process killed with SIGKILL in the middle of a stream, against an emulator that
 * refuses a resume from behind what heartbeats acknowledged (4007). The stored seq moves with
 * every publish (the stream is the checkpoint) and heartbeats report only what is stored, so the
 * replacement resumes: nothing lost, nothing handled twice. docs/redis-deployment.md, "Durable
 * sequence".
 */
import { describe, expect, it } from 'vitest';
import type { CloseRecord, Emulator, GatewayFrameRecord } from '@bot/testing';
import {
  EventSource,
  FAULT_SHARDS,
  startFaultDeployment,
  startFaultGateway,
  streamRepeats,
  tally,
} from './support/faultRun.js';
import { redisUrl } from './support/redis.js';
import { useRedisFixture } from './support/redisFixture.js';
import { SLOW_POLL, until } from './support/until.js';

let emulator: Emulator;
const fixture = useRedisFixture();

describe('a gateway process killed with SIGKILL mid-stream', () => {
  it('is replaced by one that resumes its shards: nothing lost, nothing handled twice, no 4007', async () => {
    const deployment = await startFaultDeployment({
      redisUrl: redisUrl(),
      keys: fixture.redis(),
      worker: { name: 'worker-0' },
      // Frequent heartbeats: the platform has acknowledged a recent seq whenever the process dies.
      emulator: { identifyWindow: 1_000, heartbeatInterval: 2_000, strictResume: true },
      cleanup: (undo) => fixture.track(undo),
    });
    const { setup, gateways, handledKey } = deployment;
    emulator = deployment.emulator;

    const source = new EventSource(emulator, FAULT_SHARDS);
    const flowing = new AbortController();
    const flow = source.flow(20, 10, flowing.signal); // ~2,000 events/s across the shards
    await until(() => source.sent.length >= 8_000, 'events sent before the crash', {
      timeoutMs: 30_000,
      ...SLOW_POLL,
    });
    const heartbeatsBefore = acknowledgedSeqs();
    await gateways[0]?.crash(); // shards 0 and 1 die with publishes and heartbeats in flight
    const crashedAt = Date.now();
    const replacement = startFaultGateway(setup, 0, 1);
    fixture.track(() => replacement.stop());
    await replacement.waitFor('ready');
    const recoveredMs = Date.now() - crashedAt;
    await until(() => source.sent.length >= 14_000, 'events sent after the crash', {
      timeoutMs: 30_000,
      ...SLOW_POLL,
    });
    flowing.abort();
    await flow;

    await until(
      async () => (await tally(fixture.redis(), handledKey, source.sent)).lost === 0,
      'every event handled',
      {
        timeoutMs: 60_000,
        ...SLOW_POLL,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a late repeat to show up
    const result = await tally(fixture.redis(), handledKey, source.sent);
    const closes = emulator.recorder.filter((record): record is CloseRecord => record.kind === 'close');
    const repeats = await streamRepeats(fixture.redis(), deployment.stream);
    console.info(
      `gateway kill -9: sent ${result.sent}, lost ${result.lost}, duplicated ${result.duplicated} ` +
        `(${repeats} repeated in the stream), ` +
        `replacement ready ${recoveredMs} ms after the kill; heartbeats had acknowledged up to ${heartbeatsBefore}`,
    );
    expect(result).toMatchObject({ lost: 0, duplicated: 0 });
    expect(closes.filter((record) => record.code === 4007)).toEqual([]);
    expect(frames(2)).toHaveLength(FAULT_SHARDS); // no second Identify: the replacement resumed
    expect(frames(6).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

function frames(op: number): GatewayFrameRecord[] {
  return emulator.recorder.filter(
    (record): record is GatewayFrameRecord => record.kind === 'gateway' && record.op === op,
  );
}

/** The highest seq each shard's heartbeats have reported so far, for the report. */
function acknowledgedSeqs(): string {
  const highest = new Map<number, number>();
  for (const record of frames(1)) {
    const shard = record.shard?.[0];
    if (typeof record.d === 'number' && shard !== undefined) {
      highest.set(shard, Math.max(highest.get(shard) ?? 0, record.d));
    }
  }
  return [...highest].map(([shard, seq]) => `shard ${shard}: ${seq}`).join(', ');
}
