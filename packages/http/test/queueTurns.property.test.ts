import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walkQueue, type RouteTurns } from '../src/rest/ratelimit/queueTurns.js';

// The estimate of a new task's turn against a simulation of the queue slot by slot: each slot
// frees at its own time, is taken by the first task still waiting (one whose deadline has not
// come), and frees again a window later (answers at once). The estimate never comes later than
// the simulation (a refusal is never of a task the simulation sends), and it is the simulation's
// turn exactly when no task ahead gives up a turn's spacing or more before the new one.

/** The new task's turn in the slot-by-slot simulation, however late. */
function simulatedTurn(firstFree: readonly number[], holdMs: number, ahead: readonly number[]): number {
  const slots = [...firstFree];
  const earliest = () => slots.indexOf(Math.min(...slots));
  for (const deadline of ahead) {
    const slot = earliest();
    if (slots[slot]! < deadline) slots[slot]! += holdMs;
  }
  return slots[earliest()]!;
}

const scenario = fc
  .record({ limit: fc.integer({ min: 1, max: 6 }), holdMs: fc.integer({ min: 1, max: 2_000 }) })
  .chain(({ limit, holdMs }) =>
    fc.record({
      limit: fc.constant(limit),
      holdMs: fc.constant(holdMs),
      // Every slot frees within a window of now (0): free, held after an answer, or taken.
      firstFree: fc.array(fc.integer({ min: 0, max: holdMs }), { minLength: limit, maxLength: limit }),
      ahead: fc.array(fc.integer({ min: 1, max: 10 * holdMs }), { maxLength: 60 }),
      deadline: fc.integer({ min: 1, max: 10 * holdMs }),
    }),
  );

describe('the earliest turn of a task behind its route queue', () => {
  it('is never later than the simulation, and is it when no task ahead gives up well before', () => {
    fc.assert(
      fc.property(scenario, ({ limit, holdMs, firstFree, ahead, deadline }) => {
        const turns: RouteTurns = { firstFree: [...firstFree].sort((a, b) => a - b), holdMs };
        const estimate = walkQueue(
          turns,
          ahead.map((d) => ({ deadline: d })),
          deadline,
        );
        const simulated = simulatedTurn(firstFree, holdMs, ahead);
        expect(estimate.turn).toBeLessThanOrEqual(simulated);
        const close = deadline - holdMs / limit;
        if (ahead.every((d) => d >= close)) expect(estimate.turn).toBe(simulated);
        // Refused (its turn at or past its deadline): the simulation does not send it either.
        if (estimate.turn >= deadline) expect(simulated).toBeGreaterThanOrEqual(deadline);
      }),
      { numRuns: 2_000 },
    );
  });
});
