import { describe, expect, it } from 'vitest';
import { advanceBy, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

describe('Shard Hello handling', () => {
  it('ignores and reports a second Hello on one connection: one Identify, one heartbeat schedule', async () => {
    const { shard } = makeShard(fake.gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    await shard.start();

    fake.gateway.last.hello(40_000);
    await advanceBy(10_000, 250);

    expect(fake.gateway.received(2)).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([
      'shard 0: received a second Hello on one connection; ignored it',
    ]);
    expect(shard.state).toBe('ready');
    await shard.close();
  });
});
