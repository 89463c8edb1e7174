/**
 * A worker shard counts the sessions op 9 ended soon after they started across its threads: the
 * main thread starts the next thread's shard with the count the lost one had reached
 * (`invalidatedSessions`), and the shard goes on from there, as one shard in one process would.
 * A shard on a new thread counted from zero, so each thread restart bought it up to five more
 * quick identifies (a session start each), bounded only by `maxRestarts`.
 *
 * The thread's host runs here, on the test's thread, against a fake gateway on the fake clock.
 */
import { describe, expect, it } from 'vitest';
import { invalidatedSessionPauseMs } from '../../src/shard/recovery.js';
import type { ShardItem, ToWorker } from '../../src/workers/messages.js';
import type { FakeConnection } from '../support/FakeGateway.js';
import { advanceBy } from '../support/harness.js';
import { useFakeGateway } from '../support/useFakeGateway.js';
import { hostRun } from './support/hostOnGateway.js';

const PAUSE_MS = invalidatedSessionPauseMs(1);

/** The `invalidated` counts among `items`, in order. */
const counts = (items: readonly ShardItem[]): number[] =>
  items.flatMap((item) => (item[1] === 'invalidated' ? [item[2]] : []));

describe('a worker shard started with the op 9 count of its lost thread', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  /** The platform ends each session a second after its Identify while `incident.on`. */
  function endEverySession(): { on: boolean } {
    const incident = { on: true };
    fake.gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op !== 2 || !incident.on) return;
      setTimeout(() => frame.connection.send({ op: 9, d: false }), 1_000);
    });
    return incident;
  }

  function start(invalidatedSessions?: number): ReturnType<typeof hostRun> {
    const run = hostRun();
    const message: ToWorker = {
      type: 'start',
      id: 0,
      total: 1,
      gatewayUrl: fake.gateway.url,
      paused: false,
      ...(invalidatedSessions === undefined ? {} : { invalidatedSessions }),
    };
    run.host.handle(message);
    return run;
  }

  it('pauses before its next identify once the count in a row reaches five (4 carried + 1)', async () => {
    endEverySession();
    const { host, items } = start(4);
    await advanceBy(60_000);
    // One identify, ended by op 9: the fifth in a row, so the pause, not a quick identify.
    expect(fake.gateway.received(2)).toHaveLength(1);
    expect(counts(items)).toEqual([5]);
    const reported = items.filter((item) => item[1] === 'state' && item[2] === 'reconnecting');
    expect(reported.at(-1)?.[4]).toMatchObject({
      identifyPause: { reason: 'invalidatedSessions', sessions: 5 },
    });
    const close = items.find((item) => item[1] === 'close');
    expect(close?.[2]).toMatchObject({ next: 'identify', ending: 'invalidSessionSoon' });
    expect((close?.[2] as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(PAUSE_MS);
    const errors = items
      .filter((item) => item[1] === 'error')
      .map((item) => (item[2] as { message: string }).message);
    expect(errors.some((message) => /5 in a row counting the 4 before/.test(message))).toBe(true);
    // The pause ends, and the shard identifies again, once, and pauses again (6 in a row).
    await advanceBy(PAUSE_MS - 60_000 + 15_000, 1_000);
    expect(fake.gateway.received(2)).toHaveLength(2);
    await advanceBy(60_000);
    expect(fake.gateway.received(2)).toHaveLength(2);
    expect(counts(items)).toEqual([5, 6]);
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(2_000, 100);
  });

  it('identifies at once when the main thread asks for a restart during that pause', async () => {
    const incident = endEverySession();
    const { host } = start(4);
    await advanceBy(60_000);
    expect(fake.gateway.received(2)).toHaveLength(1);
    incident.on = false;
    host.handle({ type: 'restart', id: 0 });
    await advanceBy(5_000, 100);
    expect(fake.gateway.received(2)).toHaveLength(2);
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(2_000, 100);
  });

  it('without a carried count, identifies quickly four times before the pause, as before', async () => {
    endEverySession();
    const { host, items } = start();
    await advanceBy(60_000);
    expect(fake.gateway.received(2)).toHaveLength(5);
    expect(counts(items)).toEqual([1, 2, 3, 4, 5]);
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(2_000, 100);
  });

  it('starts the count over once a connection stays ready for backoff.stableAfterMs', async () => {
    const incident = endEverySession();
    incident.on = false;
    const { host, items } = start(4);
    // Ready, and a heartbeat acknowledged past the 60 s that prove a connection stable (beats
    // every 40 s, the first at a random point of the first interval).
    await advanceBy(130_000);
    expect(counts(items)).toEqual([0]);
    // Now the platform ends that session, and every new one a second after it starts.
    incident.on = true;
    fake.gateway.connections.at(-1)?.send({ op: 9, d: false });
    await advanceBy(30_000);
    // Counted from 0, not 4: quick identifies again, not one and a pause.
    expect(fake.gateway.received(2).length).toBeGreaterThanOrEqual(4);
    expect(counts(items).slice(0, 3)).toEqual([0, 1, 2]);
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(2_000, 100);
  });
});
