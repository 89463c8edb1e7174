import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root: examples run from there, where `tsx` and the workspace packages resolve. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Packages the examples import by name; they resolve to each package's built `dist/`. */
const BUILT_PACKAGES = ['http', 'gateway', 'client', 'testing'];

/** How a finished example ended. */
export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an example as a user does, `node --import tsx examples/<script>`, from the repository root,
 * with stdin closed (not a terminal) and no `QQ_BOT_*` variable, so it plays against its embedded
 * emulator. Resolves when the process has exited.
 *
 * @param script - path below `examples/`, e.g. `ping.ts`
 * @param timeoutMs - the process is killed after this long (a hang is then reported with its output)
 */
export function runExample(script: string, timeoutMs = 45_000): Promise<ExampleRun> {
  return runScript(script, [], timeoutMs);
}

/**
 * Runs an example the way the README tells users to, `pnpm example <name>` (less its build
 * step): `node --import tsx examples/run.ts <name>`. Otherwise like {@link runExample}.
 *
 * @param name - the example's name, e.g. `sharded`
 */
export function runNamedExample(name: string, timeoutMs = 45_000): Promise<ExampleRun> {
  return runScript('run.ts', [name], timeoutMs);
}

/**
 * Runs the example runner alone (`node --import tsx examples/run.ts <args>`) with no built
 * package needed, for what it prints before it starts an example: the list, an unknown name.
 */
export function runRunner(args: readonly string[], timeoutMs = 45_000): Promise<ExampleRun> {
  return spawnNode(['examples/run.ts', ...args], timeoutMs);
}

function runScript(script: string, args: readonly string[], timeoutMs: number): Promise<ExampleRun> {
  const missing = BUILT_PACKAGES.filter((name) => !existsSync(`${ROOT}packages/${name}/dist/index.js`));
  if (missing.length > 0) {
    return Promise.reject(
      new Error(`build the packages first (pnpm build): no dist for ${missing.join(', ')}`),
    );
  }
  return spawnNode([`examples/${script}`, ...args], timeoutMs);
}

function spawnNode(args: readonly string[], timeoutMs: number): Promise<ExampleRun> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('QQ_BOT_')));
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} still running after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
