import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { frameworkDirectoryOf, isFrameworkFrame } from '../src/rest/callSite.js';
import { useEmulatorRest } from './support/emulatorRest.js';

// The frames of a failure that are the framework's are told by directory: the one holding the
// framework's packages. An application bundled into one file without source maps (esbuild, ncc)
// holds the framework's code in its own file, whose directory names no framework package: its
// frames, the caller's among them, must still be shown.

const HTTP_SOURCE = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const run = promisify(execFile);

describe('the directory of the framework, found from a frame of its own code', () => {
  it.each([
    [
      'the workspace sources',
      '    at captureHere (/repo/packages/http/src/rest/callSite.ts:318:9)',
      '/repo/packages/',
    ],
    [
      'the workspace bundle',
      '    at file:///repo/packages/http/dist/index.js:2210:3',
      'file:///repo/packages/',
    ],
    [
      'a chunk of the workspace bundle',
      '    at file:///repo/packages/http/dist/chunk-4FZ2.js:20:3',
      'file:///repo/packages/',
    ],
    [
      'an installed package',
      '    at file:///app/node_modules/@bot/http/dist/index.js:2210:3',
      'file:///app/node_modules/@bot/',
    ],
    [
      'a package installed by pnpm',
      '    at file:///app/node_modules/.pnpm/@bot+http@1.0.0/node_modules/@bot/http/dist/index.js:9:3',
      'file:///app/node_modules/.pnpm/@bot+http@1.0.0/node_modules/@bot/',
    ],
  ])('is found in %s', (_, frame, directory) => {
    expect(frameworkDirectoryOf(frame)).toBe(directory);
  });

  it.each([
    ['an application bundled in its dist/', '    at file:///app/dist/bot.mjs:19781:10'],
    ['an application bundled at the root', '    at file:///bot.mjs:120:10'],
    ['a bundle of an application named http', '    at file:///srv/http/dist/bot.js:120:10'],
    ['a bundle in an application src/', '    at /home/me/bot/src/rest/bundle.js:5:1'],
  ])('is not found in %s', (_, frame) => {
    expect(frameworkDirectoryOf(frame)).toBeUndefined();
  });

  it("without one, leaves out Node's frames only", () => {
    expect(
      isFrameworkFrame('    at async handlerOfTheApp (file:///app/dist/bot.mjs:19781:10)', undefined),
    ).toBe(false);
    expect(isFrameworkFrame('    at sendAttempt (file:///app/dist/bot.mjs:13080:13)', undefined)).toBe(false);
    expect(
      isFrameworkFrame(
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
        undefined,
      ),
    ).toBe(true);
  });

  it('with one, leaves out the code of its packages, not their tests or another directory', () => {
    const directory = '/repo/packages/';
    expect(
      isFrameworkFrame('    at sendAttempt (/repo/packages/http/src/rest/sendAttempt.ts:139:10)', directory),
    ).toBe(true);
    expect(isFrameworkFrame('    at async run (/repo/packages/client/dist/index.js:77:5)', directory)).toBe(
      true,
    );
    expect(isFrameworkFrame('    at caller (/repo/packages/http/test/a.test.ts:5:5)', directory)).toBe(false);
    expect(isFrameworkFrame('    at caller (/repo/examples/echo/src/bot.ts:5:5)', directory)).toBe(false);
  });
});

describe('an application bundled without source maps', () => {
  const setup = useEmulatorRest();

  it("shows the application's function awaiting a failed call", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bundled-app-'));
    try {
      const app = join(dir, 'dist', 'bot.mjs');
      await build({
        stdin: {
          contents: [
            `import { BotApi, RestClient, Token, createLogger } from ${JSON.stringify(HTTP_SOURCE)};`,
            `const [appId, secret, baseUrl, tokenUrl] = process.argv.slice(2);`,
            `const rest = new RestClient({ token: new Token(appId, secret), baseUrl, tokenUrl, logger: createLogger('app', 7) });`,
            `const api = new BotApi(rest);`,
            // Two callers waiting for the same refused token fetch: the error's own stack shows
            // the one that started it, and only the frames read when it fails show the other.
            `async function firstOfTheApp() { return await api.users.me(); }`,
            `async function secondOfTheApp() { return await api.users.guilds(); }`,
            `const [, error] = await Promise.all([firstOfTheApp(), secondOfTheApp()].map((p) => p.catch((e) => e)));`,
            `rest.destroy();`,
            `process.stdout.write(String(error.stack));`,
          ].join('\n'),
          resolveDir: dir,
          sourcefile: 'bot.mjs',
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: app,
        // For the CommonJS dependencies the bundle holds.
        banner: {
          js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        },
        logLevel: 'error',
      });
      const { emulator } = setup;
      const { stdout } = await run(
        process.execPath,
        [app, emulator.appId, `not-${emulator.secret}`, emulator.restUrl, emulator.tokenUrl],
        { timeout: 15_000 },
      );
      expect(stdout).toMatch(/^AuthenticationError: /);
      expect(stdout).toMatch(/\n\s+at (async )?secondOfTheApp \(file:\/\/[^\n]*bot\.mjs:\d+:\d+\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
