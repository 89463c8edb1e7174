import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_TABLE } from '@bot/client';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A README of the repository, by its path from the root. */
function readme(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** The ```ts blocks of a README, in order. */
function snippetsOf(text: string): string[] {
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => code ?? '');
}

/**
 * Type-checks each snippet against the packages' sources, as its own module (the way a reader
 * would paste it), and returns the problems found, one line each.
 *
 * @param snippets - the code of the snippets
 * @param scratch - a directory to write the snippets to
 * @param strict - whether an unused import or variable is a problem too (a whole program has none,
 *   and a reader's project may refuse them)
 */
function snippetProblems(snippets: readonly string[], scratch: string, strict = false): string[] {
  if (snippets.length === 0) return ['no ```ts snippet found'];
  writeFileSync(join(scratch, 'package.json'), '{ "type": "module" }');
  const files = snippets.map((code, index) => {
    const file = join(scratch, `snippet${index}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    return file;
  });
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.test.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.test.json could not be read');
  const program = ts.createProgram(files, {
    ...config.options,
    typeRoots: [join(ROOT, 'node_modules/@types')],
    noUnusedLocals: strict,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file !== undefined && files.includes(diagnostic.file.fileName))
    .map((diagnostic) => {
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const snippet = files.indexOf(diagnostic.file!.fileName);
      return `snippet ${snippet + 1}, line ${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
}

describe.each(['README.md', 'packages/client/README.md'])('the code of %s', (path) => {
  const scratch = mkdtempSync(join(tmpdir(), 'readme-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('type-checks against the packages, snippet by snippet', () => {
    expect(snippetProblems(snippetsOf(readme(path)), scratch)).toEqual([]);
  }, 60_000);
});

// The first snippet of these READMEs is a whole program a reader can paste and run.
describe.each([
  'README.md',
  'packages/client/README.md',
  'packages/gateway/README.md',
  'packages/http/README.md',
])('the first snippet of %s', (path) => {
  const scratch = mkdtempSync(join(tmpdir(), 'readme-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('type-checks with every name defined and none unused', () => {
    expect(snippetProblems(snippetsOf(readme(path)).slice(0, 1), scratch, true)).toEqual([]);
  }, 60_000);
});

describe('packages/client/README.md', () => {
  it('lists every event of EVENT_TABLE with its handler method, and no other', () => {
    const rows = [
      ...readme('packages/client/README.md').matchAll(/^\| `([A-Z0-9_]+)` +\| `(\w+)` +\|/gm),
    ].map(([, event, method]) => [event, method]);
    expect(rows).toEqual(Object.entries(EVENT_TABLE).map(([event, route]) => [event, route.method]));
  });
});
