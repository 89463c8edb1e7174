/**
 * 8. Client stages: what each step from a parsed frame to a handler costs, in this process, on the
 * ingest mix; and what the back-pressure costs when no handler is slow.
 */
import { buildDispatchStream } from './ingest/eventMix.js';
import type { BenchOptions } from './support/options.js';
import { ratioCell, type PairedComparison } from './support/ratios.js';
import type { BenchmarkReport, ResultRow } from './support/report.js';
import { runPairedRounds } from './support/rounds.js';
import { summarize } from './support/stats.js';
import { stageRunners, type StageName } from './stages/stageRunners.js';

/** Stages in table order, by the name the table shows; each names its runner. */
const STAGES = {
  'JSON.parse of the frame (every contender pays it)': 'parse',
  'duplicate filter (DedupeWindow)': 'dedupe',
  'models (each event’s model from its payload)': 'models',
  'dispatcher: payload → plain handler': 'dispatch',
  'dispatcher (control)': 'dispatchAgain',
  'dispatcher without back-pressure': 'dispatchWithoutBackpressure',
  'dispatcher: payload → async handler': 'dispatchAsync',
} as const satisfies Record<string, StageName>;

type Stage = keyof typeof STAGES;
const PARSE: Stage = 'JSON.parse of the frame (every contender pays it)';
const DISPATCH: Stage = 'dispatcher: payload → plain handler';
const CONTROL: Stage = 'dispatcher (control)';
const UNPACED: Stage = 'dispatcher without back-pressure';

/** The most the back-pressure may cost when no handler is slow, as a share of the event's path. */
const BACKPRESSURE_BUDGET = 0.02;

/**
 * Per round, what the back-pressure adds to an event, as a share of parsing it and dispatching it
 * with back-pressure: `(with − without) / (parse + with)`. Below 0 when the round measured the
 * dispatcher without it slower (noise).
 *
 * @param parse - ns per event of parsing, one per round
 * @param withBackpressure - ns per event of the dispatcher, one per round
 * @param withoutBackpressure - ns per event of the dispatcher without back-pressure, one per round
 */
export function backpressureShares(
  parse: readonly number[],
  withBackpressure: readonly number[],
  withoutBackpressure: readonly number[],
): number[] {
  if (parse.length !== withBackpressure.length || parse.length !== withoutBackpressure.length) {
    throw new RangeError('back-pressure shares need the same rounds on every side');
  }
  return withBackpressure.map((paced, round) => {
    const path = parse[round]! + paced;
    if (!(path > 0)) throw new RangeError(`round ${round + 1}: the event's path took ${path} ns`);
    return (paced - withoutBackpressure[round]!) / path;
  });
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/**
 * Runs the stages in paired rounds, in this process (the measured code is the client's, not a
 * child's: no socket, no second process, so differences of a few nanoseconds show).
 *
 * @param options - rounds; `--quick` measures fewer events
 */
export async function runStages(options: BenchOptions): Promise<BenchmarkReport> {
  const events = options.quick ? 5_000 : 50_000;
  const stream = await buildDispatchStream(events, 2);
  const { runners } = stageRunners(stream.frames);
  const stages = Object.keys(STAGES) as Stage[];
  // One unmeasured pass each: the first rounds would otherwise time the compiler.
  for (const stage of stages) await runners[STAGES[stage]]();
  const results = await runPairedRounds('stages', stages, options.rounds, async (stage) => {
    const start = process.cpuUsage();
    await runners[STAGES[stage]]();
    const used = process.cpuUsage(start);
    return ((used.user + used.system) * 1000) / events;
  });

  const values = (name: string): readonly number[] => results.get(name as Stage) ?? [];
  // Times per event: smaller is better.
  const comparison: PairedComparison = {
    values,
    baseline: DISPATCH,
    baselineLabel: 'dispatcher',
    control: CONTROL,
    higherIsBetter: false,
    bounded: new Set(),
  };
  const shares = summarize(backpressureShares(values(PARSE), values(DISPATCH), values(UNPACED)));
  const nanos = (value: number): string => `${value.toFixed(0)} ns`;
  const row = (stage: Stage, extra: Partial<ResultRow> = {}): ResultRow => ({
    contender: stage,
    samples: values(stage),
    format: nanos,
    ...extra,
  });
  return {
    title: '8. Client stages, in process (CPU ns per event)',
    setup:
      `${options.rounds} paired rounds in the benchmark's own process, each running every stage once over the ` +
      `same ${events.toLocaleString('en-US')} dispatches of the ingest mix, already parsed (bar the first row). ` +
      'The dispatcher rows hand payloads to a fresh dispatcher (a fresh duplicate filter) 120 at a time, one ' +
      'turn of the event loop each, as a socket read would; they include the filter and the models. The ' +
      "back-pressure's cost per round is (with − without) / (JSON.parse + dispatcher with it); the ingest " +
      "row's socket work is left out of that sum, so the share is an overestimate.",
    rows: [
      row(PARSE),
      row('duplicate filter (DedupeWindow)'),
      row('models (each event’s model from its payload)'),
      row(DISPATCH, { ratios: [ratioCell(comparison, DISPATCH)] }),
      row(CONTROL, { ratios: [ratioCell(comparison, CONTROL)] }),
      row(UNPACED, {
        ratios: [
          ratioCell(comparison, UNPACED),
          `back-pressure costs ${percent(shares.median)} [${percent(shares.q1)} – ${percent(shares.q3)}] of parse + dispatch`,
        ],
        target: {
          text: `back-pressure ≤ ${percent(BACKPRESSURE_BUDGET)}`,
          met: shares.median <= BACKPRESSURE_BUDGET,
        },
      }),
      row('dispatcher: payload → async handler', {
        ratios: [ratioCell(comparison, 'dispatcher: payload → async handler')],
      }),
    ],
  };
}
