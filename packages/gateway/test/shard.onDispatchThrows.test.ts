/**
 * A shard's own `onDispatch` receiver that throws is reported as such, and the shard's `dispatch`
 * listeners still hear the event: one consumer's bug must not hide events from another.
 */
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fakeGateway = useFakeGateway();

describe("a shard's onDispatch that throws", () => {
  it('is reported by name, and the dispatch listeners still hear every event', async () => {
    const fake = fakeGateway.gateway;
    const { shard } = makeShard(fake.url, {
      onDispatch: (payload: DispatchPayload) => {
        if (payload.s === 2) throw new Error('consumer broke');
      },
    });
    const heard: number[] = [];
    shard.on('dispatch', (payload) => void heard.push(payload.s ?? -1));
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    const started = shard.start();
    await advanceUntil(() => shard.state === 'ready', 10_000);
    await started;
    fake.last.dispatch('AT_MESSAGE_CREATE');
    fake.last.dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => heard.length === 3, 1_000);

    expect(heard).toEqual([1, 2, 3]);
    expect(errors.map((error) => error.message)).toEqual(['shard 0: onDispatch threw']);
    expect(errors[0]?.cause).toEqual(new Error('consumer broke'));
    await shard.close();
  });
});
