/**
 * The import graph of src/ and the arrows DESIGN.md allows: `cli`/`api`/`agent` → `services` →
 * domain modules → `config` → `core`; only `services` and `store` touch the store (a type from it may be
 * named anywhere: `ServiceDeps` holds a `Store`). Read with the TypeScript compiler's parser, so
 * `import type`, re-exports and `import()` are told apart exactly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

export type Layer = 'door' | 'services' | 'domain' | 'config' | 'store' | 'core' | 'entry';

/** One import of a file inside src/ by another. */
export interface ImportEdge {
  /** Both relative to src/, e.g. `cli/commands/vex.ts`. */
  from: string;
  to: string;
  /** Only types are imported (`import type`, or every named import marked `type`): no run-time edge. */
  typeOnly: boolean;
  /** The names imported (`*` for a namespace or `export *`). */
  names: string[];
}

export interface Violation {
  from: string;
  to: string;
  rule: string;
}

const DOORS = ['cli', 'api', 'agent'];

/** The layer of a path relative to src/: its first folder decides. */
export function getLayer(path: string): Layer {
  const top = path.split('/')[0] ?? '';
  if (path === 'index.ts') return 'entry';
  if (DOORS.includes(top)) return 'door';
  if (top === 'services' || top === 'config' || top === 'store' || top === 'core') return top;
  return 'domain';
}

/** Which layers each layer may import (for run time); every layer may import itself. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  entry: ['services', 'domain', 'config', 'store', 'core'],
  door: ['services', 'domain', 'config', 'core'],
  services: ['domain', 'config', 'core', 'store'],
  domain: ['config', 'core'],
  config: ['core'],
  store: ['core'],
  core: [],
};

/**
 * Imports of the store allowed to doors outside the services: the CLI's one place that opens the
 * store and builds the services' deps, and the package entry that exports `openStore`.
 */
const STORE_OPENERS = new Set(['cli/context.ts', 'index.ts']);

/** The CLI's helpers that hand a command the raw store instead of the services' deps. */
const RAW_STORE_HELPERS = new Set(['withStore', 'openCommandStore']);

/** The store's handles: whoever holds one can read and write anything. */
const STORE_HANDLES = new Set(['Store', 'Db', 'Kysely', '*']);

/** The rule an edge breaks, or undefined. */
export function checkEdge(edge: ImportEdge): string | undefined {
  const from = getLayer(edge.from);
  const to = getLayer(edge.to);
  if (from === to) {
    if (from === 'door' && edge.from.split('/')[0] !== edge.to.split('/')[0])
      return 'doors never import each other';
    if (edge.to === 'cli/context.ts' && edge.names.some((n) => RAW_STORE_HELPERS.has(n)))
      return 'only services and store touch the store';
    return undefined;
  }
  if (to === 'store') {
    if (from === 'services' || STORE_OPENERS.has(edge.from)) return undefined;
    // A row type may be named anywhere; holding a handle (`Store`, `Db`) is touching the store.
    if (edge.typeOnly && !edge.names.some((n) => STORE_HANDLES.has(n))) return undefined;
    return 'only services and store touch the store';
  }
  if (edge.typeOnly && to !== 'door' && to !== 'services') return undefined;
  if (ALLOWED[from].includes(to)) return undefined;
  return `${from} may not import ${to}`;
}

/** Source files of src/ that ship (tests, fixtures and shared test suites excluded), relative to `root`. */
export function listSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__fixtures__') walk(path);
      } else if (isShippedSource(entry.name)) out.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}

function isShippedSource(name: string): boolean {
  return (
    name.endsWith('.ts') &&
    !name.endsWith('.spec.ts') &&
    !name.endsWith('.contract.ts') &&
    !name.endsWith('.d.ts')
  );
}

/** Every import from one file to another file of src/ (`files` maps path relative to src/ → text). */
export function getImportEdges(files: ReadonlyMap<string, string>): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [from, text] of files) {
    const source = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const add = (specifier: string, typeOnly: boolean, names: string[]) => {
      if (!specifier.startsWith('.')) return;
      const to = posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
      if (!to.startsWith('..')) edges.push({ from, to, typeOnly, names });
    };
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier))
        add(node.moduleSpecifier.text, isTypeOnlyImport(node), getImportedNames(node.importClause));
      else if (
        ts.isExportDeclaration(node) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      )
        add(node.moduleSpecifier.text, node.isTypeOnly, getExportedNames(node));
      else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      )
        add(node.arguments[0].text, false, ['*']);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return edges;
}

function getImportedNames(clause: ts.ImportClause | undefined): string[] {
  if (!clause) return [];
  const names = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  else if (bindings) for (const e of bindings.elements) names.push((e.propertyName ?? e.name).text);
  return names;
}

function getExportedNames(node: ts.ExportDeclaration): string[] {
  const clause = node.exportClause;
  if (!clause || !ts.isNamedExports(clause)) return ['*'];
  return clause.elements.map((e) => (e.propertyName ?? e.name).text);
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** Every edge that breaks a rule. */
export function findViolations(files: ReadonlyMap<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const edge of getImportEdges(files)) {
    const rule = checkEdge(edge);
    if (rule) out.push({ from: edge.from, to: edge.to, rule });
  }
  return out;
}

/** src/ read from disk, as `findViolations` takes it. */
export function loadSourceTree(srcDir: string): Map<string, string> {
  return new Map(listSourceFiles(srcDir).map((path) => [path, readFileSync(join(srcDir, path), 'utf8')]));
}
