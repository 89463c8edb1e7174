import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type ClientBuilder, type ClientError, type ShardState } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

/** A logger printing nothing that keeps every WARN and above as `LEVEL message`. */
function warningsLogger() {
  const lines: string[] = [];
  const log = createLogger('test', 0);
  log.settings.type = 'hidden';
  log.attachTransport((record) => {
    const meta = (record as Record<string, unknown> & { _meta: { logLevelId: number; logLevelName: string } })
      ._meta;
    if (meta.logLevelId >= 4) lines.push(`${meta.logLevelName} ${String(record['0'])}`);
  });
  return { log, lines };
}

/**
 * Starts a client, then shuts it down: what its shards went through, what it reported and logged,
 * and the shard states when REST (and the token provider with it) was released.
 */
async function shutDown(
  configure: (builder: ClientBuilder) => ClientBuilder,
  beforeShutdown: (harness: Harness) => Promise<void> = () => Promise.resolve(),
) {
  const { log, lines } = warningsLogger();
  const reported: ClientError[] = [];
  const harness = await startHarness([{ error: (error) => void reported.push(error) }], (builder) =>
    configure(builder.logger(log)),
  );
  const { client } = harness;
  const states: ShardState[] = [];
  client.shardManager.on('state', (state) => states.push(state));
  let atRelease: ShardState[] | undefined;
  const destroy = client.rest.destroy.bind(client.rest);
  client.rest.destroy = () => {
    atRelease = client.shardManager.status().map((status) => status.state);
    destroy();
  };
  await beforeShutdown(harness);
  await client.shutdown();
  const outcome = await harness.running.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  return { harness, lines, reported, states, atRelease, outcome };
}

describe("Client.shutdown releases REST after its shards: no shard stops for the token provider's end", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.emulator.stop();
    harness = undefined;
  });

  it.each([
    ['shards on this thread', (builder: ClientBuilder) => builder],
    ['shards on a worker thread', (builder: ClientBuilder) => builder.workers(1)],
  ])(
    '%s: start() resolves, nothing is reported or logged, no shard becomes fatal',
    async (_name, configure) => {
      const run = await shutDown(configure);
      harness = run.harness;
      expect(run.outcome).toBe('resolved');
      expect(run.reported).toEqual([]);
      expect(run.lines).toEqual([]);
      expect(run.states).not.toContain('fatal');
      expect(run.atRelease?.every((state) => state === 'closed')).toBe(true);
    },
  );

  it('a shard reconnecting when the shutdown starts closes too, and never asks the released provider', async () => {
    const run = await shutDown(
      (builder) => builder,
      async ({ emulator, client }) => {
        emulator.faults.slowHello(60_000); // the new connection waits for Hello through the shutdown
        emulator.faults.dropSocket(0);
        await expect.poll(() => client.shardManager.status()[0]?.state).toBe('connecting');
      },
    );
    harness = run.harness;
    expect(run.outcome).toBe('resolved');
    expect(run.reported).toEqual([]);
    expect(run.lines.filter((line) => /token provider|destroyed|fatal/i.test(line))).toEqual([]);
    expect(run.states).not.toContain('fatal');
    expect(run.atRelease?.every((state) => state === 'closed')).toBe(true);
  });
});
