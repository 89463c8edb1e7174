/**
 * A queue whose identify window is shorter than the platform's gets every Identify refused with
 * 4008; the shard gives up after a few in a row instead of spending session starts forever.
 * docs/redis-deployment.md, "Identify window margin".
 */
import { describe, expect, it } from 'vitest';
import { FatalGatewayError } from '@bot/gateway';
import { MAX_IDENTIFY_WINDOW_REFUSALS } from '../../src/shard/recovery.js';
import { advanceUntil } from '../support/harness.js';
import { useFakeClockShards } from './support/fakeClockShards.js';

const startShards = useFakeClockShards();

describe('Identify frames closed for the identify window (4008)', () => {
  it(`stop the shard after ${MAX_IDENTIFY_WINDOW_REFUSALS} in a row with an error naming the window setting`, async () => {
    // The client believes the window is 1 s: each of shard 1's identifies lands inside shard 0's.
    const { emulator, manager } = await startShards(
      {
        identifyWindow: 20_000,
        sessionStartLimit: { total: 100, maxConcurrency: 1 },
      },
      { identifyWindowMs: 1_000 },
    );
    const fatal: Error[] = [];
    manager.on('error', (error) => {
      if (error instanceof FatalGatewayError) fatal.push(error);
    });
    const run = manager.startShards(2).catch((error: unknown) => error);
    await advanceUntil(() => fatal.length > 0 || manager.status()[1]?.state === 'fatal', 60_000, 100);
    const refused = emulator.recorder.filter((record) => record.kind === 'close' && record.code === 4008);
    expect(refused).toHaveLength(MAX_IDENTIFY_WINDOW_REFUSALS);
    const failure = fatal[0] ?? (await run);
    expect(failure).toBeInstanceOf(FatalGatewayError);
    expect((failure as Error).message).toMatch(/identifyWindowMs/);
  });
});
