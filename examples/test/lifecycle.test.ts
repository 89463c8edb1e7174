import { describe, expect, it } from 'vitest';
import { runExample } from './runExample.js';
import { SLOW_HANDLER_DEADLINE_MS } from './fixtures/slow-handler.js';

/** Generous: a slow 2-core machine compiles two bot processes with tsx, one after the other. */
const CHILD_TIMEOUT_MS = 90_000;
/**
 * The client's shutdown deadline, the sessions' close and the examples' exit grace (2 s), with
 * a margin: a process a cut-off handler holds is killed only after 15 s.
 */
const STOP_BOUND_MS = SLOW_HANDLER_DEADLINE_MS + 5_000;

describe('an example run by runClient and runMain', () => {
  it(
    'exits soon after its shutdown deadline on SIGINT and SIGTERM while a handler still waits, with code 0',
    async () => {
      const run = await runExample('test/fixtures/lifecycle-slow-stop.ts', CHILD_TIMEOUT_MS - 10_000);
      expect(run.code, `exit code; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
      for (const signal of ['SIGINT', 'SIGTERM']) {
        const stopped = new RegExp(
          `${signal} during a handler: exited with code (\\S+) after (\\d+) ms`,
        ).exec(run.stdout);
        expect(stopped, run.stdout).not.toBeNull();
        expect(stopped?.[1], signal).toBe('0');
        expect(Number(stopped?.[2]), signal).toBeLessThan(STOP_BOUND_MS);
      }
    },
    CHILD_TIMEOUT_MS,
  );
});
