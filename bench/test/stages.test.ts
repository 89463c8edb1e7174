import { describe, expect, it } from 'vitest';
import { buildDispatchStream } from '../ingest/eventMix.js';
import { backpressureVerdict, budgetVerdict, sharesBeyond, summedShare, turnShare } from '../stages.js';
import { dispatcherFor, stageRunners, type StageName } from '../stages/stageRunners.js';
import { summarize } from '../support/stats.js';
import { resolveWaterMarks } from '../../packages/client/src/dispatch/Backpressure.js';
import { concurrencyOf, DEFAULT_DISPATCH_POLICY } from '../../packages/client/src/dispatch/DispatchPolicy.js';

describe('sharesBeyond', () => {
  it('is what each run spends beyond the other, as a share of itself', () => {
    expect(sharesBeyond([1000, 1100], [990, 1100])).toEqual([10 / 1000, 0]);
  });

  it('is negative when a round measured the other run slower (noise)', () => {
    expect(sharesBeyond([1000], [1020])[0]).toBeCloseTo(-0.02);
  });

  it('refuses rounds that do not pair up, and a run that took no time', () => {
    expect(() => sharesBeyond([1, 2], [1])).toThrow(RangeError);
    expect(() => sharesBeyond([0], [0])).toThrow(/took 0 ns/);
  });
});

describe('turnShare', () => {
  it('is the median over two consecutive turns of what the first side spends beyond the second', () => {
    // Turn pairs: (200 − 196) / 200 = 2 %, (400 − 396) / 400 = 1 %, (100 − 97) / 100 = 3 %.
    expect(
      turnShare({ first: [100, 100, 200, 200, 50, 50], second: [98, 98, 198, 198, 48.5, 48.5] }),
    ).toBeCloseTo(0.02);
  });

  it('is not moved by a collector pause that lands in one side of one turn', () => {
    const first = Array.from({ length: 20 }, () => 101);
    const second = Array.from({ length: 20 }, () => 100);
    second[7] = 5_000;
    expect(turnShare({ first, second })).toBeCloseTo(1 / 101);
  });

  it('weighs each turn in either order alike, so what the first half warms for the second cancels', () => {
    // Whichever side goes second is 10 µs faster; the sides are otherwise equal.
    const first = [100, 90, 100, 90];
    const second = [90, 100, 90, 100];
    expect(turnShare({ first, second })).toBe(0);
  });

  it('refuses sides of different lengths, a single turn, and a side that took no time', () => {
    expect(() => turnShare({ first: [1, 2, 3], second: [1, 2] })).toThrow(RangeError);
    expect(() => turnShare({ first: [1], second: [1] })).toThrow(/two or more turns/);
    expect(() => turnShare({ first: [0, 0], second: [1, 1] })).toThrow(/took 0 µs/);
  });
});

describe('summedShare', () => {
  it('keeps the pauses the median leaves out: a cost that shows only as pauses in one side', () => {
    // The first side pays a 300 µs pause every sixth turn (7 of 40), and nothing else more than the second.
    const first = Array.from({ length: 40 }, (_, turn) => (turn % 6 === 0 ? 400 : 100));
    const second = Array.from({ length: 40 }, () => 100);
    expect(turnShare({ first, second })).toBe(0);
    expect(summedShare({ first, second })).toBeCloseTo(2100 / 6100);
  });

  it('refuses sides that do not pair up turn for turn, or a first side that took no time', () => {
    expect(() => summedShare({ first: [1, 2], second: [1] })).toThrow(RangeError);
    expect(() => summedShare({ first: [0, 0], second: [0, 0] })).toThrow(RangeError);
  });
});

describe('backpressureVerdict', () => {
  const quiet = summarize([-0.002, 0, 0.002]);
  const noisy = summarize([-0.02, 0, 0.02]);
  it("is the median's verdict while the sums show no miss", () => {
    const median = { shares: summarize([0.001, 0.002, 0.003]), control: quiet };
    expect(
      backpressureVerdict(median, { shares: summarize([-0.01, 0.01, 0.03]), control: noisy }, 0.02),
    ).toBe('met');
  });

  it('is missed when the sums show a miss beyond their noise, whatever the median says', () => {
    const median = { shares: summarize([0, 0, 0]), control: quiet };
    expect(backpressureVerdict(median, { shares: summarize([0.4, 0.43, 0.45]), control: noisy }, 0.02)).toBe(
      'missed',
    );
  });
});

describe('budgetVerdict', () => {
  const quiet = summarize([-0.004, 0, 0.005]);
  it.each([
    {
      case: 'well inside the budget, noise and all',
      shares: [0.001, 0.004, 0.01],
      control: quiet,
      expected: 'met',
    },
    {
      case: 'inside the budget, but not by more than the noise',
      shares: [0.015, 0.017, 0.018],
      control: summarize([-0.015, 0, 0.015]),
      expected: 'unresolved',
    },
    {
      case: 'above the budget by more than the noise',
      shares: [0.03, 0.05, 0.06],
      control: quiet,
      expected: 'missed',
    },
    {
      case: 'far above the budget in a noisy run',
      shares: [0.3, 0.31, 0.32],
      control: summarize([-0.05, 0, 0.04]),
      expected: 'missed',
    },
    { case: 'around the budget', shares: [0.01, 0.02, 0.03], control: quiet, expected: 'unresolved' },
  ])('$case: $expected', ({ shares, control, expected }) => {
    expect(budgetVerdict(summarize(shares), control, 0.02)).toBe(expected);
  });
});

describe('stageRunners', () => {
  it('each stage parses every frame and does its own work on each, or it would time less than it says', async () => {
    const { frames } = await buildDispatchStream(600, 2);
    const { runners, counts } = stageRunners(frames);
    const n = frames.length;
    await runners.parse();
    expect(counts()).toEqual({ parsed: n, checked: 0, modelled: 0, handled: 0 });
    await runners.dedupe();
    await runners.models();
    expect(counts()).toEqual({ parsed: 3 * n, checked: n, modelled: n, handled: 0 });
    const dispatchers: StageName[] = [
      'dispatch',
      'dispatchAgain',
      'dispatchWithoutBackpressure',
      'dispatchAsync',
    ];
    for (const [index, stage] of dispatchers.entries()) {
      await runners[stage]();
      expect(counts().handled, stage).toBe(n * (index + 1));
    }
  });

  it('a second run of a dispatcher stage is not filtered as duplicates of the first', async () => {
    const { frames } = await buildDispatchStream(200, 2);
    const { runners, counts } = stageRunners(frames);
    await runners.dispatch();
    await runners.dispatch();
    expect(counts().handled).toBe(2 * frames.length);
  });
});

describe('the dispatcher stages', () => {
  it('build their dispatchers with back-pressure but for the one named without it', async () => {
    const { frames } = await buildDispatchStream(50, 2);
    const asked: Record<string, boolean> = {};
    let current = '';
    const { runners } = stageRunners(frames, (handler, backpressure) => {
      asked[current] = backpressure;
      return dispatcherFor(handler, backpressure);
    });
    const stages: StageName[] = ['dispatch', 'dispatchAgain', 'dispatchWithoutBackpressure', 'dispatchAsync'];
    for (const stage of stages) {
      current = stage;
      await runners[stage]();
    }
    expect(asked).toEqual({
      dispatch: true,
      dispatchAgain: true,
      dispatchWithoutBackpressure: false,
      dispatchAsync: true,
    });
  });
});

describe('the turn pairs', () => {
  it('give both dispatchers every frame each turn, the one going first alternating, and time each turn of each', async () => {
    const { frames } = await buildDispatchStream(600, 2);
    const made: boolean[] = [];
    const seen: { side: number; id: unknown }[] = [];
    const { turnPairs } = stageRunners(frames, (handler, backpressure) => {
      const side = made.push(backpressure) - 1;
      const dispatcher = dispatcherFor(handler, backpressure);
      const deliver = dispatcher.deliver.bind(dispatcher);
      dispatcher.deliver = (shardId, payload) => {
        seen.push({ side, id: payload.id });
        deliver(shardId, payload);
      };
      return dispatcher;
    });
    const times = await turnPairs.withoutBackpressure();
    await turnPairs.control();
    // With back-pressure first, then the side the pair names: without it, or (the control) with it.
    expect(made).toEqual([true, false, true, true]);
    const turns = Math.ceil(frames.length / 120);
    expect(times.first).toHaveLength(turns);
    expect(times.second).toHaveLength(turns);
    const ids = frames.map((frame) => (JSON.parse(frame) as { id: string }).id);
    const firstRun = seen.slice(0, 2 * frames.length);
    for (const side of [0, 1]) {
      expect(firstRun.filter((entry) => entry.side === side).map((entry) => entry.id)).toEqual(ids);
    }
    // Each turn's 120 frames go to one side, then the other: side 0 first in even turns.
    const openers = Array.from({ length: turns }, (_, turn) => firstRun[turn * 240]!.side);
    expect(openers).toEqual(Array.from({ length: turns }, (_, turn) => turn % 2));
  });
});

describe('dispatcherFor', () => {
  it('has the client’s default back-pressure only when asked: its lane saturates at the high-water mark', async () => {
    const { highWaterMark } = resolveWaterMarks({}, concurrencyOf(DEFAULT_DISPATCH_POLICY));
    const { frames } = await buildDispatchStream(highWaterMark + 1, 2);
    const never = (): Promise<void> => new Promise(() => undefined);
    const handler = {
      messageCreate: never,
      groupMessageCreate: never,
      c2cMessageCreate: never,
      guildMemberAdd: never,
      guildMemberRemove: never,
      interactionCreate: never,
    };
    const paced = dispatcherFor(handler, true);
    const unpaced = dispatcherFor(handler, false);
    for (const frame of frames) {
      paced.deliver(0, JSON.parse(frame));
      unpaced.deliver(0, JSON.parse(frame));
    }
    expect(paced.isSaturated(0)).toBe(true);
    expect(unpaced.isSaturated(0)).toBe(false);
  });
});
