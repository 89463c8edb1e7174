import { describe, expect, it } from 'vitest';
import { allReady, useFakeGatewayManagers } from './support/fakeGatewayManagers.js';
import { advanceUntil } from './support/harness.js';

// A gateway-only user needs to know when the shards a call started are all connected, without
// polling status(): the manager says so with a `ready` event, once per start* call.

const fake = useFakeGatewayManagers();

describe('ShardManager ready event', () => {
  it('comes once per start* call, when every shard of the call has been ready, naming them and the call', async () => {
    const manager = fake.manager();
    const heard: Array<[readonly number[], string]> = [];
    manager.on('ready', (shardIds, call) => heard.push([shardIds, call]));
    const run = manager.startShards(3);
    await advanceUntil(allReady(manager, 3), 20_000);
    await advanceUntil(() => heard.length === 1, 1_000);
    expect(heard).toEqual([[[0, 1, 2], 'startShards(3)']]);

    // A shard that reconnects and resumes is ready again; the call was announced already.
    fake.gateway.connectionOf(1).close(4009);
    await advanceUntil(allReady(manager, 3), 20_000);
    expect(heard).toHaveLength(1);
    await manager.shutdownAll();
    await run;
  });

  it("reports a 'ready' listener that throws as an error of the manager, and runs on", async () => {
    const manager = fake.manager();
    manager.on('ready', () => {
      throw new Error('listener broke');
    });
    const errors: Array<[string, unknown]> = [];
    manager.on('error', (error) => errors.push([error.message, error.cause]));
    const run = manager.start();
    await advanceUntil(() => errors.length === 1, 10_000);
    expect(errors).toEqual([
      [expect.stringContaining("a 'ready' listener threw"), new Error('listener broke')],
    ]);
    expect(manager.status()[0]?.state).toBe('ready');
    await manager.shutdownAll();
    await run;
  });

  it('is not emitted for a call that failed before all its shards were ready', async () => {
    fake.info.limit.max_concurrency = 1;
    const manager = fake.manager({ onFatal: 'keepHealthy' });
    const heard: string[] = [];
    manager.on('ready', (_ids, call) => heard.push(call));
    const run = manager.startShards(2);
    const failed = expect(run).rejects.toMatchObject({ code: 4014, shardId: 0 });
    await advanceUntil(() => manager.status()[0]?.state === 'ready', 20_000);
    expect(manager.status()[1]?.state).not.toBe('ready');
    fake.gateway.connectionOf(0).close(4014);
    await failed;
    await advanceUntil(() => manager.status()[1]?.state === 'ready', 20_000);
    await advanceUntil(() => true, 1_000);
    expect(heard).toEqual([]);
    await manager.shutdownAll();
  });
});
