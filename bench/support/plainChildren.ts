import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Benchmark children run as plain JavaScript, the way a bot runs in production: under the `tsx`
 * loader every module a child loads goes through the loader's hooks, which inflates the startup
 * of a contender with many modules far more than one with few, and would make startup ratios
 * measure the loader. Before a run, every bench source is transpiled once (types stripped, nothing
 * else changed) into a folder under `bench/node_modules`, from where the packages still resolve;
 * plain `.mjs` modules (those worker threads load) are copied beside them as they are.
 */

const BENCH = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OUT = path.join(BENCH, 'node_modules', '.plain-children');
let prepared = false;

async function sources(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[][] = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        return entry.name === 'node_modules' || entry.name === 'test' ? [] : sources(full);
      }
      return entry.name.endsWith('.ts') || entry.name.endsWith('.mjs') ? [full] : [];
    }),
  );
  return found.flat();
}

/** Transpiles every bench source into plain JavaScript for the children; once per run. */
export async function preparePlainChildren(): Promise<void> {
  // Loaded here, not at the top: children import this module too, and must not pay for TypeScript.
  const { default: ts } = await import('typescript');
  for (const file of await sources(BENCH)) {
    if (file.endsWith('.mjs')) {
      const copy = path.join(OUT, path.relative(BENCH, file));
      await mkdir(path.dirname(copy), { recursive: true });
      await writeFile(copy, await readFile(file));
      continue;
    }
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
      },
    });
    const target = path.join(OUT, path.relative(BENCH, file)).replace(/\.ts$/, '.js');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  await writeFile(path.join(OUT, 'package.json'), '{ "type": "module" }\n');
  prepared = true;
}

/**
 * Where a child starts and with which Node.js flags: the transpiled entry without the `tsx`
 * loader once {@link preparePlainChildren} ran, the TypeScript entry under `tsx` otherwise.
 *
 * @param entry - the child's TypeScript module
 */
export function childEntry(entry: URL): { file: string; execArgv: string[] } {
  const source = fileURLToPath(entry);
  if (!prepared) return { file: source, execArgv: [...process.execArgv] };
  const execArgv: string[] = [];
  for (let index = 0; index < process.execArgv.length; index++) {
    const flag = process.execArgv[index]!;
    if (flag === '--import' && process.execArgv[index + 1] === 'tsx') index++;
    else if (flag !== '--import=tsx') execArgv.push(flag);
  }
  return { file: path.join(OUT, path.relative(BENCH, source)).replace(/\.ts$/, '.js'), execArgv };
}
