import { describe, expect, it } from 'vitest';
import { buildDispatchStream } from '../ingest/eventMix.js';
import { backpressureShares } from '../stages.js';
import { stageRunners, type StageName } from '../stages/stageRunners.js';

describe('backpressureShares', () => {
  it('is what the back-pressure adds, per round, over parsing and dispatching with it', () => {
    expect(backpressureShares([900, 1000], [100, 110], [90, 110])).toEqual([10 / 1000, 0]);
  });

  it('is negative when a round measured the dispatcher without back-pressure slower (noise)', () => {
    expect(backpressureShares([1000], [100], [120])[0]).toBeCloseTo(-20 / 1100);
  });

  it('refuses rounds that do not pair up, and a path that took no time', () => {
    expect(() => backpressureShares([1, 2], [1], [1])).toThrow(RangeError);
    expect(() => backpressureShares([0], [0], [0])).toThrow(/took 0 ns/);
  });
});

describe('stageRunners', () => {
  it('every dispatcher stage calls a handler once for each payload of the mix, or it would time less than it says', async () => {
    const { frames } = await buildDispatchStream(600, 2);
    const { runners, handled } = stageRunners(frames);
    const dispatchers: StageName[] = [
      'dispatch',
      'dispatchAgain',
      'dispatchWithoutBackpressure',
      'dispatchAsync',
    ];
    for (const [index, stage] of dispatchers.entries()) {
      await runners[stage]();
      expect(handled(), stage).toBe(frames.length * (index + 1));
    }
  });

  it('a second run of a dispatcher stage is not filtered as duplicates of the first', async () => {
    const { frames } = await buildDispatchStream(200, 2);
    const { runners, handled } = stageRunners(frames);
    await runners.dispatch();
    await runners.dispatch();
    expect(handled()).toBe(2 * frames.length);
  });
});
