/**
 * 8. Client stages: what each step from a frame to a handler costs, in this process, on the
 * ingest mix; and whether the back-pressure costs more than its budget when no handler is slow.
 */
import { buildDispatchStream } from './ingest/eventMix.js';
import type { BenchOptions } from './support/options.js';
import type { BenchmarkReport, ResultRow } from './support/report.js';
import { predecessorBalanced, runPairedRounds } from './support/rounds.js';
import { summarize, type Summary } from './support/stats.js';
import { stageRunners, type StageName, type TurnTimes } from './stages/stageRunners.js';

const PARSE = 'decode + JSON.parse of each frame';
const DEDUPE = 'duplicate filter (DedupeWindow)';
const MODELS = 'models (each event’s model from its payload)';
const DISPATCH = 'dispatcher: payload → plain handler';
const CONTROL = 'dispatcher (control)';
const UNPACED = 'dispatcher without back-pressure';
const ASYNC = 'dispatcher: payload → async handler';

/** Stages in table order, by the name the table shows; each names its runner. */
const STAGES = {
  [PARSE]: 'parse',
  [DEDUPE]: 'dedupe',
  [MODELS]: 'models',
  [DISPATCH]: 'dispatch',
  [CONTROL]: 'dispatchAgain',
  [UNPACED]: 'dispatchWithoutBackpressure',
  [ASYNC]: 'dispatchAsync',
} as const satisfies Record<string, StageName>;

type Stage = keyof typeof STAGES;

const BACKPRESSURE_TURNS = 'back-pressure, turn by turn';
const CONTROL_TURNS = 'control, turn by turn';

/** The paired runs the back-pressure's verdict comes from, by label; each names its turn pair. */
const TURN_PAIRS = {
  [BACKPRESSURE_TURNS]: 'withoutBackpressure',
  [CONTROL_TURNS]: 'control',
} as const;

type TurnPair = keyof typeof TURN_PAIRS;

/** The most the back-pressure may cost when no handler is slow, as a share of the event's path. */
export const BACKPRESSURE_BUDGET = 0.02;

/**
 * Per round, `(run − other run) / run`: what the first run spends beyond the second, as a share
 * of the first (parse included). Below 0 when the round measured the second slower.
 *
 * @param runs - ns per event of the runs whose share is asked, one per round
 * @param others - ns per event of the runs they are set against, one per round
 */
export function sharesBeyond(runs: readonly number[], others: readonly number[]): number[] {
  if (runs.length !== others.length || runs.length === 0) {
    throw new RangeError(`shares need the same rounds on both sides (${runs.length} vs ${others.length})`);
  }
  return runs.map((run, round) => {
    if (!(run > 0)) throw new RangeError(`round ${round + 1}: a run took ${run} ns per event`);
    return (run - others[round]!) / run;
  });
}

/**
 * What the first dispatcher of a turn-by-turn run spends beyond the second, as a share of its own
 * time: the median, over each two consecutive turns (one in either order), of (first − second) /
 * first. Why the median: a collector pause lands in one side's half of a turn by chance and
 * outweighs everything else in it, so sums of turns carry a few such draws as noise. The
 * back-pressure allocates nothing per event, so it causes none of them; its cost is in every
 * turn, and the median keeps it. Leaving the pauses out of the first side's time also makes the
 * share larger, never smaller.
 *
 * @param times - CPU time per turn of each side
 */
export function turnShare({ first, second }: TurnTimes): number {
  const turns = first.length;
  if (turns < 2 || second.length !== turns) {
    throw new RangeError(
      `a turn-by-turn run needs two or more turns on both sides (${first.length} vs ${second.length})`,
    );
  }
  const shares: number[] = [];
  for (let turn = 0; turn + 1 < turns; turn += 2) {
    const firstTime = first[turn]! + first[turn + 1]!;
    if (!(firstTime > 0))
      throw new RangeError(`turns ${turn + 1}–${turn + 2}: the first side took ${firstTime} µs`);
    shares.push((firstTime - second[turn]! - second[turn + 1]!) / firstTime);
  }
  return summarize(shares).median;
}

/**
 * What the first dispatcher of a turn-by-turn run spends beyond the second over the whole run, as
 * a share of its own time: collector pauses included, for the cost {@link turnShare} would hide,
 * should the back-pressure ever allocate and so cause pauses of its own.
 *
 * @param times - CPU time per turn of each side
 */
export function summedShare({ first, second }: TurnTimes): number {
  const total = (times: readonly number[]): number => times.reduce((sum, time) => sum + time, 0);
  const firstTime = total(first);
  if (!(firstTime > 0) || second.length !== first.length) {
    throw new RangeError(`a turn-by-turn run needs time on both sides, turn for turn`);
  }
  return (firstTime - total(second)) / firstTime;
}

/** What the back-pressure row may claim. */
export type BudgetVerdict = 'met' | 'missed' | 'unresolved';

/**
 * Whether the back-pressure stays within `budget`, allowing for the run's noise (the larger
 * distance of the control's quartiles from 0, in the same units): `met` when its upper quartile
 * plus the noise is within the budget, `missed` when its lower quartile less the noise is above
 * it, `unresolved` when the run cannot tell.
 *
 * @param shares - the back-pressure's shares per round, summarised
 * @param control - the control's shares against the baseline per round, summarised
 * @param budget - the largest share allowed
 */
export function budgetVerdict(shares: Summary, control: Summary, budget: number): BudgetVerdict {
  const noise = Math.max(Math.abs(control.q1), Math.abs(control.q3));
  if (shares.q3 + noise <= budget) return 'met';
  if (shares.q1 - noise > budget) return 'missed';
  return 'unresolved';
}

/**
 * The back-pressure's verdict from both measures of its turn-by-turn runs: the median's, which is
 * precise, unless the sums (pauses included, noisier) show it over budget by more than their own
 * noise. Neither alone may call it met when the other shows a miss.
 *
 * @param median - median shares per round, and the control's
 * @param summed - summed shares per round, and the control's
 * @param budget - the largest share allowed
 */
export function backpressureVerdict(
  median: { shares: Summary; control: Summary },
  summed: { shares: Summary; control: Summary },
  budget: number,
): BudgetVerdict {
  if (budgetVerdict(summed.shares, summed.control, budget) === 'missed') return 'missed';
  return budgetVerdict(median.shares, median.control, budget);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/**
 * Runs the stages in paired rounds in this process: no socket and no second process, so their
 * differences are not lost in the noise of either.
 *
 * @param options - rounds, and frames per run
 */
export async function runStages(options: BenchOptions): Promise<BenchmarkReport> {
  const events = options.stageEvents;
  const stream = await buildDispatchStream(events, 2);
  const { runners, turnPairs } = stageRunners(stream.frames);
  const stages = Object.keys(STAGES) as Stage[];
  const pairs = Object.keys(TURN_PAIRS) as TurnPair[];
  const isPair = (name: Stage | TurnPair): name is TurnPair => name in TURN_PAIRS;
  const summed: Record<TurnPair, number[]> = { [BACKPRESSURE_TURNS]: [], [CONTROL_TURNS]: [] };
  // One unmeasured pass each: the first rounds would otherwise time the compiler.
  for (const stage of stages) await runners[STAGES[stage]]();
  for (const pair of pairs) await turnPairs[TURN_PAIRS[pair]]();
  const results = await runPairedRounds(
    'stages',
    [...stages, ...pairs],
    options.rounds,
    async (name) => {
      // A turn pair gives its round's median share (turnShare; its summed share is kept aside), a
      // stage its CPU ns per event.
      if (isPair(name)) {
        const times = await turnPairs[TURN_PAIRS[name]]();
        summed[name].push(summedShare(times));
        return turnShare(times);
      }
      // No forced collection in between: after one, the young generation starts small and the
      // run pays to grow it again (every stage measured two to four times slower). What one run
      // leaves behind lands on each other stage equally often instead (the order below).
      const start = process.cpuUsage();
      await runners[STAGES[name]]();
      const used = process.cpuUsage(start);
      return ((used.user + used.system) * 1000) / events;
    },
    // Each run follows each other one equally often: what one leaves behind lands on all.
    predecessorBalanced,
  );

  const runsOf = (name: Stage | TurnPair): readonly number[] => results.get(name) ?? [];
  const parse = runsOf(PARSE);
  // Each stage's own cost: its run less the parse-only run of the same round.
  const costOf = (stage: Stage): number[] =>
    stage === PARSE ? [...parse] : runsOf(stage).map((ns, round) => ns - parse[round]!);
  /** Per round, this stage's run less the dispatcher's: a difference, as a ratio of two costs would divide by noise. */
  const beyondDispatch = (stage: Stage): string => {
    const { median, q1, q3 } = summarize(runsOf(stage).map((ns, round) => ns - runsOf(DISPATCH)[round]!));
    const signed = (ns: number): string => `${ns >= 0 ? '+' : '−'}${Math.abs(ns).toFixed(0)} ns`;
    return `${signed(median)} [${signed(q1)} – ${signed(q3)}] beside the dispatcher`;
  };
  const controlShares = summarize(sharesBeyond(runsOf(DISPATCH), runsOf(CONTROL)));
  const shares = summarize(runsOf(BACKPRESSURE_TURNS));
  const turnNoise = summarize(runsOf(CONTROL_TURNS));
  const summedShares = summarize(summed[BACKPRESSURE_TURNS]);
  const summedNoise = summarize(summed[CONTROL_TURNS]);
  const verdict = backpressureVerdict(
    { shares, control: turnNoise },
    { shares: summedShares, control: summedNoise },
    BACKPRESSURE_BUDGET,
  );
  const shareCell = (summary: Summary): string =>
    `${percent(summary.median)} [${percent(summary.q1)} – ${percent(summary.q3)}]`;
  const row = (stage: Stage, extra: Partial<ResultRow> = {}): ResultRow => ({
    contender: stage,
    samples: costOf(stage),
    format: (ns) => `${ns.toFixed(0)} ns`,
    ...extra,
  });
  return {
    title: '8. Client stages, in process (CPU ns per event)',
    setup:
      `${options.rounds} paired rounds in the benchmark's own process, each running every stage once over the ` +
      `same ${events.toLocaleString('en-US')} frames of the ingest mix, in an order where each stage follows ` +
      'each other one equally often, after one unmeasured pass each. Every stage decodes and parses each ' +
      'frame itself, 120 per ' +
      'turn of the event loop (about one socket read), and hands the fresh payload on; a row shows its run ' +
      'less the parse-only run of the same round. The models row finds each builder as the dispatcher ' +
      'does (by the event name, compared within its length). The dispatcher rows go through a fresh dispatcher with the ' +
      'default policy and marks, and include the filter and the models; the other dispatcher rows show ' +
      "their difference from it, round by round. The back-pressure's cost comes from two more runs per " +
      'round, in the same order: a dispatcher with back-pressure and one without it (then, as the ' +
      'control, two with it) take the same frames turn by turn, the one going first alternating, each ' +
      'timed over its own half of every turn; a round gives the median over each two consecutive turns ' +
      'of (with − other) / with, parse included but not the socket work of the ingest row, and beside ' +
      'it the same share of the summed turns (collector pauses included). It meets its budget when the ' +
      "median's upper quartile plus the run's noise (the control's spread, in the same units) is within " +
      'it, misses it when the lower quartile less that noise is above it, by either measure, and is ' +
      'unresolved otherwise. All stages share one process and its compiled code.',
    rows: [
      row(PARSE),
      row(DEDUPE),
      row(MODELS),
      row(DISPATCH, { ratios: ['the baseline of the rows below'] }),
      row(CONTROL, {
        ratios: [`${beyondDispatch(CONTROL)}: the noise; in shares of the run ${shareCell(controlShares)}`],
      }),
      row(UNPACED, {
        ratios: [
          beyondDispatch(UNPACED),
          `back-pressure, turn by turn: ${shareCell(shares)} of the turn (median), control ${shareCell(turnNoise)}; ` +
            `summed ${shareCell(summedShares)}, control ${shareCell(summedNoise)}`,
        ],
        target: {
          text: `back-pressure ≤ ${percent(BACKPRESSURE_BUDGET)}`,
          met: verdict === 'met',
          unresolved: verdict === 'unresolved',
        },
      }),
      row(ASYNC, { ratios: [beyondDispatch(ASYNC)] }),
    ],
  };
}
