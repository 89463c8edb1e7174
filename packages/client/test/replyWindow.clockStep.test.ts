import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GroupMessageCreate } from '@bot/http';
import { GroupMessage } from '../src/models/GroupMessage.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';
import { ReplyWindowClosedError } from '../src/models/reply/ReplyWindowClosedError.js';

/** The platform's time when the message is sent. */
const PLATFORM_SENT = Date.UTC(2026, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

/** A binding no test here sends through. */
const binding = { replies: new ReplySequencer(), replyWindow: 'enforce' } as unknown as ModelBinding;

/** A group message (a 5-minute window) stamped by the platform at `sentAt`. */
function groupMessage(sentAt: number): GroupMessage {
  const data = {
    id: 'm1',
    content: 'hi',
    group_openid: 'G1',
    author: { id: 'U1', member_openid: 'M1' },
    timestamp: new Date(sentAt).toISOString(),
  } as GroupMessageCreate;
  return new GroupMessage(data, binding, 'event-m1');
}

/** A message received when the local wall clock read `localNow`, the platform's clock PLATFORM_SENT. */
async function receivedAt(localNow: number): Promise<GroupMessage> {
  // Wall and steady clocks faked; a new run, so the arrival stamps are read at this time.
  vi.useFakeTimers();
  vi.setSystemTime(localNow);
  await Promise.resolve();
  return groupMessage(PLATFORM_SENT);
}

describe('a reply window across a wall-clock step', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a clock 3 min behind, stepped forward after the arrival, refuses no reply until the window has passed on the steady clock', async () => {
    const message = await receivedAt(PLATFORM_SENT - 3 * MINUTE);
    const window = message.replyWindow;
    // A time sync steps the wall clock to the platform's time.
    vi.setSystemTime(PLATFORM_SENT);
    vi.advanceTimersByTime(2.5 * MINUTE);
    // The wall clock says the window ended half a minute ago; the platform's stays open 2.5 min.
    expect(Date.now()).toBeGreaterThan(window.expiresAt.getTime());
    expect(window.closedReason()).toBeUndefined();
    expect(window.isOpen()).toBe(true);
    expect(() => window.check('enforce')).not.toThrow();
    expect(window.timeLeft()).toBe(2.5 * MINUTE);

    vi.advanceTimersByTime(2.5 * MINUTE - 1);
    expect(window.isOpen()).toBe(true);
    expect(window.timeLeft()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(window.closedReason()).toBe('expired');
    expect(window.timeLeft()).toBe(0);
    expect(() => window.check('enforce')).toThrow(ReplyWindowClosedError);
  });

  it('a clock 3 min ahead, stepped back after the arrival, refuses once the wall clock says the window has passed too', async () => {
    const message = await receivedAt(PLATFORM_SENT + 3 * MINUTE);
    const window = message.replyWindow;
    // Opened at the platform's stamp plus the skew allowed: the wall clock said the message was old.
    expect(window.openedAt.getTime()).toBe(PLATFORM_SENT + 10_000);
    vi.setSystemTime(PLATFORM_SENT);
    // The steady clock says the window has passed (the age at arrival counted on it too) ...
    vi.advanceTimersByTime(2 * MINUTE + 10_000);
    // ... but the wall clock does not: a late local refusal costs at most one refused request,
    // which then closes the window (an early one would lose a reply the platform accepts).
    expect(window.isOpen()).toBe(true);
    expect(window.timeLeft()).toBe(3 * MINUTE);
    vi.advanceTimersByTime(3 * MINUTE);
    expect(window.closedReason()).toBe('expired');
    expect(() => window.check('enforce')).toThrow(ReplyWindowClosedError);
  });

  it('with no step, both clocks agree: the window closes its length after it opened', async () => {
    const message = await receivedAt(PLATFORM_SENT);
    const window = message.replyWindow;
    vi.advanceTimersByTime(5 * MINUTE - 1);
    expect(window.isOpen()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(window.closedReason()).toBe('expired');
  });
});
