import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, vi } from 'vitest';

/**
 * A shard worker thread's entry that, once a process, posts the main thread a message it refuses
 * just before the batch carrying a message whose content is `refuse` (see the fixture's header).
 * The client's tests load it too: one fixture for both packages.
 */
export const refusingWorkerScript = new URL('../fixtures/refusingWorkerScript.mjs', import.meta.url);

/**
 * Gives each test of the enclosing `describe` a fresh marker file for {@link refusingWorkerScript},
 * so the script refuses once in that test (the marker outlives a restarted thread).
 */
export function useRefusalMarker(): void {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'refusing-worker-'));
    process.env.REFUSING_WORKER_MARKER = join(dir, 'refused');
  });
  afterEach(() => {
    delete process.env.REFUSING_WORKER_MARKER;
    rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * For `ms`, this thread takes nothing a worker thread posts (as while it is busy: a listener's or
 * handler's synchronous work, a long collection), then takes it all in order. The emulator, on
 * this thread too, goes on meanwhile.
 */
export async function takeThreadMessagesLate(ms: number): Promise<void> {
  const held: Array<() => void> = [];
  const emit = Worker.prototype.emit;
  const spy = vi.spyOn(Worker.prototype, 'emit').mockImplementation(function (
    this: Worker,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event !== 'message') return emit.call(this, event, ...args);
    held.push(() => emit.call(this, event, ...args));
    return true;
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  spy.mockRestore();
  for (const take of held) take();
}
