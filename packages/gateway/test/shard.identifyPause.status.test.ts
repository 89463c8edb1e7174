/**
 * From the fifth session in a row that op 9 ended soon after READY, a shard waits ten minutes or
 * more before it identifies again. Its status said nothing of it: a shard paused for an hour read
 * as `reconnecting` like one a second from its next attempt. `status().identifyPause` now says
 * why it waits and until when, from the `reconnecting` state on, and is gone once the pause
 * ends, is hurried by `restart()`, or the shard is closed.
 */
import { describe, expect, it } from 'vitest';
import type { Shard, ShardStatus } from '@bot/gateway';
import { INVALIDATED_SESSION_PAUSE_MS, INVALIDATED_SESSIONS_BEFORE_PAUSE } from '../src/shard/recovery.js';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

/** How the test ends the pause. */
type Ending = 'waiting it out' | 'restart()' | 'close()';

describe('status() of a shard paused after sessions ended by op 9', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  /** Ends every session a second after its Identify while `incident.on` holds. */
  function startIncident(): { on: boolean } {
    const incident = { on: true };
    fake.gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op !== 2 || !incident.on) return;
      setTimeout(() => frame.connection.send({ op: 9, d: false }), 1_000);
    });
    return incident;
  }

  /** The status at each state the shard enters, as a listener reads it. */
  function statusAtEachState(shard: Shard): ShardStatus[] {
    const seen: ShardStatus[] = [];
    shard.on('state', () => seen.push(shard.status()));
    return seen;
  }

  it('says why the shard waits and until when, from the report on', async () => {
    startIncident();
    const { shard } = makeShard(fake.gateway.url);
    const delays: number[] = [];
    shard.on('close', (event) => delays.push(event.delayMs));
    const seen = statusAtEachState(shard);
    await shard.start();
    await advanceUntil(() => delays.length === INVALIDATED_SESSIONS_BEFORE_PAUSE, 60_000);
    const pausedAt = Date.now();
    const status = shard.status();
    expect(status.state).toBe('reconnecting');
    expect(status.identifyPause).toEqual({
      reason: 'invalidatedSessions',
      sessions: INVALIDATED_SESSIONS_BEFORE_PAUSE,
      ms: delays.at(-1),
      until: pausedAt + delays.at(-1)!,
    });
    expect(status.identifyPause!.ms).toBeGreaterThanOrEqual(INVALIDATED_SESSION_PAUSE_MS);
    // Already in the snapshot taken as the shard entered `reconnecting` (a worker thread sends that one).
    expect(seen.at(-1)).toEqual(status);
    // The quick reconnects before it were no pause.
    expect(seen.slice(0, -1).every((each) => each.identifyPause === undefined)).toBe(true);
    await shard.close();
  });

  it.each<Ending>(['waiting it out', 'restart()', 'close()'])(
    'is gone once the pause ends by %s',
    async (ending) => {
      const incident = startIncident();
      const { shard } = makeShard(fake.gateway.url);
      let reports = 0;
      shard.on('close', () => reports++);
      const seen = statusAtEachState(shard);
      await shard.start();
      await advanceUntil(() => reports === INVALIDATED_SESSIONS_BEFORE_PAUSE, 60_000);
      expect(shard.status().identifyPause).toBeDefined();
      incident.on = false;
      const before = seen.length;
      if (ending === 'waiting it out') await advanceBy(INVALIDATED_SESSION_PAUSE_MS + 10_000, 5_000);
      if (ending === 'restart()') {
        shard.restart();
        expect(shard.status().identifyPause).toBeUndefined();
        await advanceBy(10_000, 500);
      }
      if (ending === 'close()') await shard.close();
      const after = seen.slice(before);
      expect(after.map((each) => each.state)).toEqual(
        ending === 'close()' ? ['closed'] : ['connecting', 'identifying', 'ready'],
      );
      expect(after.every((each) => each.identifyPause === undefined)).toBe(true);
      expect(shard.status().identifyPause).toBeUndefined();
      await shard.close();
    },
  );
});
