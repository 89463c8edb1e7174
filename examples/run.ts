/**
 * Runs one example by name, whether it is a file (`ping.ts`) or a folder (`sharded/index.ts`):
 *
 *   pnpm example ping            (builds the packages first; or: node --import tsx examples/run.ts ping)
 *   pnpm example                 lists the examples
 *   npx --yes pnpm@<version> example ping   the same without pnpm installed (the version the
 *                                           root package.json pins as packageManager)
 *
 * Arguments after the name reach the example as its own. An unknown name prints the list and
 * exits with code 2.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { formatCatalog, resolveExample } from './catalog.js';

// The pnpm the repository pins, which npx fetches where pnpm is not installed (as the README says).
const { packageManager } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  packageManager: string;
};
const USAGE = [
  'Usage: pnpm example <name> [arguments]',
  `   or: npx --yes ${packageManager} example <name> [arguments]   (without pnpm installed)`,
].join('\n');

const [name, ...rest] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h') {
  console.log(`${USAGE}\n\nExamples:\n${formatCatalog()}`);
} else {
  const script = resolveExample(name);
  if (script === undefined) {
    console.error(`Unknown example "${name}".\n${USAGE}\n\nExamples:\n${formatCatalog()}`);
    process.exitCode = 2;
  } else {
    // The example runs in this process, as if started directly: its own path and arguments.
    process.argv = [process.argv[0] ?? process.execPath, script, ...rest];
    await import(pathToFileURL(script).href);
  }
}
