/**
 * Go modules: go.mod (`require` with `// indirect`, `replace` applied) and, as a fallback for
 * projects without one, go.sum. See readme.md.
 */
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { makeLanguagePackage, mergeDuplicates } from '../language-package.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';
import { type GoModLine, parseGoMod } from './go-mod-file.js';

/** OSV's Go versions carry no leading `v`. */
const stripV = (version: string) => version.replace(/^v(?=\d)/, '');
const isLocalPath = (path: string) => /^(\.{1,2}[/\\]|\/|[A-Za-z]:\\)/.test(path);
const GO_SUM_LINE = /^\S+ v\S+ h1:/;
const GO_VERSION = /^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

interface Replacement {
  path: string;
  version?: string;
}

/** `replace old [v] => new [v]`, keyed `old@v` or `old` (version-specific wins, as in Go). */
function getReplacements(file: InventoryFile, lines: readonly GoModLine[]): Map<string, Replacement> {
  const replacements = new Map<string, Replacement>();
  for (const { args, line } of lines) {
    const arrow = args.indexOf('=>');
    const [oldPath, oldVersion] = args.slice(0, arrow);
    const [newPath, newVersion] = args.slice(arrow + 1);
    if (arrow < 1 || arrow > 2 || !oldPath || !newPath || args.length - arrow > 3) {
      throw new InventoryParseError(
        file.path,
        `line ${line}`,
        'replace needs `old [version] => new [version]`',
      );
    }
    replacements.set(oldVersion ? `${oldPath}@${oldVersion}` : oldPath, {
      path: newPath,
      version: newVersion,
    });
  }
  return replacements;
}

function readRequire(
  file: InventoryFile,
  entry: GoModLine,
  replacements: Map<string, Replacement>,
  warnings: string[],
) {
  const [path, version] = entry.args;
  const location = `line ${entry.line}`;
  if (!path || !version || entry.args.length !== 2 || !GO_VERSION.test(version)) {
    throw new InventoryParseError(file.path, location, 'require needs `module/path vX.Y.Z`');
  }
  const replacement = replacements.get(`${path}@${version}`) ?? replacements.get(path);
  if (replacement && (isLocalPath(replacement.path) || !replacement.version)) {
    warnings.push(`${location}: ${path} is replaced by the local directory ${replacement.path}, skipped`);
    return undefined;
  }
  const name = replacement?.path ?? path;
  const direct = !/^indirect(;|$)/.test(entry.comment);
  return makeLanguagePackage(file.path, {
    ecosystem: 'Go',
    name,
    version: stripV(replacement?.version ?? version),
    location,
    direct,
  });
}

function readGoMod(file: InventoryFile, warnings: string[]): FoundPackage[] {
  const lines = parseGoMod(file.path, decodeInventoryText(file));
  if (!lines.some((l) => l.verb === 'module')) {
    throw new InventoryParseError(file.path, undefined, 'no module directive: not a go.mod file');
  }
  const goVersion = lines.find((l) => l.verb === 'go')?.args[0] ?? '';
  const [major = 0, minor = 0] = goVersion.split('.').map(Number);
  if (goVersion && (major < 1 || (major === 1 && minor < 17))) {
    // Before Go 1.17, go.mod lists only some indirect dependencies; the rest are only in go.sum.
    warnings.push(`go ${goVersion} < 1.17: indirect dependencies are incomplete; merge go.sum (mergeGoSum)`);
  }
  const replacements = getReplacements(
    file,
    lines.filter((l) => l.verb === 'replace'),
  );
  return lines
    .filter((l) => l.verb === 'require')
    .flatMap((l) => readRequire(file, l, replacements, warnings) ?? []);
}

/**
 * go.sum lists a hash for every module version the build consulted. Lines ending in `/go.mod` only
 * hashed a go.mod during version selection; the others are module contents that were downloaded.
 */
function readGoSum(file: InventoryFile, warnings: string[]): FoundPackage[] {
  const found: FoundPackage[] = [];
  decodeInventoryText(file)
    .split(/\r?\n/)
    .forEach((text, index) => {
      if (text.trim() === '') return;
      const [path, version, hash, ...rest] = text.trim().split(/\s+/);
      if (!path || !version || !hash?.startsWith('h1:') || rest.length > 0) {
        throw new InventoryParseError(
          file.path,
          `line ${index + 1}`,
          'expected `module/path version h1:hash`',
        );
      }
      if (version.endsWith('/go.mod')) return;
      found.push(
        makeLanguagePackage(file.path, {
          ecosystem: 'Go',
          name: path,
          version: stripV(version),
          location: `line ${index + 1}`,
        }),
      );
    });
  warnings.push('go.sum read without go.mod: it may list module versions the build does not use');
  return found;
}

/**
 * Completes a pre-Go 1.17 go.mod with its go.sum, as Trivy does: modules that go.sum hashed in full
 * and go.mod does not name are added as indirect dependencies.
 */
export function mergeGoSum(goMod: ParsedInventory, goSum: ParsedInventory): ParsedInventory {
  const named = new Set(goMod.packages.map((p) => p.name));
  const added = goSum.packages.filter((p) => !named.has(p.name)).map((p) => ({ ...p, direct: false }));
  const warnings = goMod.warnings.filter((w) => !w.includes('mergeGoSum'));
  return { ...goMod, packages: [...goMod.packages, ...added], warnings };
}

/**
 * Of a list of paths, the Go files worth reading: every go.mod, and a go.sum only when no go.mod
 * sits in the same directory (go.sum over-approximates what is built).
 */
export function pickGoModuleFiles(paths: readonly string[]): string[] {
  const dirOf = (p: string) => p.slice(0, Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const modDirs = new Set(paths.filter((p) => /(^|[/\\])go\.mod$/.test(p)).map(dirOf));
  return paths.filter(
    (p) => /(^|[/\\])go\.mod$/.test(p) || (/(^|[/\\])go\.sum$/.test(p) && !modDirs.has(dirOf(p))),
  );
}

/** go.mod (and go.sum when there is no go.mod). */
export const goModFormat: InventoryFormat = {
  id: 'go-mod',
  description: 'Go modules go.mod (go.sum as a fallback)',
  detect(fileName) {
    return fileName === 'go.mod' || fileName === 'go.sum';
  },
  parse(file: InventoryFile): ParsedInventory {
    const warnings: string[] = [];
    const isSum =
      /(^|[/\\])go\.sum$/.test(file.path) ||
      GO_SUM_LINE.test(file.content.subarray(0, 512).toString('latin1'));
    const packages = mergeDuplicates(isSum ? readGoSum(file, warnings) : readGoMod(file, warnings));
    return { format: 'go-mod', asset: {}, packages, warnings };
  },
};
