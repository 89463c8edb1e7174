import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Node.js flags of the process that only make sense for code given on its command line: a worker
 * thread inherits the process's flags and starts from a file, and Node.js refuses `--input-type`
 * there (`ERR_INPUT_TYPE_NOT_ALLOWED`), so a bot started with `node --input-type=module -e …`
 * could run no shard on a thread. Each takes a value, inline (`--eval=…`) or as the next argument.
 */
const COMMAND_LINE_CODE_FLAGS = new Set(['--input-type', '--eval', '-e', '--print', '-p', '-pe', '-ep']);

/** Node's code for flags it refuses in a worker's explicit `execArgv` (V8 and process-wide ones). */
const REFUSED_FLAGS_CODE = 'ERR_WORKER_INVALID_EXEC_ARGV';

/**
 * The flags a shard worker thread starts with: the process's own (`--import`, `--conditions`,
 * memory and inspector flags, …) without those about code given on the command line; `undefined`
 * when none of those is there, so the thread inherits the process's flags as Node.js passes them
 * on (a V8 or process-wide flag such as `--max-old-space-size` is refused in an explicit list).
 *
 * @param execArgv - the process's flags (`process.execArgv`)
 */
export function workerExecArgv(execArgv: readonly string[]): string[] | undefined {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i += 1) {
    const flag = execArgv[i]!;
    const name = flag.startsWith('--') ? flag.split('=', 1)[0]! : flag;
    if (!COMMAND_LINE_CODE_FLAGS.has(name)) {
      kept.push(flag);
      continue;
    }
    // `--flag value` also drops the value; `--flag=value` is one argument.
    if (name === flag) i += 1;
  }
  return kept.length === execArgv.length ? undefined : kept;
}

/**
 * Starts a shard worker thread with the process's flags ({@link workerExecArgv}). When they must
 * be listed (the process runs code from its command line) and Node.js refuses some of them in a
 * worker (V8 and process-wide flags, such as `--max-old-space-size` or `--title`, which a thread
 * would not use anyway), the thread starts without those.
 *
 * @param entry - the thread's entry point, or code when `options.eval` is set
 * @param options - the `Worker` options, but `execArgv`
 * @throws what `new Worker` throws for anything else
 */
export function startWorkerThread(entry: URL | string, options: Omit<WorkerOptions, 'execArgv'>): Worker {
  const execArgv = workerExecArgv(process.execArgv);
  if (execArgv === undefined) return new Worker(entry, options);
  try {
    return new Worker(entry, { ...options, execArgv });
  } catch (error) {
    const refused = refusedFlags(error);
    if (refused.size === 0) throw error;
    return new Worker(entry, { ...options, execArgv: execArgv.filter((flag) => !refused.has(flag)) });
  }
}

/** The flags Node.js named in refusing a worker's `execArgv`: its message lists them after a colon. */
function refusedFlags(error: unknown): ReadonlySet<string> {
  if ((error as { code?: unknown } | null)?.code !== REFUSED_FLAGS_CODE) return new Set();
  const listed = /: (.+)$/.exec((error as Error).message)?.[1];
  return new Set(listed === undefined ? [] : listed.split(', '));
}
