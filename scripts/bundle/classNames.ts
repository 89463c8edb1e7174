/**
 * Class names in a bundle. The build does not use esbuild's `keepNames`: it wraps every named
 * closure in a `defineProperty` each time the closure is created (0.35–0.42 µs, against 4–16 ns
 * without), which hot paths paid per event, request and delivery. Without it esbuild keeps a
 * class's source name in two cases out of three, and this module handles the third:
 *
 * - a class that names itself in its own body (`new Intents(…)` in a static method) becomes
 *   `var Intents = class _Intents`, so its `name` would read `_Intents`: {@link restoreClassNames}
 *   gives it back its name;
 * - two top-level classes of one bundle with the same name: esbuild renames one `Name2`, and
 *   {@link renamedClasses} makes the build refuse it.
 *
 * Names matter at run time: errors take `name` from their class (`new.target.name`), and
 * `util.inspect` prints `constructor.name`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A class declared in TypeScript source: `class Name`, exported, abstract or not. */
const SOURCE_CLASS = /\bclass\s+([A-Za-z_$][\w$]*)/g;

/** A class in esbuild's output, which declares every class as `var Name = class [InnerName] …`. */
const BUNDLED_CLASS =
  /^(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*class\b(?:\s+(?!extends\b)([A-Za-z_$][\w$]*))?/gm;

/** The source map comment esbuild ends a file with; restored names go just before it. */
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=[^\n]*\n?$/;

/**
 * The names of the classes declared in a package's sources (`.ts` files below `srcDir`).
 *
 * @param srcDir - the package's `src/` folder
 */
export function sourceClassNames(srcDir: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(srcDir, { encoding: 'utf8', recursive: true })) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(srcDir, file), 'utf8');
    for (const match of text.matchAll(SOURCE_CLASS)) names.add(match[1] as string);
  }
  return names;
}

/**
 * `text` with a statement after the module's code for each class whose expression esbuild gave an
 * inner name of its own (`var Token = class _Token`), setting its `name` back to the outer one.
 * The statement runs when the module has loaded, before any caller can read the name; lines are
 * only added at the end, so the source map still holds.
 *
 * @param text - one JavaScript output of the bundle
 */
export function restoreClassNames(text: string): string {
  const restores: string[] = [];
  for (const match of text.matchAll(BUNDLED_CLASS)) {
    const [, name, inner] = match;
    if (inner !== undefined && inner !== name) {
      restores.push(`Object.defineProperty(${name}, "name", { value: "${name}", configurable: true });`);
    }
  }
  if (restores.length === 0) return text;
  const comment = SOURCE_MAP_COMMENT.exec(text);
  const code = comment === null ? text : text.slice(0, comment.index);
  const block = `\n\n// Class names the bundle renamed (see scripts/bundle/classNames.ts)\n${restores.join('\n')}\n`;
  return comment === null ? code + block : code + block + comment[0].slice(1);
}

/**
 * The classes a bundle declares under a name no source gives them: the ones esbuild renamed
 * because two top-level names of one bundle collide.
 *
 * @param outputs - the bundle's JavaScript files
 * @param classNames - the class names its sources declare ({@link sourceClassNames})
 * @returns `file: Name` for every such class
 */
export function renamedClasses(
  outputs: readonly { readonly path: string; readonly text: string }[],
  classNames: ReadonlySet<string>,
): string[] {
  const renamed: string[] = [];
  for (const { path, text } of outputs) {
    for (const match of text.matchAll(BUNDLED_CLASS)) {
      const name = match[1] as string;
      if (!classNames.has(name)) renamed.push(`${path}: ${name}`);
    }
  }
  return renamed;
}
