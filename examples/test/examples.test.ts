import { describe, expect, it } from 'vitest';
import { runNamedExample, type ExampleRun } from './runExample.js';

/** Generous: a slow 2-core machine compiles each example with tsx before it runs. */
const CHILD_TIMEOUT_MS = 60_000;

/** Asserts a clean exit, showing the output when it was not. */
function expectSuccess(run: ExampleRun): void {
  expect(run.code, `exit code; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
  // The grace exit ends an example that left a timer or socket open with code 0: a leak the
  // framework's shutdown must not have, so it fails the example here.
  expect(run.stderr, 'an open handle outlived the example').not.toContain('exiting: work still pending');
}

describe('each example plays its exchange against the emulator and exits 0', () => {
  it(
    'ping answers !ping in a guild channel, a group and a C2C chat',
    async () => {
      const run = await runNamedExample('ping');
      expectSuccess(run);
      expect(run.stdout).toContain('the embedded emulator');
      for (const scene of ['guild #general', 'group Book Club', 'c2c Judy']) {
        expect(run.stdout).toContain(`[${scene}] bot › Pong!`);
      }
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'stateful answers every command and counts messages per person',
    async () => {
      const run = await runNamedExample('stateful');
      expectSuccess(run);
      expect(run.stdout).toMatch(/\[guild #general\] bot › Commands:\n\s+!ping/);
      expect(run.stdout).toContain('[guild #general] bot › Pong!');
      expect(run.stdout).toMatch(/\[group Book Club\] bot › Up for \d+ (ms|s)\./);
      expect(run.stdout).toContain('[c2c Judy] bot › You: 1 message, first time I see you.');
      expect(run.stdout).toContain('[group Book Club] bot › I do not know !dance. Try !help.');
      // Alice's third message in the guild: !help, !ping, !stats.
      expect(run.stdout).toMatch(/\[guild #general\] bot › You: 3 messages, last seen \d+ (ms|s) ago\./);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'threads answers on the worker thread that runs each shard, handlers included',
    async () => {
      const run = await runNamedExample('threads');
      expectSuccess(run);
      for (const shard of [0, 1, 2, 3]) {
        expect(run.stdout).toContain(`✓ shard ${shard} answered on worker thread ${shard % 2}`);
        expect(run.stdout).toMatch(
          new RegExp(`bot › Handled on worker thread ${shard % 2} \\(thread id \\d+\\), shard ${shard} of 4`),
        );
      }
      expect(run.stdout).toContain('shards 0, 1, 2, 3 of 4 ready');
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'sharded routes each guild to the process that runs its shard, then stops both cleanly',
    async () => {
      const run = await runNamedExample('sharded');
      expectSuccess(run);
      for (const [shard, worker] of [
        [0, '0–1'],
        [1, '0–1'],
        [2, '2–3'],
        [3, '2–3'],
      ] as const) {
        expect(run.stdout).toContain(`✓ handled on shard ${shard} by worker ${worker}`);
        expect(run.stdout).toContain(`[worker ${worker}] shard ${shard} received !shard`);
      }
      // Every line a worker prints, down to its shutdown, names the worker.
      expect(run.stdout).toContain('[worker 0–1] SIGTERM: shutting down');
      expect(run.stdout).toContain('[worker 2–3] SIGTERM: shutting down');
      expect(run.stdout).not.toMatch(/^(SIGTERM|shards? \d)/m);
      expect(run.stdout).toContain('worker 0–1 exited with code 0');
      expect(run.stdout).toContain('worker 2–3 exited with code 0');
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'webhook validates its URL, verifies signed deliveries and refuses a forged one',
    async () => {
      const run = await runNamedExample('webhook');
      expectSuccess(run);
      expect(run.stdout).toContain('the emulator validated the callback URL');
      expect(run.stdout).toContain('[guild #general] bot › Pong!');
      expect(run.stdout).toContain('3 of 3 signed deliveries verified and acknowledged');
      expect(run.stdout).toContain('a forged delivery was refused with HTTP 401');
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'http-only lists guilds and channels and replies with msg_id and msg_seq',
    async () => {
      const run = await runNamedExample('http-only');
      expectSuccess(run);
      expect(run.stdout).toContain('4 guild(s):');
      expect(run.stdout).toContain('Emulator Hall: #general (text), #announcements (text), #voice (voice)');
      expect(run.stdout).toMatch(/replied "Pong!" as message \S+/);
      expect(run.stdout).toMatch(/msg_seq 1: replied "First answer\."/);
      expect(run.stdout).toMatch(/msg_seq 2: replied "Second answer\."/);
      expect(run.stdout).toContain('msg_seq 2 again: refused, code 40054005');
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'gateway-only prints every dispatch name as it arrives, unknown events included',
    async () => {
      const run = await runNamedExample('gateway-only');
      expectSuccess(run);
      for (const event of [
        'READY',
        'AT_MESSAGE_CREATE',
        'GROUP_AT_MESSAGE_CREATE',
        'C2C_MESSAGE_CREATE',
        'GUILD_MEMBER_ADD',
        'SUBSCRIBE_MESSAGE_STATUS',
      ]) {
        expect(run.stdout).toMatch(new RegExp(`shard 0 ⇐ ${event} `));
      }
      expect(run.stdout).toContain('5 events delivered');
    },
    CHILD_TIMEOUT_MS,
  );
});
