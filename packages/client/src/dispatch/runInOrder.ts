import { isThenable } from '@bot/core';

/** `undefined` when the work finished synchronously, otherwise a promise that settles when it has. */
export type Completion = Promise<void> | undefined;

/**
 * Runs `count` steps one after another, each once the previous one has settled, and stays
 * synchronous for as long as the steps do: a step that returns a plain value lets the next one
 * run at once, so an event whose handlers all return synchronously costs no promise and no
 * microtask. From the first step that returns a promise on, the rest run after it settles.
 *
 * A step that throws or rejects goes to `fail` (which may itself be asynchronous), and the steps
 * after it still run.
 *
 * @param count - number of steps
 * @param step - runs step `index` and returns its result; a thenable result is waited for
 * @param fail - receives what step `index` threw or rejected with; never expected to throw
 * @param from - first step to run (the continuation after an asynchronous step)
 * @returns `undefined` when every step finished synchronously, otherwise a promise that settles
 *   after the last step (it rejects only when `fail` does)
 */
export function runInOrder(
  count: number,
  step: (index: number) => unknown,
  fail: (error: unknown, index: number) => unknown,
  from = 0,
): Completion {
  for (let index = from; index < count; index++) {
    let result: unknown;
    try {
      result = step(index);
    } catch (error) {
      const failed = fail(error, index);
      if (isThenable(failed)) return continueAfter(failed, index + 1, count, step, fail);
      continue;
    }
    if (isThenable(result)) {
      const settled = Promise.resolve(result).then(noop, (error: unknown) => fail(error, index));
      // After the last step there is nothing to chain: its settling is the end of the run.
      return index + 1 === count
        ? (settled as Promise<void>)
        : continueAfter(settled, index + 1, count, step, fail);
    }
  }
  return undefined;
}

function continueAfter(
  pending: PromiseLike<unknown>,
  from: number,
  count: number,
  step: (index: number) => unknown,
  fail: (error: unknown, index: number) => unknown,
): Promise<void> {
  // A failing `fail` must not stop the later steps either: it is swallowed like a settled step.
  const next = (): Completion => runInOrder(count, step, fail, from);
  return Promise.resolve(pending).then(next, next);
}

function noop(): void {}

/**
 * {@link runInOrder} for one step that returned a thenable: the common event with a single
 * (`async`) handler, run without the closures a general run needs. Same outcome: a promise
 * settling after `result` (rejecting only when `fail` does).
 *
 * @param result - what the step returned
 * @param fail - receives the rejection of `result`
 */
export function settleOne(result: PromiseLike<unknown>, fail: (error: unknown) => unknown): Promise<void> {
  return Promise.resolve(result).then(noop, fail) as Promise<void>;
}

/**
 * What {@link runInOrder} returns after its only step threw and `fail` answered with `failed`:
 * `undefined` when that was synchronous, otherwise a promise that settles after it and never
 * rejects.
 *
 * @param failed - what `fail` returned
 */
export function afterFailure(failed: unknown): Completion {
  return isThenable(failed) ? Promise.resolve(failed).then(noop, noop) : undefined;
}
