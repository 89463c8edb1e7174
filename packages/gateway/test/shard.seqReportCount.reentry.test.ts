import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DispatchPayload } from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceUntil, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;
beforeEach(() => useFakeClock());
afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await gateway.close();
});
const event = (s: unknown, id: string) => JSON.stringify({ op: 0, s, t: 'AT_MESSAGE_CREATE', id, d: { id } });

async function flooded() {
  gateway = await FakeGateway.start({ heartbeatInterval: 40_000 });
  const { shard } = makeShard(gateway.url);
  const dispatched: DispatchPayload[] = [];
  shard.on('dispatch', (p) => dispatched.push(p));
  const errors: string[] = [];
  await shard.start();
  const first = gateway.last;
  first.send(event(10, 'ten'));
  for (let i = 0; i < 15; i++) first.send(event(5, `behind-${i}`));
  first.send(event(11, 'eleven'));
  await advanceUntil(() => dispatched.some((p) => p.id === 'eleven'), 30_000);
  return { shard, errors, first };
}

describe('the count of unreported seqs, reported when the connection ends', () => {
  it('is reported once when the shard is shut down (close())', async () => {
    const { shard, errors } = await flooded();
    shard.on('error', (e) => errors.push(e.message));
    await shard.close();
    const summaries = errors.filter((m) => m.includes('counted without a report'));

    expect(summaries).toHaveLength(1);
  });

  it('is reported once when an error listener restarts the shard on it', async () => {
    const { shard, errors } = await flooded();
    let restarts = 0;
    shard.on('error', (e) => {
      errors.push(e.message);
      if (e.message.includes('counted without a report') && restarts < 50) {
        restarts++;
        shard.restart();
      }
    });
    shard.restart();
    await advanceUntil(() => shard.status().state === 'ready' && shard.status().reconnects > 0, 10_000);
    const summaries = errors.filter((m) => m.includes('counted without a report'));

    await shard.close();
    expect(summaries).toHaveLength(1);
  });

  it('is reported once when an error listener closes the shard on it', async () => {
    const { shard, errors, first } = await flooded();
    let closes = 0;
    shard.on('error', (e) => {
      errors.push(e.message);
      if (e.message.includes('counted without a report') && closes < 50) {
        closes++;
        void shard.close();
      }
    });
    first.close(4009);
    await advanceUntil(() => shard.status().state === 'closed', 10_000);
    const summaries = errors.filter((m) => m.includes('counted without a report'));

    expect(summaries).toHaveLength(1);
  });
});
