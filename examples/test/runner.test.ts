import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, EXAMPLES_DIR, resolveExample } from '../catalog.js';
import { runRunner } from './runExample.js';

/** Folders of `examples/` that hold no example: shared helpers and these tests. */
const NOT_EXAMPLES = new Set(['support', 'test', 'node_modules']);
/** Files of `examples/` that are no example: the runner and its catalogue. */
const RUNNER_FILES = new Set(['run.ts', 'catalog.ts']);

/** Every example on disk: `examples/<name>.ts` files and `examples/<name>/index.ts` folders. */
function examplesOnDisk(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) =>
      entry.isDirectory()
        ? !NOT_EXAMPLES.has(entry.name) && existsSync(`${EXAMPLES_DIR}${entry.name}/index.ts`)
        : entry.name.endsWith('.ts') && !RUNNER_FILES.has(entry.name),
    )
    .map((entry) => entry.name.replace(/\.ts$/, ''))
    .sort();
}

describe('pnpm example <name>', () => {
  it('knows every example on disk, file or folder, and resolves each name to its script', () => {
    expect(EXAMPLES.map((example) => example.name).sort()).toEqual(examplesOnDisk());
    for (const { name } of EXAMPLES) {
      const script = resolveExample(name);
      expect(script, name).toMatch(new RegExp(`/examples/${name}(\\.ts|/index\\.ts)$`));
      expect(existsSync(script ?? ''), name).toBe(true);
    }
  });

  it('forgives the spellings a shell completes and refuses files that are no example', () => {
    expect(resolveExample('ping.ts')).toBe(resolveExample('ping'));
    expect(resolveExample('sharded/')).toBe(resolveExample('sharded'));
    expect(resolveExample('sharded/index.ts')).toBe(resolveExample('sharded'));
    for (const other of ['support', 'test', 'run', 'catalog', 'sharded/worker', '../package', ''])
      expect(resolveExample(other), other).toBeUndefined();
  });

  it('lists every example with a one-line description when no name is given, exit 0', async () => {
    const run = await runRunner([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: pnpm example <name>');
    // The command the README gives those without pnpm (the pinned pnpm through npx).
    const readmeCommand = /`(npx --yes pnpm@[^ `]+ example <name>)`/.exec(
      readFileSync(new URL('../../README.md', import.meta.url), 'utf8'),
    )?.[1];
    expect(readmeCommand).toBeDefined();
    expect(run.stdout).toContain(readmeCommand);
    for (const { name, description } of EXAMPLES) {
      expect(description).not.toContain('\n');
      expect(run.stdout).toMatch(new RegExp(`^  ${name} +${escape(description)}$`, 'm'));
    }
  });

  it('refuses an unknown name with exit code 2, naming it and listing the examples', async () => {
    const run = await runRunner(['pong']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown example "pong"');
    for (const { name } of EXAMPLES) expect(run.stderr).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(run.stdout).toBe('');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
