import { describe, expect, it } from 'vitest';
import { runExample } from './runExample.js';

/** Generous: a slow 2-core machine compiles two bot processes with tsx. */
const CHILD_TIMEOUT_MS = 90_000;
/** `bot.ts`'s STOP_DEADLINE_MS (9.5 s) and a margin for the exit itself. */
const STOP_BOUND_MS = 11_000;

describe('the deployment example against the emulator and a Redis of its own', () => {
  it(
    'is ready, answers, stops on SIGTERM with code 0, and its replacement resumes every session',
    async () => {
      const run = await runExample('deployment/rehearsal.ts', CHILD_TIMEOUT_MS - 10_000);
      expect(run.code, `exit code; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('/readyz answers 200');
      expect(run.stdout).toMatch(/\[guild #general\] bot › Pong! \(shard 1 of 2, process \d+\)/);
      expect(run.stdout).toMatch(/\[group Book Club\] bot › Pong! \(shard 0 of 2, process \d+\)/);
      expect(run.stdout).toMatch(/SIGTERM: exited with code 0 after \d+ ms/);
      expect(run.stdout).toContain('replacement: resumed 2 sessions, identified 0 times');
      expect(run.stdout).toContain('replacement exited with code 0');
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'exits within its stop deadline on SIGTERM while a handler still waits, with code 0',
    async () => {
      const run = await runExample('test/fixtures/deployment-slow-stop.ts', CHILD_TIMEOUT_MS - 10_000);
      expect(run.code, `exit code; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
      const stopped = /SIGTERM during a handler: exited with code (\S+) after (\d+) ms/.exec(run.stdout);
      expect(stopped, run.stdout).not.toBeNull();
      expect(stopped?.[1]).toBe('0');
      expect(Number(stopped?.[2])).toBeLessThan(STOP_BOUND_MS);
    },
    CHILD_TIMEOUT_MS,
  );
});
