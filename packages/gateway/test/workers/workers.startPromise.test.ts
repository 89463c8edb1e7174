import { afterEach, describe, expect, it } from 'vitest';
import { ShardManager, workerThreads } from '@bot/gateway';
import { FakeGateway } from '../support/FakeGateway.js';
import { FakeTokens, silentLogger } from '../support/harness.js';

// A `start*` promise tells how the call ends (shut down by the user, or failed), not that its
// shards are ready: on worker threads as in-process. A caller waiting for READY listens for the
// manager's `ready` event, or awaits the shard's own `start()`.

let gateway: FakeGateway | undefined;
let manager: ShardManager | undefined;

afterEach(async () => {
  await manager?.shutdownAll();
  await gateway?.close();
  manager = undefined;
  gateway = undefined;
});

describe('start() of a manager whose shards run on worker threads', () => {
  it('is not settled by READY (the ready event and the shard are), and resolves as soon as the user shuts the shard down', async () => {
    const fake = await FakeGateway.start({ heartbeatInterval: 40_000 });
    gateway = fake;
    const started = new ShardManager({
      intents: 1 << 30,
      tokens: new FakeTokens(),
      gateway: {
        gatewayBot: () =>
          Promise.resolve({
            url: fake.url,
            shards: 1,
            session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
          }),
      },
      logger: silentLogger(),
      strategy: workerThreads({ workers: 1, maxRestarts: 0 }),
    });
    manager = started;
    let readySentAt: number | undefined;
    fake.on('frame', (frame: { op: number }) => {
      if (frame.op === 2) readySentAt = performance.now(); // the fake answers Identify with READY
    });
    let settledAt: number | undefined;
    const run = started.start().then(() => (settledAt = performance.now()));
    const readyAt = await new Promise<number>((resolve) =>
      started.once('ready', () => resolve(performance.now())),
    );
    expect(readySentAt).toBeDefined();
    expect(readyAt - readySentAt!).toBeLessThan(1_000);
    // The shard's own start() is settled by its first READY.
    await started.shards.get(0)!.start();

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(settledAt).toBeUndefined();
    const shutdownAt = performance.now();
    await started.shutdownAll();
    await run;
    expect(settledAt! - shutdownAt).toBeLessThan(2_000);
  });
});
