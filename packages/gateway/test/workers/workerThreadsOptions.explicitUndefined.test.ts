/**
 * A bot under `exactOptionalPropertyTypes` forwards `number | undefined` from its config into
 * `workerThreads`: an option given as `undefined` means the option left out, its default, and
 * never overrides that default with `undefined`.
 */
import { describe, expect, it } from 'vitest';
import {
  resolveWorkerThreadsOptions,
  type WorkerThreadsOptions,
} from '../../src/workers/WorkerThreadsOptions.js';

/** Every optional option of `workerThreads`. */
const OPTIONAL: readonly (keyof WorkerThreadsOptions)[] = [
  'maxRestarts',
  'restartBaseMs',
  'restartMaxMs',
  'maxBatch',
  'maxUnacked',
  'workerScript',
  'resourceLimits',
  'unresponsiveMs',
  'handler',
  'handlerData',
  'handlerTimeoutMs',
];

describe('workerThreads options given as undefined', () => {
  const defaults = resolveWorkerThreadsOptions({ workers: 2 });

  it('maxBatch: undefined resolves to the default of 256', () => {
    expect(resolveWorkerThreadsOptions({ workers: 2, maxBatch: undefined }).maxBatch).toBe(256);
  });

  it.each(OPTIONAL)('%s: undefined resolves as the option left out', (key) => {
    const resolved = resolveWorkerThreadsOptions({ workers: 2, [key]: undefined });
    expect(resolved).toEqual(defaults);
    expect(resolved[key]).toBe(defaults[key]);
  });

  it('every option undefined at once resolves to the defaults', () => {
    const options: WorkerThreadsOptions = { workers: 2 };
    for (const key of OPTIONAL) Object.assign(options, { [key]: undefined });
    expect(resolveWorkerThreadsOptions(options)).toEqual(defaults);
  });

  it('a given value still overrides its default', () => {
    const resolved = resolveWorkerThreadsOptions({ workers: 2, maxBatch: 8, unresponsiveMs: Infinity });
    expect(resolved).toMatchObject({ maxBatch: 8, unresponsiveMs: Infinity, maxRestarts: 5 });
  });
});
