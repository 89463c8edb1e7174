import os from 'node:os';
import { summarize } from './stats.js';

/** A goal for a row and whether this run reached it. */
export interface Target {
  /** The goal as written in the table, e.g. `≥ 0.70× bare ws`. */
  text: string;
  /** Whether this run reaches it (by its medians, unless the row says how it judges). */
  met: boolean;
  /** The run could not tell either way (its noise is larger than the goal): printed instead of met or missed. */
  unresolved?: boolean;
}

/** One contender of one benchmark. */
export interface ResultRow {
  /** Who was measured. */
  contender: string;
  /** One value per round. */
  samples: readonly number[];
  /** Prints a value with its unit. */
  format: (value: number) => string;
  /** Median CPU time per operation in the measured process, already formatted. */
  cpuPerOp?: string;
  /**
   * Paired ratios against other rows of the same run, with their interquartile range and
   * verdict, e.g. `0.97× [0.95–0.99] bare ws: worse`.
   */
  ratios?: readonly string[];
  /** Whole process (spawn → every event handled → exit): median time and paired ratio. */
  wholeProcess?: string;
  /** Startup to the first READY: median time and paired ratio. */
  startup?: string;
  /** The goal for this row. */
  target?: Target;
}

/** What one benchmark hands to the table. */
export interface BenchmarkReport {
  /** `1. Gateway ingest (dispatches/s)`. */
  title: string;
  /** How it was measured, in a sentence or two (sizes, server, what counts). */
  setup: string;
  /** Its rows; empty when it failed. */
  rows: readonly ResultRow[];
  /** Why it could not run, when it could not. */
  failure?: string;
}

/** The machine and runtime, for the header of the results. */
export function describeEnvironment(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const load = os.loadavg()[0] ?? 0;
  return (
    `Node.js ${process.version} on ${process.platform} ${process.arch}, ` +
    `${os.availableParallelism()} cores (${model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; ` +
    `load average ${load.toFixed(2)} when the run started`
  );
}

/** East Asian wide and full-width characters. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u;

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function tableRows(report: BenchmarkReport): string[][] {
  if (report.failure !== undefined) {
    return [[report.title, '—', 'failed', '', '', '', '', '', '', cell(report.failure.split('\n')[0] ?? '')]];
  }
  return report.rows.map((row, index) => {
    const { median, q1, q3 } = summarize(row.samples);
    return [
      index === 0 ? report.title : '',
      row.contender,
      `**${row.format(median)}**`,
      `${row.format(q1)} – ${row.format(q3)}`,
      row.cpuPerOp ?? '',
      (row.ratios ?? []).join('; '),
      row.wholeProcess ?? '',
      row.startup ?? '',
      row.target?.text ?? '',
      row.target === undefined
        ? ''
        : row.target.unresolved === true
          ? 'unresolved'
          : row.target.met
            ? 'met'
            : '**missed**',
    ].map(cell);
  });
}

/**
 * The results table in Markdown: one line per contender, the median bold, the interquartile
 * range of the rounds beside it, paired ratios against the other contenders of the same run (each
 * with its own interquartile range and the verdict the control row allows), the whole-process and
 * startup columns, and the targets.
 *
 * @param reports - the benchmarks in the order they ran
 */
export function renderTable(reports: readonly BenchmarkReport[]): string {
  const header = [
    'Benchmark',
    'Contender',
    'Median',
    'IQR',
    'CPU per op',
    'Ratio (paired: median [IQR])',
    'Whole process',
    'Startup to READY',
    'Target',
    '',
  ];
  const body = reports.flatMap(tableRows);
  // Columns padded to their widest cell, the way Prettier lays tables out, so RESULTS.md passes
  // the repository's format check as written.
  const widths = header.map((title, column) =>
    Math.max(3, displayWidth(title), ...body.map((cells) => displayWidth(cells[column] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    `| ${widths.map((size, column) => padEnd(cells[column] ?? '', size)).join(' | ')} |`;
  return [line(header), line(widths.map((size) => '-'.repeat(size))), ...body.map(line)].join('\n');
}

/** Columns a text takes in a monospace font: East Asian wide characters take two. */
function displayWidth(text: string): number {
  let columns = 0;
  for (const char of text) columns += WIDE.test(char) ? 2 : 1;
  return columns;
}

function padEnd(text: string, size: number): string {
  return text + ' '.repeat(size - displayWidth(text));
}

/**
 * The whole results document: where and how it was measured, the table, and each benchmark's
 * setup.
 *
 * @param reports - the benchmarks in the order they ran
 * @param environment - from {@link describeEnvironment}, taken when the run started
 */
export function renderDocument(reports: readonly BenchmarkReport[], environment: string): string {
  return [
    '# Benchmark results',
    '',
    `Measured by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}: ${environment}.`,
    'Each figure is the median of its rounds with the interquartile range beside it; every ratio is',
    'paired (both sides measured in the same round, the order rotated from round to round) and shown',
    'as the median [interquartile range] of the per-round ratios. Each benchmark has a **control row**,',
    "its baseline measured against itself: a ratio within the control's spread reads `equal`, and so",
    'does one above 1 for a contender that does strictly more than its baseline. Absolute numbers',
    'depend on the machine; the ratios carry over. See [README.md](README.md) for the method.',
    '',
    renderTable(reports),
    '',
    '## Setup',
    '',
    ...reports.map((report) => `- **${report.title}**: ${report.setup}`),
    '',
  ].join('\n');
}
