import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AbortFanout } from '../src/time/AbortFanout.js';

describe('AbortFanout', () => {
  it('listens to the shared signal once, and aborts every joined wait with its reason', async () => {
    const shared = new AbortController();
    const fanout = new AbortFanout(shared.signal);
    const waits = Array.from({ length: 20 }, () =>
      fanout.within(
        (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      ),
    );
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    expect(fanout.size).toBe(20);
    const reason = new Error('closing');
    shared.abort(reason);
    const outcomes = await Promise.allSettled(waits);
    expect(outcomes.every((outcome) => outcome.status === 'rejected' && outcome.reason === reason)).toBe(
      true,
    );
    expect(fanout.size).toBe(0);
  });

  it('forgets a wait however it ends, so finished waits hold nothing', async () => {
    const fanout = new AbortFanout(new AbortController().signal);
    await fanout.within(async () => 'done');
    await fanout.within(async () => Promise.reject(new Error('failed'))).catch(() => undefined);
    const joined = fanout.join();
    expect(fanout.size).toBe(1);
    joined.leave();
    expect(fanout.size).toBe(0);
  });

  it('gives a wait joined after the shared signal aborted that signal, aborted already', () => {
    const shared = new AbortController();
    shared.abort(new Error('gone'));
    const fanout = new AbortFanout(shared.signal);
    const joined = fanout.join();
    expect(joined.signal.aborted).toBe(true);
    expect(joined.signal.reason).toBe(shared.signal.reason);
    expect(fanout.size).toBe(0);
  });
  it('aborts an added controller with the shared reason, at once when too late, and forgets it when told', () => {
    const source = new AbortController();
    const fanout = new AbortFanout(source.signal);
    const kept = new AbortController();
    const forgotten = new AbortController();
    fanout.add(kept);
    fanout.add(forgotten)();
    expect(fanout.size).toBe(1);
    const reason = new Error('closing');
    source.abort(reason);
    expect(kept.signal.reason).toBe(reason);
    expect(forgotten.signal.aborted).toBe(false);
    const late = new AbortController();
    fanout.add(late);
    expect(late.signal.reason).toBe(reason);
    expect(fanout.size).toBe(0);
  });
});
