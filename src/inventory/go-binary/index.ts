/**
 * Go binaries: the module list and Go version the linker embeds (what `go version -m` prints). See
 * build-info.ts for the layout and readme.md for what is reported.
 */
import { assertInventorySize } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { makeLanguagePackage } from '../language-package.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';
import { findBuildInfo, type ModuleLine, parseModinfo } from './build-info.js';

/**
 * The Go release as OSV's `stdlib` versions write it: `go1.22.1` → `1.22.1`, `go1.20` → `1.20.0`,
 * `go1.21rc2` → `1.21.0-rc.2`. Undefined for development and vendor builds (`devel …`, `go1.22-2023…`).
 */
export function getStdlibVersion(goVersion: string): string | undefined {
  const first = goVersion.split(' ')[0] ?? '';
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?$/.exec(first);
  if (!match) return undefined;
  const [, major, minor, patch, pre, preNumber] = match;
  return `${major}.${minor}.${patch ?? '0'}${pre ? `-${pre}.${preNumber}` : ''}`;
}

/** OSV's Go versions carry no leading `v`. */
const stripV = (version: string) => version.replace(/^v(?=\d)/, '');

function toPackage(file: InventoryFile, module: ModuleLine, warnings: string[]): FoundPackage | undefined {
  const location = `build info line ${module.line}`;
  const target = module.replacedBy ?? module;
  // A directory replacement has no version (or `(devel)`) and a filesystem path (go.mod reference).
  const replacement = module.replacedBy;
  if (
    replacement &&
    (replacement.version === '' || /^(\.{1,2}[/\\]|\/|[A-Za-z]:\\)/.test(replacement.path))
  ) {
    warnings.push(
      `${location}: ${module.path} is replaced by the local directory ${replacement.path}, skipped`,
    );
    return undefined;
  }
  if (target.version === '(devel)' || target.version === '') {
    // The main module of a local build, or a workspace module: no released version to match.
    if (module.kind === 'dep')
      warnings.push(`${location}: ${module.path} has no released version (devel), skipped`);
    return undefined;
  }
  const version = stripV(target.version);
  return makeLanguagePackage(file.path, {
    ecosystem: 'Go',
    name: target.path,
    version,
    location,
    direct: module.kind === 'mod',
  });
}

function getStdlib(file: InventoryFile, goVersion: string | undefined, warnings: string[]): FoundPackage[] {
  if (goVersion === undefined) {
    warnings.push(
      'no Go build header (stripped or built before Go 1.18): Go version unknown, stdlib not reported',
    );
    return [];
  }
  const version = getStdlibVersion(goVersion);
  if (!version) {
    warnings.push(`Go toolchain ${JSON.stringify(goVersion)} is not a Go release: stdlib not reported`);
    return [];
  }
  return [
    makeLanguagePackage(file.path, { ecosystem: 'Go', name: 'stdlib', version, location: 'build info' }),
  ];
}

/** Go binaries (ELF, PE, Mach-O) built with module support. */
export const goBinaryFormat: InventoryFormat = {
  id: 'go-binary',
  description: 'Go binary build information (modules and Go version, as `go version -m` shows)',
  detect(fileName, head) {
    // ELF and PE start with ASCII magic; Mach-O's is not ASCII and cannot be seen in a text head.
    return head.startsWith('\u007fELF') || (head.startsWith('MZ') && /\.exe$/i.test(fileName));
  },
  parse(file: InventoryFile): ParsedInventory {
    assertInventorySize(file);
    const info = findBuildInfo(file.path, file.content);
    if (!info) {
      throw new InventoryParseError(
        file.path,
        undefined,
        'no Go build information: not a Go binary, or built without modules (before Go 1.13)',
      );
    }
    const warnings: string[] = [];
    const modules = parseModinfo(info.modinfo);
    const packages = modules.flatMap((m) => toPackage(file, m, warnings) ?? []);
    packages.push(...getStdlib(file, info.goVersion, warnings));
    return { format: 'go-binary', asset: {}, packages, warnings };
  },
};
