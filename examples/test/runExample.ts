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
  const missing = BUILT_PACKAGES.filter((name) => !existsSync(`${ROOT}packages/${name}/dist/index.js`));
  if (missing.length > 0) {
    return Promise.reject(
      new Error(`build the packages first (pnpm build): no dist for ${missing.join(', ')}`),
    );
  }
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('QQ_BOT_')));
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${script}`], {
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
      reject(new Error(`examples/${script} still running after ${timeoutMs} ms\n${stdout}\n${stderr}`));
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
