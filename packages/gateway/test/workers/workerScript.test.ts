import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect } from 'vitest';
import { ValidationError } from '@bot/core';
import { workerThreads } from '@bot/gateway';
import { failure } from './support/waits.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';

describe('workerScript that names no file', () => {
  emulatorTest(
    'fails the start with a ValidationError that says what to do, before any thread starts',
    async ({ emulatorOfTest }) => {
      const missing = join(mkdtempSync(join(tmpdir(), 'shard-worker-')), 'shardWorkerMain.js');
      await workerEmulator(emulatorOfTest);
      const strategy = workerThreads({ workers: 1, workerScript: pathToFileURL(missing) });
      const bot = emulatorOfTest.manager({ strategy, onFatal: 'keepHealthy' });
      const error = await failure(bot.start());
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'workerScript', kind: 'validation' });
      expect((error as Error).message).toContain(missing);
      expect((error as Error).message).toMatch(/emit @bot\/gateway\/worker as an entry of your bundle/);
      // No thread was started, so none is restarted.
      expect(strategy.threads()).toEqual([]);
    },
  );
});
