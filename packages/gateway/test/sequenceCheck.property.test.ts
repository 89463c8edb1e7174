/**
 * Properties of the rule a shard moves its resume point by: an honest stream always moves it to
 * its last seq, while frames that never step plausibly move it at most SEQ_JUMP_LIMIT per two
 * frames, whatever their numbers, so two frames cannot push it to 2^53 - 1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SEQ_JUMP_LIMIT,
  SEQ_STEP_LIMIT,
  SequenceCheck,
  type SeqVerdict,
} from '../src/shard/SequenceCheck.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** Judges `seqs` in order from resume point `start` as the shard does, outside a replay. */
function run(
  start: number | null,
  seqs: readonly number[],
): { verdicts: SeqVerdict[]; points: (number | null)[] } {
  const check = new SequenceCheck();
  let last = start;
  const verdicts: SeqVerdict[] = [];
  const points: (number | null)[] = [];
  for (const s of seqs) {
    const verdict = check.judge(s, last, false);
    if (verdict === 'next') last = s;
    verdicts.push(verdict);
    points.push(last);
  }
  return { verdicts, points };
}

/** A resume point: none yet, or one with room above it for the frames of a test. */
const startArbitrary = fc.option(fc.integer({ min: 0, max: 2 ** 52 }), { nil: null });

/**
 * Where one hostile frame's seq lies: near or far past the resume point or the frame before it
 * (the shapes of a jump and its continuation), behind, or anywhere up to 2^53 - 1.
 */
type Frame = { from: 'point' | 'previous'; by: number } | { at: number };

const frameArbitrary: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({
    from: fc.constantFrom('point' as const, 'previous' as const),
    by: fc.oneof(
      fc.integer({ min: -2 * SEQ_STEP_LIMIT, max: 4 * SEQ_JUMP_LIMIT }),
      fc.integer({ min: -MAX, max: MAX }),
    ),
  }),
  fc.record({ at: fc.oneof(fc.constantFrom(MAX, MAX - 1, 2 ** 52, 2 ** 53 - 1000), fc.nat({ max: MAX })) }),
);

/** The seq of `frame`, from the resume point and the frame before it, kept within 0 … 2^53 - 1. */
function seqOf(frame: Frame, point: number | null, previous: number | undefined): number {
  if ('at' in frame) return frame.at;
  const base = frame.from === 'point' ? (point ?? 0) : (previous ?? point ?? 0);
  return Math.min(MAX, Math.max(0, base + frame.by));
}

/**
 * Feeds hostile `frames` from `start`; with `plausibleSteps` false, a frame that would step within
 * SEQ_STEP_LIMIT past the resume point is sent 2 × SEQ_STEP_LIMIT further instead.
 */
function hostile(
  start: number | null,
  frames: readonly Frame[],
  plausibleSteps: boolean,
): { seqs: number[]; verdicts: SeqVerdict[]; points: (number | null)[] } {
  const check = new SequenceCheck();
  let last = start;
  const seqs: number[] = [];
  const verdicts: SeqVerdict[] = [];
  const points: (number | null)[] = [];
  for (const frame of frames) {
    let s = seqOf(frame, last, seqs.at(-1));
    const from = last ?? 0;
    if (!plausibleSteps && s > from && s - from <= SEQ_STEP_LIMIT) s = Math.min(MAX, s + 2 * SEQ_STEP_LIMIT);
    // Clamped at 2^53 - 1, the step may still be a plausible one: such a frame is left out.
    if (!plausibleSteps && s > from && s - from <= SEQ_STEP_LIMIT) continue;
    const verdict = check.judge(s, last, false);
    if (verdict === 'next') last = s;
    seqs.push(s);
    verdicts.push(verdict);
    points.push(last);
  }
  return { seqs, verdicts, points };
}

describe('SequenceCheck properties', () => {
  it('an honest stream (steps of 1 to SEQ_STEP_LIMIT) moves the resume point to its last seq', () => {
    fc.assert(
      fc.property(
        startArbitrary,
        fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: SEQ_STEP_LIMIT })), {
          minLength: 1,
          maxLength: 300,
        }),
        (start, steps) => {
          let s = start ?? 0;
          const seqs = steps.map((step) => (s += step));
          const { verdicts, points } = run(start, seqs);
          expect(verdicts.every((verdict) => verdict === 'next')).toBe(true);
          expect(points.at(-1)).toBe(seqs.at(-1));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a replay overlapping what was read, then an honest stream, ends at the stream's last seq", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 52 }),
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.integer({ min: 1, max: SEQ_STEP_LIMIT }), { minLength: 1, maxLength: 100 }),
        (last, overlap, steps) => {
          const check = new SequenceCheck();
          let point = last;
          // The replay starts at or before the last seq read: those are repeats, dropped quietly.
          for (let s = Math.max(0, last - overlap); s <= last; s++) {
            expect(check.judge(s, point, true)).toBe('repeat');
          }
          let s = last;
          for (const step of steps) {
            s += step;
            expect(check.judge(s, point, true)).toBe('next');
            point = s;
          }
          expect(point).toBe(s);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('frames that never step within SEQ_STEP_LIMIT of the resume point move it at most SEQ_JUMP_LIMIT per two', () => {
    fc.assert(
      fc.property(startArbitrary, fc.array(frameArbitrary, { maxLength: 60 }), (start, frames) => {
        const { points } = hostile(start, frames, false);
        points.forEach((point, i) => {
          const moved = (point ?? 0) - (start ?? 0);
          expect(moved).toBeLessThanOrEqual(Math.floor((i + 1) / 2) * SEQ_JUMP_LIMIT);
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('any frames move the resume point at most SEQ_JUMP_LIMIT at once, and past SEQ_STEP_LIMIT only after a far one', () => {
    fc.assert(
      fc.property(startArbitrary, fc.array(frameArbitrary, { maxLength: 60 }), (start, frames) => {
        const { verdicts, points } = hostile(start, frames, true);
        let before = start;
        let farSinceMove = false;
        verdicts.forEach((verdict, i) => {
          const point = points[i] ?? null;
          const moved = (point ?? 0) - (before ?? 0);
          expect(moved).toBeLessThanOrEqual(SEQ_JUMP_LIMIT);
          if (moved > SEQ_STEP_LIMIT) expect(farSinceMove).toBe(true);
          if (verdict === 'next') farSinceMove = false;
          else if (verdict === 'farAhead') farSinceMove = true;
          before = point;
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('a jump and any step after it move the resume point at most SEQ_JUMP_LIMIT (never to 2^53 - 1 from far below)', () => {
    fc.assert(
      fc.property(
        startArbitrary,
        fc.integer({ min: SEQ_STEP_LIMIT + 1, max: MAX }),
        fc.integer({ min: 1, max: MAX }),
        (start, jump, step) => {
          const from = start ?? 0;
          const jumpedTo = Math.min(MAX, from + jump);
          const { points } = run(start, [jumpedTo, Math.min(MAX, jumpedTo + step)]);
          expect((points.at(-1) ?? 0) - from).toBeLessThanOrEqual(SEQ_JUMP_LIMIT);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('a platform stepping by D to 2D (D past SEQ_STEP_LIMIT) keeps the resume point one seq behind at most', () => {
    fc.assert(
      fc.property(
        startArbitrary,
        fc.integer({ min: SEQ_STEP_LIMIT + 1, max: SEQ_JUMP_LIMIT / 4 }),
        fc.array(fc.double({ min: 1, max: 2, noNaN: true }), { minLength: 2, maxLength: 100 }),
        (start, least, factors) => {
          let s = start ?? 0;
          const seqs = factors.map((factor) => (s += Math.floor(least * factor)));
          const { points } = run(start, seqs);
          expect(points.at(-1)).toBeGreaterThanOrEqual(seqs.at(-2)!);
        },
      ),
      { numRuns: 300 },
    );
  });
});
