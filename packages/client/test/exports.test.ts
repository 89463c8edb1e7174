import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = path.join(root, 'packages/client/src/index.ts');

/**
 * The public surface of `@bot/client`, read with the TypeScript compiler: every declaration it
 * exports, and transitively every declaration of the workspace's packages those name in a public
 * signature (parameters, return and property types, heritage, type arguments, `{@link}`s of their
 * documentation). Bodies, initialisers and private or protected members are not part of it.
 */
function publicSurface(): { exported: Set<ts.Symbol>; referenced: Map<ts.Symbol, string> } {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.test.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error('tsconfig.test.json could not be read');
  const program = ts.createProgram([entry], config.options);
  const checker = program.getTypeChecker();
  const resolve = (symbol: ts.Symbol): ts.Symbol =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const inWorkspace = (declaration: ts.Node): boolean => {
    const file = declaration.getSourceFile().fileName;
    return file.includes('/packages/') && !file.includes('/node_modules/');
  };

  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const exported = new Set<ts.Symbol>();
  for (const symbol of checker.getExportsOfModule(moduleSymbol).map(resolve)) {
    exported.add(symbol);
    // A namespace export (`Wire`) makes its members importable as `Wire.Member`.
    if (symbol.flags & ts.SymbolFlags.ValueModule || symbol.flags & ts.SymbolFlags.NamespaceModule)
      for (const member of checker.getExportsOfModule(symbol)) exported.add(resolve(member));
  }

  const referenced = new Map<ts.Symbol, string>();
  const queue = [...exported].filter((symbol) => symbol.declarations?.some(inWorkspace));
  const visited = new Set<ts.Symbol>();
  const note = (nameNode: ts.Node, from: string): void => {
    const found = checker.getSymbolAtLocation(nameNode);
    if (found === undefined) return;
    const symbol = resolve(found);
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined || !inWorkspace(declaration)) return;
    if (symbol.flags & (ts.SymbolFlags.TypeParameter | ts.SymbolFlags.Property | ts.SymbolFlags.Method))
      return;
    if (!referenced.has(symbol)) referenced.set(symbol, from);
    if (!visited.has(symbol)) queue.push(symbol);
  };
  const hidden = (node: ts.Node): boolean => {
    const name = (node as { name?: ts.Node }).name;
    if (name !== undefined && ts.isPrivateIdentifier(name)) return true;
    const modifiers = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
    return modifiers.some(
      (modifier) =>
        modifier.kind === ts.SyntaxKind.PrivateKeyword || modifier.kind === ts.SyntaxKind.ProtectedKeyword,
    );
  };
  const visitDocs = (node: ts.Node, from: string): void => {
    for (const doc of ts.getJSDocCommentsAndTags(node)) {
      const walk = (part: ts.Node): void => {
        if ((ts.isJSDocLink(part) || ts.isJSDocLinkCode(part)) && part.name !== undefined)
          note(ts.isQualifiedName(part.name) ? part.name.left : part.name, from);
        ts.forEachChild(part, walk);
        const comment = (part as { comment?: string | ts.NodeArray<ts.JSDocComment> }).comment;
        if (comment !== undefined && typeof comment !== 'string') comment.forEach(walk);
      };
      walk(doc);
    }
  };
  const visit = (node: ts.Node, from: string): void => {
    if (hidden(node)) return;
    visitDocs(node, from);
    if (ts.isFunctionLike(node) || ts.isPropertyDeclaration(node) || ts.isVariableDeclaration(node)) {
      // The signature only: what a caller sees, never the body or an initialiser.
      const signature = node as ts.Node & {
        typeParameters?: ts.NodeArray<ts.Node>;
        parameters?: ts.NodeArray<ts.Node>;
        type?: ts.Node;
      };
      for (const part of [...(signature.typeParameters ?? []), ...(signature.parameters ?? [])])
        visit(part, from);
      if (signature.type !== undefined) visit(signature.type, from);
      return;
    }
    if (ts.isTypeReferenceNode(node))
      note(ts.isQualifiedName(node.typeName) ? node.typeName.left : node.typeName, from);
    else if (ts.isExpressionWithTypeArguments(node)) note(node.expression, from);
    else if (ts.isTypeQueryNode(node))
      note(ts.isQualifiedName(node.exprName) ? node.exprName.left : node.exprName, from);
    ts.forEachChild(node, (child) => visit(child, from));
  };

  while (queue.length > 0) {
    const symbol = queue.pop()!;
    if (visited.has(symbol)) continue;
    visited.add(symbol);
    for (const declaration of symbol.declarations ?? []) {
      if (!inWorkspace(declaration)) continue;
      if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)) {
        visitDocs(declaration, symbol.name);
        for (const clause of declaration.heritageClauses ?? []) visit(clause, symbol.name);
        for (const parameter of declaration.typeParameters ?? []) visit(parameter, symbol.name);
        for (const member of declaration.members)
          visit(member, `${symbol.name}.${member.name?.getText() ?? 'constructor'}`);
      } else {
        visit(declaration, symbol.name);
      }
    }
  }
  return { exported, referenced };
}

describe('@bot/client exports', () => {
  const { exported, referenced } = publicSurface();

  it('exports every type and value its public signatures and their documentation name', () => {
    const missing = [...referenced]
      .filter(([symbol]) => !exported.has(symbol))
      .map(([symbol, from]) => `${symbol.name} (named by ${from})`)
      .sort();
    expect(missing).toEqual([]);
  });

  it('reads the whole surface: options, REST groups, wire types, gateway objects and documented constants', () => {
    const names = new Set([...referenced.keys()].map((symbol) => symbol.name));
    for (const name of ['RateLimitOptions', 'GuildsApi', 'ShardManager', 'ShardStatus', 'ChannelPermission'])
      expect(names, name).toContain(name);
  });
});
