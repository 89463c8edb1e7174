import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { confirmedFrameworkDirectory, frameworkDirectoryOf, isFrameworkFrame } from '../src/rest/callSite.js';
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

  it('is kept only when its http/package.json names @bot/http', () => {
    const read: string[] = [];
    const reading =
      (text: string) =>
      (path: string): string => {
        read.push(path);
        return text;
      };
    const ours = reading(JSON.stringify({ name: '@bot/http', version: '1.0.0' }));
    expect(confirmedFrameworkDirectory('/repo/packages/', ours)).toBe('/repo/packages/');
    expect(confirmedFrameworkDirectory('file:///repo/packages/', ours)).toBe('file:///repo/packages/');
    expect(read).toEqual(['/repo/packages/http/package.json', '/repo/packages/http/package.json']);
    // An application's own package named http, the framework bundled into its dist/.
    expect(confirmedFrameworkDirectory('/mono/packages/', reading('{"name":"my-bot"}'))).toBeUndefined();
    expect(confirmedFrameworkDirectory('/mono/packages/', reading('not json'))).toBeUndefined();
    expect(confirmedFrameworkDirectory('/mono/packages/', reading('null'))).toBeUndefined();
    const missing = (): string => {
      throw new Error('ENOENT');
    };
    expect(confirmedFrameworkDirectory('/mono/packages/', missing)).toBeUndefined();
    expect(confirmedFrameworkDirectory(undefined, ours)).toBeUndefined();
  });

  it('is confirmed for the workspace it runs from, and refused for a directory without @bot/http', () => {
    const here = fileURLToPath(new URL('../../', import.meta.url));
    expect(confirmedFrameworkDirectory(here)).toBe(here);
    expect(confirmedFrameworkDirectory(fileURLToPath(new URL('../', import.meta.url)))).toBeUndefined();
    // The directory confirmed when the module loaded: this workspace's packages are the framework's.
    expect(isFrameworkFrame(`    at ChannelsApi.delete (${here}http/src/api/ChannelsApi.ts:65:5)`)).toBe(
      true,
    );
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

  it("leaves out an installed package's frames on Windows paths too", () => {
    const directory = 'C:\\app\\node_modules\\.pnpm\\@bot+http@1.0.0\\node_modules\\@bot\\';
    expect(
      isFrameworkFrame(
        '    at async Dispatcher.run (C:\\app\\node_modules\\.pnpm\\@bot+client@1.0.0\\node_modules\\@bot\\client\\dist\\index.js:77:5)',
        directory,
      ),
    ).toBe(true);
    expect(isFrameworkFrame('    at handler (C:\\app\\src\\bot.js:5:5)', directory)).toBe(false);
  });
});

describe('an application bundled without source maps', () => {
  const setup = useEmulatorRest();

  it.each([
    ['in its dist/', ['dist', 'bot.mjs']],
    // A workspace whose package named http is the application: its directory looks like ours.
    ['in packages/http/dist/ of its own workspace', ['packages', 'http', 'dist', 'bot.mjs']],
  ])("shows the application's function awaiting a failed call, bundled %s", async (_, where) => {
    const dir = await mkdtemp(join(tmpdir(), 'bundled-app-'));
    try {
      const app = join(dir, ...where);
      if (where.includes('packages')) {
        await mkdir(join(dir, 'packages', 'http'), { recursive: true });
        await writeFile(join(dir, 'packages', 'http', 'package.json'), '{"name":"my-bot","type":"module"}');
      }
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
