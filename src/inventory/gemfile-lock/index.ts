/**
 * Bundler's Gemfile.lock (and gems.locked): the gems of the `GEM` and `GIT` source sections with their
 * locked versions, and the Gemfile's own `DEPENDENCIES`. See readme.md.
 */
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, makeFoundPackage, splitLines } from '../found-package.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

/** Source sections whose `specs:` list installed gems (Bundler's LockfileParser). */
const SOURCE_SECTIONS = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);
/** Sections whose gems are reported; PATH gems are local code (usually the project itself). */
const REPORTED_SECTIONS = new Set(['GEM', 'GIT']);
const KNOWN_SECTIONS = new Set([
  ...SOURCE_SECTIONS,
  'PLATFORMS',
  'DEPENDENCIES',
  'RUBY VERSION',
  'BUNDLED WITH',
]);

interface Spec {
  name: string;
  version: string;
  section: string;
  line: number;
}

/**
 * `nokogiri (1.13.6-x86_64-linux)` → nokogiri, 1.13.6. RubyGems versions never contain `-` (a
 * prerelease is `1.0.0.pre`), so everything after the first `-` is the platform.
 */
function parseSpec(file: InventoryFile, text: string, line: number): { name: string; version: string } {
  const match = /^(\S+) \(([^()\s]+)\)$/.exec(text);
  if (!match)
    throw new InventoryParseError(
      file.path,
      `line ${line}`,
      `spec "${text.slice(0, 80)}" is not "name (version)"`,
    );
  const name = match[1] as string;
  const version = (match[2] as string).split('-', 1)[0] as string;
  assertField(file.path, `line ${line}`, 'gem name', name);
  assertField(file.path, `line ${line}`, 'version', version);
  return { name, version };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Walks the sections, collecting specs and direct dependency names. */
function readLockfile(
  file: InventoryFile,
  lines: string[],
): { specs: Spec[]; direct: Set<string>; sections: string[] } {
  const specs: Spec[] = [];
  const direct = new Set<string>();
  const sections: string[] = [];
  let section = '';
  let inSpecs = false;
  lines.forEach((raw, index) => {
    const line = raw.trimEnd();
    const number = index + 1;
    if (line === '') return;
    const indent = indentOf(line);
    if (indent === 0) {
      if (!/^[A-Z][A-Z ]*$/.test(line)) {
        throw new InventoryParseError(file.path, `line ${number}`, 'not a Gemfile.lock section header');
      }
      section = line;
      sections.push(line);
      inSpecs = false;
    } else if (SOURCE_SECTIONS.has(section) && indent === 2) {
      inSpecs = line.trim() === 'specs:';
    } else if (SOURCE_SECTIONS.has(section) && inSpecs && indent === 4) {
      specs.push({ ...parseSpec(file, line.trim(), number), section, line: number });
    } else if (section === 'DEPENDENCIES' && indent === 2) {
      // `rails (~> 7.0)`, `my_gem!` (the ! marks a gem from a GIT or PATH source).
      direct.add((line.trim().split(/\s/, 1)[0] as string).replace(/!$/, ''));
    }
  });
  return { specs, direct, sections };
}

/** Gemfile.lock → RubyGems packages of GEM and GIT sources; platform suffixes dropped; PATH gems skipped. */
export const gemfileLockFormat: InventoryFormat = {
  id: 'gemfile-lock',
  description: 'Ruby Bundler Gemfile.lock / gems.locked',
  detect: (fileName) => ['Gemfile.lock', 'gems.locked'].includes(getBaseName(fileName)),
  parse(file: InventoryFile): ParsedInventory {
    const { specs, direct, sections } = readLockfile(file, splitLines(decodeInventoryText(file)));
    if (!sections.some((s) => KNOWN_SECTIONS.has(s))) {
      throw new InventoryParseError(
        file.path,
        'line 1',
        'no Bundler section (GEM, PLATFORMS, DEPENDENCIES…) found',
      );
    }
    const warnings: string[] = [];
    const byId = new Map<string, FoundPackage>();
    for (const spec of specs) {
      if (!REPORTED_SECTIONS.has(spec.section)) {
        warnings.push(
          `${file.path}:line ${spec.line}: skipped ${spec.name} ${spec.version}, a gem from a ${spec.section} source`,
        );
        continue;
      }
      // One gem locked for several platforms appears once per platform.
      const id = `${spec.name}@${spec.version}`;
      if (byId.has(id)) continue;
      const { name, version } = spec;
      const found = makeFoundPackage({ ecosystem: 'RubyGems', name, version, location: `line ${spec.line}` });
      if (direct.size > 0) found.direct = direct.has(name);
      byId.set(id, found);
    }
    return { format: 'gemfile-lock', asset: {}, packages: [...byId.values()], warnings };
  },
};
