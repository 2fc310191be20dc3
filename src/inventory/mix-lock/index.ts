/**
 * Elixir Mix's mix.lock: a map from dependency name to a tuple saying where it came from — for Hex
 * packages `{:hex, :package, "version", checksum, managers, deps, repo, checksum}`. The file is
 * read with a small Elixir-term parser; nothing is evaluated. See readme.md.
 */

import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, makeFoundPackage } from '../found-package.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';
import { parseElixirTerm, type Term } from './elixir-term.js';

function textOf(term: Term | undefined): string | undefined {
  return term && (term.kind === 'string' || term.kind === 'atom') ? term.value : undefined;
}

/** One lock entry → a Hex package, or undefined (with a warning) for git and path dependencies. */
function readEntry(
  file: InventoryFile,
  key: Term,
  value: Term,
  warnings: string[],
): FoundPackage | undefined {
  const location = `line ${key.line}`;
  const app = textOf(key);
  if (!app || value.kind !== 'tuple') {
    throw new InventoryParseError(file.path, location, 'lock entry is not "name": {…}');
  }
  const [source, pkg, version] = value.items;
  const scm = source?.kind === 'atom' ? source.value : undefined;
  if (scm !== 'hex') {
    warnings.push(
      `${file.path}:${location}: skipped ${app}, a ${scm ?? 'non-Hex'} dependency with no Hex version`,
    );
    return undefined;
  }
  // The second element is the Hex package name, which may differ from the app name used as key.
  const name = pkg?.kind === 'atom' ? pkg.value : undefined;
  if (!name || version?.kind !== 'string') {
    throw new InventoryParseError(file.path, location, `hex entry ${app} lacks :package or "version"`);
  }
  assertField(file.path, location, 'package name', name);
  assertField(file.path, location, 'version', version.value);
  return makeFoundPackage({ ecosystem: 'Hex', name, version: version.value, location });
}

/** mix.lock → Hex packages; git and path dependencies skipped with a warning. */
export const mixLockFormat: InventoryFormat = {
  id: 'mix-lock',
  description: 'Elixir Mix mix.lock',
  detect: (fileName) => getBaseName(fileName) === 'mix.lock',
  parse(file: InventoryFile): ParsedInventory {
    const term = parseElixirTerm(file.path, decodeInventoryText(file));
    if (term.kind !== 'map')
      throw new InventoryParseError(file.path, `line ${term.line}`, 'mix.lock is not a %{…} map');
    const warnings: string[] = [];
    const packages: FoundPackage[] = [];
    for (const [key, value] of term.entries) {
      const found = readEntry(file, key, value, warnings);
      if (found) packages.push(found);
    }
    return { format: 'mix-lock', asset: {}, packages, warnings };
  },
};
