import type { RouteQueue, WaitingTurn } from './RouteQueues.js';

// When a new task's turn in its route's queue comes by this client's estimate: the route's turns
// (each slot frees a window after its send's answer, every answer assumed to take the moving
// average of the endpoint's answer times), walked with the tasks waiting ahead of it. Pure, so
// that it can be checked against a simulation of the queue.

/** The turns of a route's queue from now on: slot `j` of them comes at {@link turnAt}. */
export interface RouteTurns {
  /** When each slot of the queue frees by the estimate, ascending; one entry per slot. */
  readonly firstFree: readonly number[];
  /** How long a slot stays taken after its send's answer: the route's window. */
  readonly holdMs: number;
  /** How long each send is assumed to take until its answer, in milliseconds. */
  readonly answerMs: number;
}

/** What a walk of the queue came to for a new task. */
export interface QueueWalk {
  /** When the new task's turn comes by the estimate, on the steady clock. */
  readonly turn: number;
  /** The tasks ahead counted as taking a turn before it. */
  readonly taken: number;
}

/**
 * The turns of `entry`'s queue as it stands at `now`: a free slot frees at once, a slot held after
 * an answer when its hold ends, a slot whose send is not answered yet a window after its assumed
 * answer: `answerMs` after it went out (at once if that has passed); none before `pausedUntil`.
 *
 * @param entry - the route, with its slots' state
 * @param limit - the queue's slots (the window's limit)
 * @param now - the steady clock's reading
 * @param pausedUntil - when the route may send again (its pause or the global one), or earlier
 * @param answerMs - how long a send is assumed to take until its answer
 */
export function routeTurns(
  entry: Pick<RouteQueue, 'holdEnds' | 'running' | 'holdMs'>,
  limit: number,
  now: number,
  pausedUntil: number,
  answerMs: number,
): RouteTurns {
  const start = Math.max(now, pausedUntil);
  const firstFree: number[] = [];
  for (const end of entry.holdEnds) firstFree.push(Math.max(end, start));
  for (const { since } of entry.running)
    firstFree.push(Math.max(Math.max(now, since + answerMs) + entry.holdMs, start));
  while (firstFree.length < limit) firstFree.push(start);
  firstFree.sort((a, b) => a - b);
  firstFree.length = limit;
  return { firstFree, holdMs: entry.holdMs, answerMs };
}

/**
 * When turn `j` (0 for the next one) comes by the estimate: each slot comes round once its send is
 * answered and a window has passed. Every slot's first turn lies within a round of the first
 * one's, so the turns go round the slots in order.
 *
 * @param turns - the route's turns
 * @param j - the turn's index
 */
export function turnAt({ firstFree, holdMs, answerMs }: RouteTurns, j: number): number {
  const slots = firstFree.length;
  return firstFree[j % slots]! + Math.floor(j / slots) * (holdMs + answerMs);
}

/**
 * The turn of a new task with `deadline` by the estimate, behind the tasks `ahead` (in queue
 * order). A task ahead takes the next turn only if that turn comes before its own deadline;
 * otherwise it leaves unsent at its deadline and takes none. A task ahead that gives up a turn's
 * spacing or more (a round over the slots) before the new one takes none either: answers slower
 * than the estimate push its turn past its deadline, and that turn then comes to the new task
 * while it still has time (5 sends answered in 600 ms, 10 tasks giving up at 1.1 s, a new one
 * sent at 1.6 s of its 1.9 s). A task ahead whose deadline is that close to the new one's gains it
 * no time it can use when it leaves.
 *
 * It is the queue's own outcome when every answer takes `answerMs` (and no task ahead gives up a
 * turn's spacing or more before the new one; else earlier), no caller aborts and the route's
 * limits hold. A send held by the route's concurrency cap goes out later than its turn: the
 * estimate is then optimistic. It is neither a lower nor an upper bound otherwise: faster answers
 * bring turns sooner, and slower ones may make tasks ahead leave unsent, handing their turns on (5
 * sends answered in 900 ms, 5 tasks giving up at 1850 ms: one giving up at 1950 ms is sent at
 * 1900 ms, but with answers in 0-850 ms or 950 ms or more it is not).
 *
 * @param turns - the route's turns
 * @param ahead - the tasks waiting ahead, in queue order
 * @param deadline - the new task's deadline, on the steady clock
 */
export function walkQueue(turns: RouteTurns, ahead: Iterable<WaitingTurn>, deadline: number): QueueWalk {
  const close = deadline - (turns.holdMs + turns.answerMs) / turns.firstFree.length;
  let taken = 0;
  let next = turnAt(turns, 0);
  for (const task of ahead) {
    if (task.deadline < close || next >= task.deadline) continue;
    taken += 1;
    next = turnAt(turns, taken);
  }
  return { turn: next, taken };
}
