import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_TABLE } from '@bot/client';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'packages/client/README.md'), 'utf8');

describe('packages/client/README.md', () => {
  it('lists every event of EVENT_TABLE with its handler method, and no other', () => {
    const rows = [...README.matchAll(/^\| `([A-Z0-9_]+)` +\| `(\w+)` +\|/gm)].map(([, event, method]) => [
      event,
      method,
    ]);
    expect(rows).toEqual(Object.entries(EVENT_TABLE).map(([event, route]) => [event, route.method]));
  });

  describe('its code', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'client-readme-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('type-checks against the packages, snippet by snippet', () => {
      const snippets = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => code ?? '');
      expect(snippets.length).toBeGreaterThan(0);
      writeFileSync(join(scratch, 'package.json'), '{ "type": "module" }');
      // Each snippet is its own module, as a reader would paste it.
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
      });
      const problems = ts
        .getPreEmitDiagnostics(program)
        .filter((diagnostic) => diagnostic.file !== undefined && files.includes(diagnostic.file.fileName))
        .map((diagnostic) => {
          const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
          const snippet = files.indexOf(diagnostic.file!.fileName);
          return `snippet ${snippet + 1}, line ${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
        });
      expect(problems).toEqual([]);
    }, 60_000);
  });
});
