import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GroupMessageCreate } from '@bot/http';
import { GroupMessage } from '../src/models/GroupMessage.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import { arrivalTime, steadyArrivalTime } from '../src/models/arrivalTime.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

/** A binding no test here sends through. */
const binding = { replies: new ReplySequencer(), replyWindow: 'enforce' } as unknown as ModelBinding;

/** A group message stamped by the platform at `sentAt` (ms), or with no stamp. */
function groupMessage(id: string, sentAt?: number): GroupMessage {
  const data = {
    id,
    content: 'hi',
    group_openid: 'G1',
    author: { id: 'U1', member_openid: 'M1' },
    ...(sentAt !== undefined && { timestamp: new Date(sentAt).toISOString() }),
  } as GroupMessageCreate;
  return new GroupMessage(data, binding, `event-${id}`);
}

describe('arrivalTime', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the clock once per synchronous run: later calls of the run get the same time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await Promise.resolve();
    vi.setSystemTime(START);
    const first = arrivalTime();
    vi.setSystemTime(START + 5_000);
    expect(arrivalTime()).toBe(first);
    expect(first).toBe(START);
  });

  it('reads the clock again once the run has ended (after a microtask)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await Promise.resolve();
    vi.setSystemTime(START);
    expect(arrivalTime()).toBe(START);
    vi.setSystemTime(START + 5_000);
    await Promise.resolve();
    expect(arrivalTime()).toBe(START + 5_000);
  });

  it('a test framework faking queueMicrotask cannot freeze the stamp past its own run', async () => {
    await Promise.resolve();
    vi.useFakeTimers({ toFake: ['Date', 'queueMicrotask'] });
    vi.setSystemTime(START);
    expect(arrivalTime()).toBe(START);
    // The fake timers go without ever running their queue, as a test's teardown does.
    vi.useRealTimers();
    const before = Date.now();
    await Promise.resolve();
    expect(arrivalTime()).toBeGreaterThanOrEqual(before);
  });

  it('messages built in one run share its arrival: a slow run does not shorten the later ones’ windows', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await Promise.resolve();
    vi.setSystemTime(START);
    const first = groupMessage('m1');
    // A synchronous handler of the first message takes 2 minutes before the second is modelled.
    vi.setSystemTime(START + 2 * MINUTE);
    const second = groupMessage('m2');
    expect(second.replyWindow.timeLeft(START)).toBe(first.replyWindow.timeLeft(START));
    // The next run (the next chunk read from the socket) is stamped anew.
    await Promise.resolve();
    const later = groupMessage('m3');
    expect(later.replyWindow.timeLeft(START + 2 * MINUTE)).toBe(first.replyWindow.timeLeft(START));
  });

  it('a platform stamp earlier than the arrival still opens the window earlier', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await Promise.resolve();
    const now = START + 2 * MINUTE;
    vi.setSystemTime(now);
    const queued = groupMessage('m1', START);
    const fresh = groupMessage('m2');
    // Opened at the stamp plus the 10 s allowed for clock skew, against at the arrival.
    expect(fresh.replyWindow.timeLeft(now) - queued.replyWindow.timeLeft(now)).toBe(2 * MINUTE - 10_000);
  });

  it('the steady stamp is read once per run too, and moves with time passed, not with the wall clock', async () => {
    vi.useFakeTimers();
    await Promise.resolve();
    const first = steadyArrivalTime();
    vi.advanceTimersByTime(5_000);
    expect(steadyArrivalTime()).toBe(first);
    vi.setSystemTime(Date.now() + 60 * MINUTE);
    await Promise.resolve();
    expect(steadyArrivalTime()).toBe(first + 5_000);
  });
});
