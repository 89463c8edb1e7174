import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Idle time summed over every core, in ms, as the kernel counts it. */
function idleMs(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0);
}

/**
 * How many cores sat idle over the next `ms` milliseconds (0 to the core count), measured from
 * the kernel's idle counters: the load average would count the benchmark's own earlier children.
 *
 * @param ms - how long to watch
 */
export async function idleCores(ms = 1_000): Promise<number> {
  const from = idleMs();
  const started = performance.now();
  await sleep(ms);
  return (idleMs() - from) / (performance.now() - started);
}
