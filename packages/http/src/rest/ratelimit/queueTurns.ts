import type { RouteQueue, WaitingTurn } from './RouteQueues.js';

// When a new task's turn in its route's queue comes at the earliest: the route's turns (each slot
// frees a window after its send's answer), walked with the tasks waiting ahead of it. Pure, so
// that it can be checked against a simulation of the queue.

/** The turns of a route's queue from now on: slot `j` of them comes at {@link turnAt}. */
export interface RouteTurns {
  /** When each slot of the queue frees at the earliest, ascending; one entry per slot. */
  readonly firstFree: readonly number[];
  /** How long a slot stays taken after its send's answer: the route's window. */
  readonly holdMs: number;
}

/** What a walk of the queue came to for a new task. */
export interface QueueWalk {
  /** When the new task's turn comes at the earliest, on the steady clock. */
  readonly turn: number;
  /** The tasks ahead counted as taking a turn before it. */
  readonly taken: number;
}

/**
 * The turns of `entry`'s queue as it stands at `now`: a free slot frees at once, a slot whose
 * task is not answered yet a window after `now` at the earliest (its answer may come at once), a
 * slot held after an answer when its hold ends; none before `pausedUntil`.
 *
 * @param entry - the route, with its slots' state
 * @param limit - the queue's slots (the window's limit)
 * @param now - the steady clock's reading
 * @param pausedUntil - when the route may send again (its pause or the global one), or earlier
 */
export function routeTurns(entry: RouteQueue, limit: number, now: number, pausedUntil: number): RouteTurns {
  const start = Math.max(now, pausedUntil);
  const firstFree: number[] = [];
  for (const end of entry.holdEnds) firstFree.push(Math.max(end, start));
  for (let i = 0; i < entry.running; i++) firstFree.push(Math.max(now + entry.holdMs, start));
  while (firstFree.length < limit) firstFree.push(start);
  firstFree.sort((a, b) => a - b);
  firstFree.length = limit;
  return { firstFree, holdMs: entry.holdMs };
}

/**
 * When turn `j` (0 for the next one) comes at the earliest: each slot comes round once a window.
 * Every slot's first turn lies within a window of the first one's, so the turns go round the
 * slots in order.
 *
 * @param turns - the route's turns
 * @param j - the turn's index
 */
export function turnAt({ firstFree, holdMs }: RouteTurns, j: number): number {
  const slots = firstFree.length;
  return firstFree[j % slots]! + Math.floor(j / slots) * holdMs;
}

/**
 * The earliest turn of a new task with `deadline`, behind the tasks `ahead` (in queue order).
 * A task ahead takes the next turn only if that turn comes before its own deadline; otherwise it
 * leaves unsent at its deadline and takes none. A task ahead that gives up a turn's spacing or
 * more (a window over the slots) before the new one takes none either: answers slower than the
 * least estimate push its turn past its deadline, and that turn then comes to the new task while
 * it still has time (5 sends answered in 600 ms, 10 tasks giving up at 1.1 s, a new one sent at
 * 1.6 s of its 1.9 s). A task ahead whose deadline is that close to the new one's gains it no
 * time it can use when it leaves.
 *
 * Pessimistic where a task ahead leaves before its turn for another reason (its caller's signal
 * aborts it) or the route's limits change; optimistic where answers are slow or the concurrency
 * cap holds a send.
 *
 * @param turns - the route's turns
 * @param ahead - the tasks waiting ahead, in queue order
 * @param deadline - the new task's deadline, on the steady clock
 */
export function walkQueue(turns: RouteTurns, ahead: Iterable<WaitingTurn>, deadline: number): QueueWalk {
  const close = deadline - turns.holdMs / turns.firstFree.length;
  let taken = 0;
  let next = turnAt(turns, 0);
  for (const task of ahead) {
    if (task.deadline < close || next >= task.deadline) continue;
    taken += 1;
    next = turnAt(turns, taken);
  }
  return { turn: next, taken };
}
