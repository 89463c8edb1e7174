import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { workerThreads } from '@bot/gateway';
import { staleHandlerWarning } from '../../src/workers/handlerModule.js';
import { capturingLogger } from '../support/harness.js';
import { emulatorTest } from '../support/emulatorTest.js';
import { allReady, emulatorFor, workerManager } from './support/threadedManager.js';
import { WAIT } from './support/waits.js';

// A bot compiled once and then edited runs its old handler on the threads when the compiled file
// is still there: under tsx too, since the URL names the `.js` and the `.js` exists.

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A handler module `bot.<compiled>` (which handles nothing) and its source `bot.<source>`, `sourceAgeS` seconds newer. */
function compiledBeside(compiled: string, source: string, sourceNewerByS: number): URL {
  const folder = mkdtempSync(join(tmpdir(), 'stale-handler-'));
  folders.push(folder);
  const compiledPath = join(folder, `bot${compiled}`);
  const sourcePath = join(folder, `bot${source}`);
  writeFileSync(compiledPath, 'export default () => ({ dispatch() {} });\n');
  writeFileSync(sourcePath, 'export default () => ({ dispatch() {} });\n');
  const built = new Date('2026-01-01T00:00:00Z');
  utimesSync(compiledPath, built, built);
  const edited = new Date(built.getTime() + sourceNewerByS * 1_000);
  utimesSync(sourcePath, edited, edited);
  return pathToFileURL(compiledPath);
}

describe('staleHandlerWarning: a compiled handler module older than its source', () => {
  it.each([
    ['.js', '.ts'],
    ['.mjs', '.mts'],
    ['.cjs', '.cts'],
  ])(
    'names the %s and the newer %s beside it, and says to build again or delete the compiled file',
    (compiled, source) => {
      const module = compiledBeside(compiled, source, 60);
      const warning = staleHandlerWarning(module);
      expect(warning).toContain(`bot${compiled}`);
      expect(warning).toContain(`bot${source}`);
      expect(warning).toMatch(/older than/);
      expect(warning).toMatch(/Build again, or delete the compiled file/);
    },
  );

  it('says nothing when the compiled file is as new as its source or newer', () => {
    expect(staleHandlerWarning(compiledBeside('.js', '.ts', 0))).toBeUndefined();
    expect(staleHandlerWarning(compiledBeside('.js', '.ts', -60))).toBeUndefined();
  });

  it('says nothing for a compiled file without a source beside it, or a TypeScript module', () => {
    const module = compiledBeside('.js', '.ts', 60);
    rmSync(new URL('bot.ts', module));
    expect(staleHandlerWarning(module)).toBeUndefined();
    expect(staleHandlerWarning(compiledBeside('.ts', '.js', 60))).toBeUndefined();
  });
});

describe('a manager whose worker threads load a stale compiled handler module', () => {
  emulatorTest(
    "warns once under the manager's logger as the threads start; the threads still run it",
    async ({ emulatorOfTest }) => {
      await emulatorFor(emulatorOfTest, 2);
      const { logger, lines } = capturingLogger();
      const manager = workerManager(
        emulatorOfTest,
        workerThreads({ workers: 2, handler: compiledBeside('.mjs', '.mts', 60) }),
        { logger },
      );
      void manager.startShards(2);
      await vi.waitFor(allReady(manager, 2), WAIT);
      await manager.shutdownAll();
      const warnings = lines.filter((line) => line.includes('changes made to the source'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^WARN /);
    },
  );
});
