/**
 * The op 9 count a worker shard carries from earlier threads starts over once a connection stays
 * ready for `backoff.stableAfterMs` (60 s by default), as one shard in one process drops it when
 * such a connection ends, whatever ends it. The thread reported the start over only at the next
 * acknowledged heartbeat after that time (up to a heartbeat interval later), so a thread lost in
 * between left the main thread with the old count, which the next thread then carried.
 *
 * The thread's host runs here, on the test's thread, against a fake gateway on the fake clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShardItem } from '../../src/workers/messages.js';
import { advanceBy } from '../support/harness.js';
import { useFakeGateway } from '../support/useFakeGateway.js';
import { hostRun } from './support/hostOnGateway.js';

/** The `invalidated` counts among `items`, in order. */
const counts = (items: readonly ShardItem[]): number[] =>
  items.flatMap((item) => (item[1] === 'invalidated' ? [item[2]] : []));

describe('a worker shard carrying an op 9 count whose connection stays ready', () => {
  // The first beat at 0.9 of the interval: acknowledged at ~37 s and ~78 s, none near 60 s.
  const fake = useFakeGateway({ heartbeatInterval: 41_250 });
  afterEach(() => vi.restoreAllMocks());

  function start(): ReturnType<typeof hostRun> {
    vi.spyOn(Math, 'random').mockReturnValue(0.9);
    const run = hostRun();
    run.host.handle({
      type: 'start',
      id: 0,
      total: 1,
      gatewayUrl: fake.gateway.url,
      paused: false,
      invalidatedSessions: 4,
    });
    return run;
  }

  it('reports the count at zero once stableAfterMs has passed, before the next heartbeat', async () => {
    const { host, items } = start();
    await advanceBy(59_000, 500);
    expect(items.some((item) => item[1] === 'state' && item[2] === 'ready')).toBe(true);
    expect(counts(items)).toEqual([]);
    await advanceBy(3_000, 500);
    expect(counts(items)).toEqual([0]);
    // The next heartbeat reports nothing more: the count is at zero already.
    await advanceBy(20_000, 500);
    expect(counts(items)).toEqual([0]);
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(2_000, 100);
  });

  it('reports nothing when the connection ends before stableAfterMs', async () => {
    const { host, items } = start();
    await advanceBy(30_000, 500);
    expect(items.some((item) => item[1] === 'state' && item[2] === 'ready')).toBe(true);
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(60_000, 500);
    expect(counts(items)).toEqual([]);
  });
});
