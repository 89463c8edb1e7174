/**
 * Waits for `work` to settle, but no longer than `ms`.
 *
 * @param work - what to wait for; its rejection counts as settling (the caller handles it)
 * @param ms - the longest wait in milliseconds
 * @returns `true` when `work` settled in time, `false` when the time ran out first
 */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settled = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    work.then(settled, settled);
  });
}
