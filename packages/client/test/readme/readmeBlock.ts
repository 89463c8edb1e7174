import { readFileSync } from 'node:fs';

/**
 * The first ```ts block of a README after the line `after` (a heading, or a line of the block
 * itself), as printed.
 *
 * @param readme - the README's URL
 * @param after - a line of the README the block follows, or its own first line
 */
export function readmeBlock(readme: URL, after: string): string {
  const text = readFileSync(readme, 'utf8');
  const at = text.indexOf(after);
  if (at === -1) throw new Error(`${readme.pathname} has no line "${after}"`);
  const start = text.indexOf('```ts\n', at);
  const end = text.indexOf('\n```', start);
  if (start === -1 || end === -1) throw new Error(`${readme.pathname} has no ts block after "${after}"`);
  return text.slice(start + '```ts\n'.length, end + 1);
}

/**
 * A snippet file's text without its opening comment lines (which say where it is printed) and
 * without the lines marked `// not printed` (what only the test needs).
 *
 * @param file - the snippet's URL
 */
export function snippetOf(file: URL): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  while (lines[0]?.startsWith('//')) lines.shift();
  return lines.filter((line) => !line.endsWith('// not printed')).join('\n');
}
