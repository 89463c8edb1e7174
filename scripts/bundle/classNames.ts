/**
 * Class names in a bundle. The build does not use esbuild's `keepNames`: it wraps every named
 * closure in a `defineProperty` each time the closure is created (0.35–0.42 µs, against 4–16 ns
 * without), which hot paths paid per event, request and delivery. Without it esbuild keeps a
 * class's source name except in two cases, handled here:
 *
 * - a class that names itself in its own body (`new Intents(…)` in a static method) becomes
 *   `var Intents = class _Intents`, so its `name` would read `_Intents`: {@link restoreClassNames}
 *   gives it back its name;
 * - a class whose name collides with another top-level name of the bundle, which esbuild renames
 *   `Name2`: {@link renamedClasses} makes the build refuse it.
 *
 * Names matter at run time: errors take `name` from their class (`new.target.name`), and
 * `util.inspect` prints `constructor.name`. Both sides are read with the TypeScript parser, so
 * comments and strings that mention a class are never taken for one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** A class of a module: the name it is known by, and the name of its expression when it has one. */
interface ClassHead {
  /** The declaration's name, or the variable a class expression is assigned to. */
  readonly name: string;
  /** The class expression's own name (`_Token` in `var Token = class _Token`). */
  readonly innerName: string | undefined;
  /** Offset just inside the class body's `{`. */
  readonly bodyStart: number;
}

/** Every named class of a module, at any depth. */
function classHeads(fileName: string, text: string): ClassHead[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const heads: ClassHead[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.name !== undefined) {
      heads.push({ name: node.name.text, innerName: undefined, bodyStart: node.members.pos });
    } else if (ts.isClassExpression(node)) {
      const holder = node.parent;
      const assigned =
        ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
      const name = assigned ?? node.name?.text;
      if (name !== undefined) heads.push({ name, innerName: node.name?.text, bodyStart: node.members.pos });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return heads;
}

/** The `.ts` files below `dir`, at any depth. */
function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The names of the classes declared in a package's sources (`.ts` files below `srcDir`).
 *
 * @param srcDir - the package's `src/` folder
 */
export function sourceClassNames(srcDir: string): Set<string> {
  const names = new Set<string>();
  for (const path of typeScriptFiles(srcDir)) {
    for (const head of classHeads(path, readFileSync(path, 'utf8'))) names.add(head.name);
  }
  return names;
}

/**
 * `text` with a static block opening each class whose expression esbuild gave an inner name of its
 * own (`var Token = class _Token`), setting its `name` back to the outer one before any code can
 * read it. The block goes on the line of the class body's `{`, so the source map's lines hold.
 *
 * @param text - one JavaScript output of the bundle
 */
export function restoreClassNames(text: string): string {
  const renamed = classHeads('bundle.js', text)
    .filter((head) => head.innerName !== undefined && head.innerName !== head.name)
    .sort((a, b) => b.bodyStart - a.bodyStart);
  let restored = text;
  for (const { name, bodyStart } of renamed) {
    const block = ` static { Object.defineProperty(this, "name", { value: "${name}", configurable: true }); }`;
    restored = restored.slice(0, bodyStart) + block + restored.slice(bodyStart);
  }
  return restored;
}

/**
 * The classes a bundle declares under a name no source gives them: the ones esbuild renamed
 * because their name collides with another of the bundle, at the top level or inside a function.
 *
 * @param outputs - the bundle's JavaScript files
 * @param classNames - the class names its sources declare ({@link sourceClassNames})
 * @returns `file: Name` for every such class
 */
export function renamedClasses(
  outputs: readonly { readonly path: string; readonly text: string }[],
  classNames: ReadonlySet<string>,
): string[] {
  return outputs.flatMap(({ path, text }) =>
    classHeads(path, text)
      .filter((head) => !classNames.has(head.name))
      .map((head) => `${path}: ${head.name}`),
  );
}
