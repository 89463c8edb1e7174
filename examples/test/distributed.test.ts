import { describe, expect, it } from 'vitest';
import { runNamedExample } from './runExample.js';

/** Generous: a slow 2-core machine compiles three processes with tsx, and the gateway starts twice. */
const CHILD_TIMEOUT_MS = 90_000;

describe('the distributed example against the emulator and a Redis of its own', () => {
  it(
    'answers through a worker process, survives a gateway deploy by resuming, acknowledges everything and exits 0',
    async () => {
      const run = await runNamedExample('distributed', CHILD_TIMEOUT_MS - 10_000);
      expect(run.code, `exit code; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('the embedded emulator');
      // The worker runs no shards, yet its Context names the shard and the count the event came with.
      expect(run.stdout).toMatch(/\[guild #general\] bot › Pong! \(shard 1 of 2, worker \d+\)/);
      expect(run.stdout).toMatch(/\[group Book Club\] bot › Pong! \(shard 0 of 2, worker \d+\)/);
      expect(run.stdout).toMatch(/\[c2c Judy\] bot › Pong! \(shard 0 of 2, worker \d+\)/);
      expect(run.stdout).toMatch(/gateway process \d+: resumed 2 sessions, identified 0 times/);
      expect(run.stdout).toContain('events left unacknowledged by the worker: 0');
      expect(run.stdout.match(/gateway process \d+ exited with code 0/g)).toHaveLength(2);
      expect(run.stdout).toMatch(/worker process \d+ exited with code 0/);
    },
    CHILD_TIMEOUT_MS,
  );
});
