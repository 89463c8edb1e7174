import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import { FORGOTTEN_REPLY_WARNING_INTERVAL_MS } from '../src/models/reply/ForgottenReplies.js';
import { recordingLogger } from './support/recordingLogger.js';

// Replies to a few message ids and waits, in any order, against a model of the sequencer kept as a
// plain list: which ids it numbers, which it forgot for room while they were open, and so which
// replies the user must hear of.

const WINDOW_MS = 600_000;

type Op = { kind: 'reply'; id: string } | { kind: 'wait'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('reply' as const),
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.constantFrom(1, 10_000, 30_000, 59_999, 60_000, WINDOW_MS),
    }),
  },
);

/** The sequencer's rules, on a list ordered by first reply. */
class Model {
  readonly tracked: Array<{ id: string; seq: number; first: number }> = [];
  /** Forgotten for room while open, not replied to since: id → end of its window. */
  readonly forgotten = new Map<string, number>();
  /** Whether more forgotten ids were open at once than the capacity (the record then drops some). */
  overflowed = false;

  constructor(private readonly capacity: number) {}

  /**
   * The number the reply gets, whether it goes to an id forgotten for room and still open, and
   * whether it goes to an id not tracked at all (where a count of earlier such replies is told).
   */
  reply(id: string, now: number): { seq: number; toForgotten: boolean; untracked: boolean } {
    const entry = this.tracked.find((e) => e.id === id);
    if (entry !== undefined && now - entry.first < WINDOW_MS) {
      return { seq: ++entry.seq, toForgotten: false, untracked: false };
    }
    const until = this.forgotten.get(id);
    this.forgotten.delete(id);
    const toForgotten = entry === undefined && until !== undefined && now < until;
    if (entry !== undefined) this.tracked.splice(this.tracked.indexOf(entry), 1);
    this.tracked.push({ id, seq: 1, first: now });
    const open = this.tracked.filter((e) => now - e.first < WINDOW_MS);
    const kept = open.slice(Math.max(0, open.length - this.capacity));
    for (const e of open.filter((e) => !kept.includes(e))) this.forgotten.set(e.id, e.first + WINDOW_MS);
    this.tracked.splice(0, this.tracked.length, ...kept);
    const stillOpen = [...this.forgotten.values()].filter((end) => end > now).length;
    if (stillOpen > this.capacity) this.overflowed = true;
    return { seq: 1, toForgotten, untracked: entry === undefined };
  }
}

describe('ReplySequencer and the messages it forgot for room (property)', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  it('numbers as the model; warns only of replies to forgotten open messages, at most once a minute, and of all of them while its record holds them, a count left over told on the next new message past the minute', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(op, { minLength: 10, maxLength: 80 }),
        (capacity, ops) => {
          vi.setSystemTime(0);
          const { log, lines } = recordingLogger();
          const replies = new ReplySequencer(capacity, WINDOW_MS, log);
          const model = new Model(capacity);
          let lastWarningAt = -Infinity;
          let untold = 0;
          for (const step of ops) {
            if (step.kind === 'wait') {
              vi.advanceTimersByTime(step.ms);
              continue;
            }
            const now = Date.now();
            const before = lines.length;
            const expected = model.reply(step.id, now);
            expect(replies.next(step.id)).toBe(expected.seq);
            const warned = lines.slice(before);
            expect(warned.length).toBeLessThanOrEqual(1);
            if (warned.length === 1) {
              // At most once a minute, of a reply to a message forgotten for room while open, or of
              // the replies counted since the last warning, on a reply to a message not tracked.
              expect(now - lastWarningAt).toBeGreaterThanOrEqual(FORGOTTEN_REPLY_WARNING_INTERVAL_MS);
              const message = String(warned[0]?.message);
              if (message.startsWith('reply to message')) {
                expect(expected.toForgotten).toBe(true);
                expect(message).toContain(`reply to message ${step.id}:`);
                if (!model.overflowed) expect(message.includes(`and ${untold} more`)).toBe(untold > 0);
              } else {
                // Past its capacity the record may have dropped this message: then only the count.
                expect(expected.untracked).toBe(true);
                if (!model.overflowed) {
                  expect(expected.toForgotten).toBe(false);
                  expect(message).toMatch(new RegExp(`^${untold} more repl`));
                }
              }
              lastWarningAt = now;
              untold = 0;
            } else if (!model.overflowed && (expected.toForgotten || (expected.untracked && untold > 0))) {
              // Not told now only because a warning went out less than a minute ago; counted for the next.
              expect(now - lastWarningAt).toBeLessThan(FORGOTTEN_REPLY_WARNING_INTERVAL_MS);
              if (expected.toForgotten) untold += 1;
            }
          }
          expect(replies.size).toBeLessThanOrEqual(capacity);
        },
      ),
      { numRuns: 300 },
    );
  });
});
