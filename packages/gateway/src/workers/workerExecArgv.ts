/**
 * Node.js flags of the process that only make sense for code given on its command line: a worker
 * thread inherits the process's flags and starts from a file, and Node.js refuses `--input-type`
 * there (`ERR_INPUT_TYPE_NOT_ALLOWED`), so a bot started with `node --input-type=module -e …`
 * could run no shard on a thread. Each takes a value, inline (`--eval=…`) or as the next argument.
 */
const COMMAND_LINE_CODE_FLAGS = new Set(['--input-type', '--eval', '-e', '--print', '-p', '-pe', '-ep']);

/**
 * The flags a shard worker thread starts with: the process's own (`--import`, `--conditions`,
 * memory and inspector flags, …) without those about code given on the command line.
 *
 * @param execArgv - the process's flags (`process.execArgv`)
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
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
  return kept;
}
