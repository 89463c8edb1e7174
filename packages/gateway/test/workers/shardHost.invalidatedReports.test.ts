/**
 * A worker shard carrying an op 9 count from earlier threads reports each such session with the
 * count in a row summed and the wait it really takes, as one shard in one process does. The
 * shard's own report and the `close` event's reason counted only this thread's sessions ("1 in a
 * row", "identifying again") while the thread held the next identify for ten minutes, next to a
 * second report saying 5 in a row and ten minutes.
 *
 * The thread's host runs here, on the test's thread, against a fake gateway on the fake clock.
 */
import { describe, expect, it } from 'vitest';
import { invalidatedSessionPauseMs } from '../../src/shard/recovery.js';
import type { ShardItem } from '../../src/workers/messages.js';
import type { FakeConnection } from '../support/FakeGateway.js';
import { advanceBy } from '../support/harness.js';
import { useFakeGateway } from '../support/useFakeGateway.js';
import { hostRun } from './support/hostOnGateway.js';

const PAUSE_MINUTES = Math.round(invalidatedSessionPauseMs(1) / 60_000);

/** The messages of the errors among `items` that report op 9. */
const op9Reports = (items: readonly ShardItem[]): string[] =>
  items.flatMap((item) =>
    item[1] === 'error' && /invalid session \(op 9\)/.test((item[2] as { message: string }).message)
      ? [(item[2] as { message: string }).message]
      : [],
  );

/** The `close` events among `items`. */
const closes = (items: readonly ShardItem[]): { reason: string; delayMs: number }[] =>
  items.flatMap((item) => (item[1] === 'close' ? [item[2] as { reason: string; delayMs: number }] : []));

describe('the reports of a worker shard carrying an op 9 count', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  /** Starts shard 0 carrying `carried`; the platform ends each session a second after its Identify. */
  function start(carried: number): ReturnType<typeof hostRun> {
    fake.gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
      if (frame.op === 2) setTimeout(() => frame.connection.send({ op: 9, d: false }), 1_000);
    });
    const run = hostRun();
    run.host.handle({
      type: 'start',
      id: 0,
      total: 1,
      gatewayUrl: fake.gateway.url,
      paused: false,
      invalidatedSessions: carried,
    });
    return run;
  }

  it('the fifth in a row (4 carried + 1): one report and a close reason, both of 5 and the pause', async () => {
    const { host, items } = start(4);
    await advanceBy(30_000);
    const reports = op9Reports(items);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/5 in a row counting the 4 before/);
    expect(reports[0]).toContain(`identifies again in ${PAUSE_MINUTES} minutes`);
    expect(reports[0]).not.toContain('identifying again');
    const [close] = closes(items);
    expect(close?.reason).toMatch(/5 in a row counting the 4 before/);
    expect(close?.delayMs).toBeGreaterThanOrEqual(invalidatedSessionPauseMs(1));
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(2_000, 100);
  });

  it('below the pause (2 carried + 1): the report and the close reason say 3 in a row and the wait', async () => {
    const { host, items } = start(2);
    await advanceBy(3_000, 100);
    const reports = op9Reports(items);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/3 in a row counting the 2 before/);
    expect(reports[0]).not.toMatch(/\b1 in a row/);
    const [close] = closes(items);
    expect(close?.reason).toMatch(/3 in a row counting the 2 before/);
    expect(reports[0]).toContain(`identifying again in ${Math.ceil((close?.delayMs ?? 0) / 1_000)} s`);
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(2_000, 100);
  });

  it('with nothing carried the shard reports as in one process', async () => {
    const { host, items } = start(0);
    await advanceBy(3_000, 100);
    const reports = op9Reports(items);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/1 in a row \(from 5 in a row/);
    expect(closes(items)[0]?.reason).toMatch(/1 in a row$/);
    host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await advanceBy(2_000, 100);
  });
});
