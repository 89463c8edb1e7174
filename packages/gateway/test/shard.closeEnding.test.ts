/** The `close` event of a session ended without a resume says why as a kind, beside the code. */
import { describe, expect, it } from 'vitest';
import type { ShardCloseEvent } from '@bot/gateway';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fakeGateway = useFakeGateway();

describe("a shard's close event names how the session ended", () => {
  it.each([
    [4006, 'closed'],
    [4009, undefined],
  ] as const)('close %i: ending %s', async (code, ending) => {
    const fake = fakeGateway.gateway;
    const { shard } = makeShard(fake.url);
    const closes: ShardCloseEvent[] = [];
    shard.on('close', (closed) => void closes.push(closed));
    const started = shard.start();
    await advanceUntil(() => shard.state === 'ready', 10_000);
    await started;
    fake.last.close(code);
    await advanceUntil(() => closes.length === 1, 10_000);
    expect(closes[0]).toMatchObject({ code, next: ending === undefined ? 'resume' : 'identify' });
    expect(closes[0]?.ending).toBe(ending);
    await shard.close();
  });
});
