/**
 * `status().identifyPause` is cleared once the op 9 pause is over, even when the shard cannot
 * connect yet because its reading is paused (back-pressure): the shard then waits for the
 * resume, not for the pause. It stayed, with `until` in the past, for as long as reading was
 * paused: a monitor read the shard as still holding its Identify back.
 */
import { describe, expect, it } from 'vitest';
import { INVALIDATED_SESSIONS_BEFORE_PAUSE } from '../src/shard/recovery.js';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

describe('status().identifyPause of a shard whose reading is paused', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  it('is gone once the op 9 pause is over, though the shard waits for the resume', async () => {
    // Every session ends by op 9 a second after its Identify while the incident lasts.
    const incident = { on: true };
    fake.gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op !== 2 || !incident.on) return;
      setTimeout(() => frame.connection.send({ op: 9, d: false }), 1_000);
    });
    const { shard } = makeShard(fake.gateway.url);
    let reports = 0;
    shard.on('close', () => reports++);
    await shard.start();
    await advanceUntil(() => reports === INVALIDATED_SESSIONS_BEFORE_PAUSE, 60_000);
    const pause = shard.status().identifyPause;
    expect(pause).toBeDefined();
    incident.on = false;
    shard.pause('lanes');
    // Still waiting the pause out 5 s before its end.
    await advanceBy(pause!.until - Date.now() - 5_000, 5_000);
    expect(shard.status().identifyPause).toEqual(pause);
    await advanceBy(10_000, 1_000);
    expect(Date.now()).toBeGreaterThan(pause!.until);
    const status = shard.status();
    expect(status.state).toBe('reconnecting');
    expect(status.paused).toBe(true);
    expect(status.identifyPause).toBeUndefined();
    expect(fake.gateway.connections).toHaveLength(INVALIDATED_SESSIONS_BEFORE_PAUSE);
    // The resume lets it connect at once.
    shard.resume('lanes');
    await advanceUntil(() => shard.state === 'ready', 5_000);
    expect(fake.gateway.connections).toHaveLength(INVALIDATED_SESSIONS_BEFORE_PAUSE + 1);
    expect(shard.status().identifyPause).toBeUndefined();
    await shard.close();
  });
});
