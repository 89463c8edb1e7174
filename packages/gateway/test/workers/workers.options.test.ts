import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { WorkerRestartsExhaustedError, workerThreads } from '@bot/gateway';
import type { FromWorker } from '../../src/workers/messages.js';
import { RemoteCalls } from '../../src/workers/RemoteCalls.js';
import { forwardingLogger, LogAllowance, remoteSessionStore } from '../../src/workers/remoteServices.js';
import { emulatorManager } from '../support/emulator.js';
import { failure } from './support/waits.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { workerEmulator } from './support/workerEmulator.js';

describe('a worker thread towards a main thread that is behind', () => {
  it('keeps at most the allowed log lines in flight, drops the rest and says how many with the next line', () => {
    const posted: FromWorker[] = [];
    const allowance = new LogAllowance(2);
    const logger = forwardingLogger((message) => posted.push(message), 0, allowance);
    for (let i = 0; i < 5; i += 1) logger.info(`line ${i}`);
    expect(posted.map((message) => message.type === 'log' && message.args)).toEqual([['line 0'], ['line 1']]);
    allowance.acknowledged(2);
    logger.info('line 5');
    expect(posted[2]).toMatchObject({ type: 'log', args: ['line 5'], dropped: 3 });
  });

  it('withdraws a session store call the main thread leaves unanswered', async () => {
    const posted: FromWorker[] = [];
    const store = remoteSessionStore(new RemoteCalls((message) => posted.push(message)), 20);
    const read = store.get(0);
    await expect(read).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(posted).toEqual([
      { type: 'call', call: 1, method: 'sessionGet', shardId: 0, args: [] },
      { type: 'cancel', call: 1 },
    ]);
  });
});

describe('workerThreads options', () => {
  emulatorTest(
    'workerScript: the threads run the given entry point (a bundled build names its own)',
    async ({ emulatorOfTest }) => {
      const dir = mkdtempSync(join(tmpdir(), 'shard-worker-'));
      const script = join(dir, 'exitsAtStart.mjs');
      writeFileSync(
        script,
        "import { parentPort } from 'node:worker_threads';\n" +
          "parentPort.on('message', (message) => { if (message.type === 'start') process.exit(3); });\n",
      );
      await workerEmulator(emulatorOfTest);
      const strategy = workerThreads({ workers: 1, maxRestarts: 0, workerScript: pathToFileURL(script) });
      const bot = emulatorOfTest.manager({ strategy, onFatal: 'keepHealthy' });
      const error = await failure(bot.start());
      expect(error).toBeInstanceOf(WorkerRestartsExhaustedError);
      expect(String((error as Error).cause)).toMatch(/exited with code 3/);
      expect(() => workerThreads({ workers: 1, workerScript: 'main.js' as unknown as URL })).toThrow(
        /workerScript must be a URL/,
      );
    },
  );

  emulatorTest('refuses a second manager, when it is built', async ({ emulatorOfTest }) => {
    const emu = await workerEmulator(emulatorOfTest);
    const strategy = workerThreads({ workers: 1 });
    emulatorOfTest.manager({ strategy });
    expect(() => emulatorManager(emu, { strategy })).toThrow(ValidationError);
    expect(() => emulatorManager(emu, { strategy })).toThrow(
      /already runs the shards of another ShardManager/,
    );
  });
});
